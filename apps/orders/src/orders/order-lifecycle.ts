import {
  CancelReason,
  MessageTopic,
  OrderItem,
  OrderStatus,
  PayloadOf,
  PricedOrderItem,
  Topics,
} from '@orderflow/contracts';
import { OrderLineEntity } from './order-line.entity';
import {
  allCompensations,
  awaitingFlagOf,
  eventsOnEntering,
  SagaCommand,
  SagaEvent,
  sagaRuleFor,
  sagaStart,
} from './order-saga-table';
import { OrderEntity } from './order.entity';
import { OrderStatusChangeEntity } from './order-status-change.entity';

/** A message the lifecycle asks to publish, tagged with the order version it describes. */
export type OrderMessage = {
  [T in MessageTopic]: { topic: T; payload: PayloadOf<T>; version: number };
}[MessageTopic];

export interface NewOrder {
  id: string;
  customerId: string;
  items: OrderItem[];
  correlationId: string;
  idempotencyKey?: string;
  idempotencyFingerprint?: string;
}

/**
 * One order going through the saga: executes the rules of `sagaTable` (order-saga-table.ts) against it,
 * PENDING → STOCK_RESERVED → PAID → CONFIRMED, or → CANCELLING → CANCELLED once every compensation asked
 * for (stock release, refund) has been confirmed. It decides; the service persists and publishes.
 */
export class OrderLifecycle {
  readonly messages: OrderMessage[] = [];
  readonly newHistory: OrderStatusChangeEntity[] = [];
  pricedItems: PricedOrderItem[] | null = null;
  private changed = false;

  constructor(
    readonly order: OrderEntity,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static create(input: NewOrder, now: () => Date = () => new Date()): OrderLifecycle {
    const order = Object.assign(new OrderEntity(), {
      id: input.id,
      customerId: input.customerId,
      status: sagaStart.to as OrderStatus,
      cancelReason: null,
      totalCents: null,
      refundedCents: 0,
      awaitingRelease: false,
      awaitingRefund: false,
      correlationId: input.correlationId,
      idempotencyKey: input.idempotencyKey ?? null,
      idempotencyFingerprint: input.idempotencyFingerprint ?? null,
      version: 1,
      createdAt: now(),
      updatedAt: now(),
      lines: input.items.map((item, index) =>
        Object.assign(new OrderLineEntity(), { orderId: input.id, lineNo: index + 1, ...item, unitPriceCents: null }),
      ),
      history: [] as OrderStatusChangeEntity[],
    });
    const lifecycle = new OrderLifecycle(order, now);
    // The start is no move (there is no status before it): no order.status-changed, version 1.
    lifecycle.record(sagaStart.to, null);
    order.history = lifecycle.newHistory;
    lifecycle.emit(Topics.OrderCreated, { orderId: order.id, customerId: order.customerId, items: input.items });
    lifecycle.emit(Topics.InventoryReserve, { orderId: order.id, items: input.items });
    return lifecycle;
  }

  get status(): OrderStatus {
    return this.order.status;
  }

  /** False when every message was a duplicate or came too late: there is nothing to store or publish. */
  get hasChanges(): boolean {
    return this.changed;
  }

  /**
   * Reacts to one message by the rule of `sagaTable` that matches the order now. Returns false when none
   * does (a duplicate or late message, or a cancel of an order already cancelling): nothing changed.
   */
  apply(event: SagaEvent): boolean {
    const rule = sagaRuleFor(this.order, event.on);
    if (!rule) return false;
    this.changed = true;
    this.takeFacts(event);
    if (rule.confirms) this.order[awaitingFlagOf[rule.confirms]] = false;
    if (rule.compensations.length > 0) {
      for (const compensation of allCompensations) {
        this.order[awaitingFlagOf[compensation]] = rule.compensations.includes(compensation);
      }
    }
    for (const status of rule.to) this.transition(status, rule.reason ?? null);
    for (const command of [...rule.commands, ...rule.compensations]) this.send(command);
    this.finishCancellationIfDone();
    return true;
  }

  /** What a message carries besides its kind: kept before the move, whose messages may tell it. */
  private takeFacts(event: SagaEvent): void {
    switch (event.on) {
      case Topics.StockReserved:
        this.pricedItems = event.items;
        this.order.totalCents = event.totalCents;
        return;
      case Topics.PaymentRefunded:
        this.order.refundedCents = event.amountCents; // order.cancelled tells the customer what came back
        return;
      case Topics.StockRejected:
      case Topics.StockReleased:
      case Topics.PaymentCharged:
      case Topics.PaymentDeclined:
      case 'customer.cancel':
        return;
      default: {
        const unknownEvent: never = event;
        throw new Error(`no facts known for ${JSON.stringify(unknownEvent)}`);
      }
    }
  }

  /** A cancellation ends when the last compensation it awaits is confirmed; its reason stays. */
  private finishCancellationIfDone(): void {
    if (this.order.status !== 'CANCELLING') return;
    if (allCompensations.some((compensation) => this.order[awaitingFlagOf[compensation]])) return;
    this.transition('CANCELLED', this.order.cancelReason);
  }

  private send(command: SagaCommand): void {
    const { id: orderId, customerId, totalCents } = this.order;
    switch (command) {
      case Topics.PaymentsCharge:
        if (totalCents === null) throw new Error(`order ${orderId} has no total to charge`); // priced first
        return this.emit(Topics.PaymentsCharge, { orderId, customerId, amountCents: totalCents });
      case Topics.InventoryRelease:
        return this.emit(Topics.InventoryRelease, { orderId });
      case Topics.PaymentsRefund:
        return this.emit(Topics.PaymentsRefund, { orderId, customerId });
      default: {
        const unknownCommand: never = command;
        throw new Error(`no payload known for ${String(unknownCommand)}`);
      }
    }
  }

  private transition(status: OrderStatus, reason: CancelReason | null): void {
    const previousStatus = this.order.status;
    this.changed = true;
    this.order.status = status;
    this.order.cancelReason = reason ?? this.order.cancelReason;
    this.order.version += 1;
    this.record(status, reason);
    const { id: orderId, customerId } = this.order;
    this.emit(Topics.OrderStatusChanged, { orderId, customerId, status, previousStatus, reason: reason ?? undefined });
    for (const event of eventsOnEntering[status]) {
      switch (event) {
        case Topics.OrderConfirmed:
          this.emit(Topics.OrderConfirmed, { orderId, customerId, totalCents: this.order.totalCents ?? 0 });
          break;
        case Topics.OrderCancelled:
          this.emit(Topics.OrderCancelled, {
            orderId,
            customerId,
            reason: this.order.cancelReason ?? 'CUSTOMER_CANCELLED',
            refundedCents: this.order.refundedCents,
          });
          break;
        default: {
          const unknownEvent: never = event;
          throw new Error(`no payload known for ${String(unknownEvent)}`);
        }
      }
    }
  }

  private record(status: OrderStatus, reason: CancelReason | null): void {
    this.newHistory.push(
      Object.assign(new OrderStatusChangeEntity(), { orderId: this.order.id, status, reason, at: this.now() }),
    );
  }

  private emit<T extends MessageTopic>(topic: T, payload: PayloadOf<T>): void {
    this.messages.push({ topic, payload, version: this.order.version } as OrderMessage);
  }
}
