import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrderSagaController } from './order-saga.controller';
import { OrderSagaService } from './order-saga.service';
import { OrderEntity } from './order.entity';
import { OrdersController } from './orders.controller';
import { OrdersRepository } from './orders.repository';
import { OrdersService } from './orders.service';

@Module({
  imports: [TypeOrmModule.forFeature([OrderEntity])],
  controllers: [OrdersController, OrderSagaController],
  providers: [OrdersRepository, OrdersService, OrderSagaService],
})
export class OrdersModule {}
