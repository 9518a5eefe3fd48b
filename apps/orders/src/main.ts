import 'reflect-metadata';
import { runService } from '@orderflow/messaging';
import { OrdersAppModule } from './orders-app.module';

void runService({ service: 'orders', module: OrdersAppModule });
