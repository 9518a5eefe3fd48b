import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { OrdersModule } from '../orders/orders.module';
import { OrderEventsController } from './order-events.controller';

@Module({
  imports: [OrdersModule, DashboardModule],
  controllers: [OrderEventsController],
})
export class OrderEventsModule {}
