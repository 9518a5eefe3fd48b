import { Module } from '@nestjs/common';
import { ServiceConfigModule } from '@orderflow/config';
import { ObservabilityModule } from '@orderflow/observability';
import { MessagingModule, messagingEntities, messagingMigrations } from '@orderflow/messaging';
import { PersistenceModule } from '@orderflow/persistence';
import { inventoryEnvSchema } from './inventory.env';
import { InventoryTables1764100000200 } from './migrations/1764100000200-inventory-tables';
import { StockRejectedLines1764100000210 } from './migrations/1764100000210-stock-rejected-lines';
import { ProductEntity } from './products/product.entity';
import { ProductsModule } from './products/products.module';
import { StockReservationEntity } from './stock/stock-reservation.entity';
import { StockModule } from './stock/stock.module';

@Module({
  imports: [
    ServiceConfigModule.forRoot(inventoryEnvSchema),
    PersistenceModule.forService({
      service: 'inventory',
      entities: [...messagingEntities, ProductEntity, StockReservationEntity],
      migrations: [...messagingMigrations, InventoryTables1764100000200, StockRejectedLines1764100000210],
    }),
    MessagingModule.forService({ service: 'inventory', transactions: true }),
    ObservabilityModule.forService({ service: 'inventory' }),
    ProductsModule,
    StockModule,
  ],
})
export class InventoryAppModule {}
