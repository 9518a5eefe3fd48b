import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { OrderStatusChangedMessage, Topics } from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { OrdersService } from './orders.service';

/**
 * Every gateway instance consumes all status changes in a group of its own (see main.ts), so it can
 * wake the requests it holds, whichever partition the order lives on.
 */
@Controller()
export class OrderStatusController {
  constructor(private readonly orders: OrdersService) {}

  @EventPattern(Topics.OrderStatusChanged)
  onStatusChanged(@ValidPayload() message: OrderStatusChangedMessage): void {
    this.orders.statusChanged(message.payload.orderId, message.payload.status);
  }
}
