import { SearchTables1764100000600 } from './migrations/1764100000600-search-tables';
import { OrderProjectionEntity } from './search/order-projection.entity';
import { ProductNameEntity } from './search/product-name.entity';

export const searchEntities = [OrderProjectionEntity, ProductNameEntity];
export const searchMigrations = [SearchTables1764100000600];
