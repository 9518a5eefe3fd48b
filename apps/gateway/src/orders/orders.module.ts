import { Module } from '@nestjs/common';
import { OrderStatusWaiters } from './order-status-waiters';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';

@Module({
  controllers: [OrdersController],
  providers: [OrdersService, { provide: OrderStatusWaiters, useValue: new OrderStatusWaiters() }],
  exports: [OrdersService],
})
export class OrdersModule {}
