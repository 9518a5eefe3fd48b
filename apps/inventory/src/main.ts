import 'reflect-metadata';
import { runService } from '@orderflow/messaging';
import { InventoryAppModule } from './inventory-app.module';

void runService({ service: 'inventory', module: InventoryAppModule });
