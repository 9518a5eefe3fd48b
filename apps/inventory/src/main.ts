import 'reflect-metadata';
import { runService } from '@orderflow/runtime';
import { InventoryAppModule } from './inventory-app.module';
import { inventoryEnvSchema } from './inventory.env';

void runService({ service: 'inventory', module: InventoryAppModule, env: inventoryEnvSchema });
