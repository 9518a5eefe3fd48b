import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  CreateOrderRequest,
  ListOrdersRequest,
  OrderAccepted,
  OrderIdRequest,
  OrderView,
  Page,
  Topics,
} from '@orderflow/contracts';
import { CorrelationId, ValidPayload } from '@orderflow/messaging';
import { OrdersService } from './orders.service';

@Controller()
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @MessagePattern(Topics.OrdersCreate)
  create(@ValidPayload() request: CreateOrderRequest, @CorrelationId() correlationId: string): Promise<OrderAccepted> {
    return this.orders.create(request, correlationId);
  }

  @MessagePattern(Topics.OrdersGet)
  get(@ValidPayload() request: OrderIdRequest): Promise<OrderView> {
    return this.orders.get(request.orderId);
  }

  @MessagePattern(Topics.OrdersList)
  list(@ValidPayload() request: ListOrdersRequest): Promise<Page<OrderView>> {
    return this.orders.list(request);
  }

  @MessagePattern(Topics.OrdersCancel)
  cancel(@ValidPayload() request: OrderIdRequest, @CorrelationId() correlationId: string): Promise<OrderAccepted> {
    return this.orders.cancel(request.orderId, correlationId);
  }
}
