import 'reflect-metadata';
import { runService } from '@orderflow/runtime';
import { OrdersAppModule } from './orders-app.module';
import { ordersEnvSchema } from './orders.env';

void runService({ service: 'orders', module: OrdersAppModule, env: ordersEnvSchema });
