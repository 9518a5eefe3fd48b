import { Module } from '@nestjs/common';
import { OrderStatusController } from './order-status.controller';
import { OrderStatusWaiters } from './order-status-waiters';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  controllers: [OrdersController, OrderStatusController],
  providers: [OrdersService, { provide: OrderStatusWaiters, useValue: new OrderStatusWaiters() }],
})
export class OrdersModule {}
