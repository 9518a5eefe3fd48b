import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern } from '@nestjs/microservices';
import {
  OrderCancelledMessage,
  OrderConfirmedMessage,
  OrderCreatedMessage,
  OrderSearchResult,
  OrderStatusChangedMessage,
  ProductRegisteredMessage,
  SearchOrdersRequest,
  StockReservedMessage,
  Topics,
} from '@orderflow/contracts';
import { InAnyOrder, ValidPayload } from '@orderflow/messaging';
import { OrderProjector } from './order-projector';
import { SearchService } from './search.service';

/**
 * Order facts merge whatever their order (the status follows the aggregate version, lines and totals
 * are facts that do not change), so a fetched batch is merged at once, in one group commit. Product
 * registrations keep their order: a later one for a sku overwrites its name.
 */
@Controller()
export class SearchController {
  constructor(
    private readonly projector: OrderProjector,
    private readonly search: SearchService,
  ) {}

  @EventPattern(Topics.OrderCreated, InAnyOrder)
  onOrderCreated(@ValidPayload() message: OrderCreatedMessage): Promise<void> {
    return this.projector.apply(Topics.OrderCreated, message);
  }

  @EventPattern(Topics.OrderStatusChanged, InAnyOrder)
  onOrderStatusChanged(@ValidPayload() message: OrderStatusChangedMessage): Promise<void> {
    return this.projector.apply(Topics.OrderStatusChanged, message);
  }

  @EventPattern(Topics.OrderConfirmed, InAnyOrder)
  onOrderConfirmed(@ValidPayload() message: OrderConfirmedMessage): Promise<void> {
    return this.projector.apply(Topics.OrderConfirmed, message);
  }

  @EventPattern(Topics.OrderCancelled, InAnyOrder)
  onOrderCancelled(@ValidPayload() message: OrderCancelledMessage): Promise<void> {
    return this.projector.apply(Topics.OrderCancelled, message);
  }

  @EventPattern(Topics.StockReserved, InAnyOrder)
  onStockReserved(@ValidPayload() message: StockReservedMessage): Promise<void> {
    return this.projector.apply(Topics.StockReserved, message);
  }

  @EventPattern(Topics.ProductRegistered)
  onProductRegistered(@ValidPayload() message: ProductRegisteredMessage): Promise<void> {
    return this.projector.apply(Topics.ProductRegistered, message);
  }

  @MessagePattern(Topics.SearchOrders)
  searchOrders(@ValidPayload() request: SearchOrdersRequest): Promise<OrderSearchResult> {
    return this.search.search(request);
  }
}
