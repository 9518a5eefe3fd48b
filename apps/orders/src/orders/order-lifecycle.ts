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
}

export type CancelOutcome = 'cancelling' | 'already-cancelled';

const PAYMENT_MAY_EXIST: readonly OrderStatus[] = ['STOCK_RESERVED', 'PAID', 'CONFIRMED'];

/**
 * The order saga as a state machine over one order:
 * PENDING → STOCK_RESERVED → PAID → CONFIRMED, or → CANCELLING → CANCELLED once every compensation
 * (stock release, refund) has been confirmed. Each reaction is guarded by the current status, so a
 * duplicate or late message changes nothing. It decides; the service persists and publishes.
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
      status: 'PENDING' as OrderStatus,
      cancelReason: null,
      totalCents: null,
      refundedCents: 0,
      awaitingRelease: false,
      awaitingRefund: false,
      correlationId: input.correlationId,
      idempotencyKey: input.idempotencyKey ?? null,
      version: 1,
      createdAt: now(),
      updatedAt: now(),
      lines: input.items.map((item, index) =>
        Object.assign(new OrderLineEntity(), { orderId: input.id, lineNo: index + 1, ...item, unitPriceCents: null }),
      ),
      history: [] as OrderStatusChangeEntity[],
    });
    const lifecycle = new OrderLifecycle(order, now);
    lifecycle.record('PENDING', null);
    order.history = lifecycle.newHistory;
    lifecycle.emit(Topics.OrderCreated, { orderId: order.id, customerId: order.customerId, items: input.items });
    lifecycle.emit(Topics.InventoryReserve, { orderId: order.id, items: input.items });
    return lifecycle;
  }

  get status(): OrderStatus {
    return this.order.status;
  }

  /** False when the message was a duplicate or came too late: there is nothing to store or publish. */
  get hasChanges(): boolean {
    return this.changed;
  }

  stockReserved(items: PricedOrderItem[], totalCents: number): void {
    if (this.status !== 'PENDING') return; // a cancellation already asked for the release
    this.pricedItems = items;
    this.order.totalCents = totalCents;
    this.transition('STOCK_RESERVED');
    this.emit(Topics.PaymentsCharge, {
      orderId: this.order.id,
      customerId: this.order.customerId,
      amountCents: totalCents,
    });
  }

  stockRejected(): void {
    if (this.status !== 'PENDING') return;
    this.transition('CANCELLED', 'OUT_OF_STOCK');
  }

  paymentCharged(): void {
    if (this.status !== 'STOCK_RESERVED') return; // cancelled meanwhile: the refund is already asked for
    this.transition('PAID');
    this.transition('CONFIRMED');
  }

  paymentDeclined(): void {
    if (this.status !== 'STOCK_RESERVED') return;
    this.beginCancellation('PAYMENT_DECLINED', { release: true, refund: false });
  }

  stockReleased(): void {
    if (this.status !== 'CANCELLING' || !this.order.awaitingRelease) return;
    this.order.awaitingRelease = false;
    this.changed = true;
    this.finishCancellationIfDone();
  }

  paymentRefunded(amountCents: number): void {
    if (this.status !== 'CANCELLING' || !this.order.awaitingRefund) return;
    this.order.awaitingRefund = false;
    this.order.refundedCents = amountCents;
    this.changed = true;
    this.finishCancellationIfDone();
  }

  /**
   * The customer's cancel. A reserve or charge may still be in flight, so the release is always asked
   * for and the refund whenever a charge may exist; both services keep a tombstone against late commands.
   */
  cancel(): CancelOutcome {
    if (this.status === 'CANCELLING' || this.status === 'CANCELLED') return 'already-cancelled';
    this.beginCancellation('CUSTOMER_CANCELLED', { release: true, refund: PAYMENT_MAY_EXIST.includes(this.status) });
    return 'cancelling';
  }

  private beginCancellation(reason: CancelReason, compensations: { release: boolean; refund: boolean }): void {
    this.order.awaitingRelease = compensations.release;
    this.order.awaitingRefund = compensations.refund;
    this.transition('CANCELLING', reason);
    const { id: orderId, customerId } = this.order;
    if (compensations.release) this.emit(Topics.InventoryRelease, { orderId });
    if (compensations.refund) this.emit(Topics.PaymentsRefund, { orderId, customerId });
    this.finishCancellationIfDone();
  }

  private finishCancellationIfDone(): void {
    if (this.order.awaitingRelease || this.order.awaitingRefund) return;
    this.transition('CANCELLED', this.order.cancelReason);
  }

  private transition(status: OrderStatus, reason: CancelReason | null = null): void {
    const previousStatus = this.order.status;
    this.changed = true;
    this.order.status = status;
    this.order.cancelReason = reason ?? this.order.cancelReason;
    this.order.version += 1;
    this.record(status, reason);
    const { id: orderId, customerId } = this.order;
    this.emit(Topics.OrderStatusChanged, { orderId, customerId, status, previousStatus, reason: reason ?? undefined });
    if (status === 'CONFIRMED') {
      this.emit(Topics.OrderConfirmed, { orderId, customerId, totalCents: this.order.totalCents ?? 0 });
    }
    if (status === 'CANCELLED') {
      this.emit(Topics.OrderCancelled, {
        orderId,
        customerId,
        reason: this.order.cancelReason ?? 'CUSTOMER_CANCELLED',
        refundedCents: this.order.refundedCents,
      });
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
