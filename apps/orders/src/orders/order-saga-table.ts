import { CancelReason, OrderStatus, PricedOrderItem, Topics } from '@orderflow/contracts';
import { OrderEntity } from './order.entity';

/**
 * What the saga reacts to: the answers of inventory and payments (their topics) and the customer's
 * cancel (whichever transport brought it). Only what a reaction needs beyond the order itself is carried.
 */
export type SagaEvent =
  | { on: typeof Topics.StockReserved; items: PricedOrderItem[]; totalCents: number }
  | { on: typeof Topics.StockRejected }
  | { on: typeof Topics.StockReleased }
  | { on: typeof Topics.PaymentCharged }
  | { on: typeof Topics.PaymentDeclined }
  | { on: typeof Topics.PaymentRefunded; amountCents: number }
  | { on: 'customer.cancel' };

export type SagaInput = SagaEvent['on'];

/** Commands that undo a step; a cancellation waits until each one asked for is confirmed. */
export type Compensation = typeof Topics.InventoryRelease | typeof Topics.PaymentsRefund;

/** Commands that move the order forward (the reserve is sent when the order is created: `sagaStart`). */
export type ForwardCommand = typeof Topics.PaymentsCharge;

export type SagaCommand = ForwardCommand | Compensation;

/** The order's flag that says a compensation is still awaited (stored, so a reloaded order remembers). */
export const awaitingFlagOf = {
  [Topics.InventoryRelease]: 'awaitingRelease',
  [Topics.PaymentsRefund]: 'awaitingRefund',
} as const satisfies Record<Compensation, keyof OrderEntity>;

export const allCompensations = Object.keys(awaitingFlagOf) as Compensation[];

export interface SagaRule {
  /** The statuses in which the message has this effect. */
  readonly in: readonly OrderStatus[];
  /** Applies only while this compensation is awaited, and marks it confirmed. */
  readonly confirms?: Compensation;
  /** The statuses the order moves through, in order; none: it keeps its status. */
  readonly to: readonly OrderStatus[];
  /** Recorded with the move, and kept as the order's cancel reason. */
  readonly reason?: CancelReason;
  /** Sent after the move, in this order. */
  readonly commands: readonly ForwardCommand[];
  /**
   * Sent after the commands, in this order. A rule that asks for compensations starts a cancellation:
   * exactly these are awaited from then on.
   */
  readonly compensations: readonly Compensation[];
  /** Why, for a reader of the table (docs/saga.md shows it). */
  readonly note?: string;
}

/** Where a charge may exist (or be in flight), so that a customer's cancel must ask for a refund. */
export const PAYMENT_MAY_EXIST: readonly OrderStatus[] = ['STOCK_RESERVED', 'PAID', 'CONFIRMED'];

/**
 * The order saga: state × message → moves, commands, compensations. `OrderLifecycle` executes it; docs/saga.md
 * renders it (`npm run docs:saga`). At most one rule of a message matches an order; a message with no
 * matching rule (a duplicate, or one that comes too late) changes nothing. Keyed by message, so a message
 * without its rules fails the build.
 *
 * Outside the table, in `OrderLifecycle`: what a message carries (the priced lines and total, the refunded
 * amount), the events every move publishes (`order.status-changed`, and `eventsOnEntering`), and the end
 * of a cancellation: once no compensation is awaited, CANCELLING moves on to CANCELLED with its reason.
 */
export const sagaTable: { readonly [Input in SagaInput]: readonly SagaRule[] } = {
  [Topics.StockReserved]: [
    {
      in: ['PENDING'],
      to: ['STOCK_RESERVED'],
      commands: [Topics.PaymentsCharge],
      compensations: [],
      note: 'Charges the priced total. Not while cancelling: the cancel already asked for the release.',
    },
  ],
  [Topics.StockRejected]: [
    {
      in: ['PENDING'],
      to: ['CANCELLED'],
      reason: 'OUT_OF_STOCK',
      commands: [],
      compensations: [],
      note: 'Nothing was taken, so nothing is given back.',
    },
  ],
  [Topics.PaymentCharged]: [
    {
      in: ['STOCK_RESERVED'],
      to: ['PAID', 'CONFIRMED'],
      commands: [],
      compensations: [],
      note: 'Not while cancelling: the cancel already asked for the refund.',
    },
  ],
  [Topics.PaymentDeclined]: [
    {
      in: ['STOCK_RESERVED'],
      to: ['CANCELLING'],
      reason: 'PAYMENT_DECLINED',
      commands: [],
      compensations: [Topics.InventoryRelease],
      note: 'Nothing was charged: only the stock goes back.',
    },
  ],
  [Topics.StockReleased]: [
    {
      in: ['CANCELLING'],
      confirms: Topics.InventoryRelease,
      to: [],
      commands: [],
      compensations: [],
      note: 'A second one, or one nobody waits for, changes nothing.',
    },
  ],
  [Topics.PaymentRefunded]: [
    {
      in: ['CANCELLING'],
      confirms: Topics.PaymentsRefund,
      to: [],
      commands: [],
      compensations: [],
      note: 'Keeps the refunded amount, which `order.cancelled` tells.',
    },
  ],
  // The release is always asked for, the refund wherever a charge may exist. No rule while CANCELLING or
  // CANCELLED: the service refuses that cancel as a conflict.
  'customer.cancel': [
    {
      in: ['PENDING'],
      to: ['CANCELLING'],
      reason: 'CUSTOMER_CANCELLED',
      commands: [],
      compensations: [Topics.InventoryRelease],
      note: 'The reserve may be in flight: inventory keeps a tombstone, so a late one is rejected.',
    },
    {
      in: PAYMENT_MAY_EXIST,
      to: ['CANCELLING'],
      reason: 'CUSTOMER_CANCELLED',
      commands: [],
      compensations: [Topics.InventoryRelease, Topics.PaymentsRefund],
      note: 'A charge may exist or be in flight: payments keeps a tombstone, so a late one is declined.',
    },
  ],
};

/** Where every order starts: not a rule, as there is no state before it (`OrderLifecycle.create`). */
export const sagaStart = {
  to: 'PENDING',
  events: [Topics.OrderCreated],
  commands: [Topics.InventoryReserve],
} as const satisfies { to: OrderStatus; events: readonly string[]; commands: readonly string[] };

/** Published on entering a status, after `order.status-changed` (which every move publishes). */
export const eventsOnEntering = {
  PENDING: [],
  STOCK_RESERVED: [],
  PAID: [],
  CONFIRMED: [Topics.OrderConfirmed],
  CANCELLING: [],
  CANCELLED: [Topics.OrderCancelled],
} as const satisfies Record<OrderStatus, readonly (typeof Topics.OrderConfirmed | typeof Topics.OrderCancelled)[]>;

/** The rule the message follows for this order now, or undefined: then it changes nothing. */
export function sagaRuleFor(order: OrderEntity, on: SagaInput): SagaRule | undefined {
  return sagaTable[on].find((rule) => appliesTo(rule, order));
}

export function appliesTo(rule: SagaRule, order: OrderEntity): boolean {
  return rule.in.includes(order.status) && (!rule.confirms || order[awaitingFlagOf[rule.confirms]]);
}
