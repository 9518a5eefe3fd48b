import { randomUUID } from 'node:crypto';
import { CancelReason, OrderStatus, Topics } from '@orderflow/contracts';
import { OrderLifecycle, OrderMessage } from './order-lifecycle';
import {
  allCompensations,
  appliesTo,
  awaitingFlagOf,
  Compensation,
  SagaEvent,
  SagaInput,
  sagaRuleFor,
  sagaStart,
  sagaTable,
} from './order-saga-table';
import { OrderEntity } from './order.entity';
import { OrderStatusChangeEntity } from './order-status-change.entity';

const reserved: SagaEvent = {
  on: Topics.StockReserved,
  items: [{ sku: 'SKU-1', quantity: 2, unitPriceCents: 150 }],
  totalCents: 300,
};
const rejected: SagaEvent = { on: Topics.StockRejected };
const released: SagaEvent = { on: Topics.StockReleased };
const charged: SagaEvent = { on: Topics.PaymentCharged };
const declined: SagaEvent = { on: Topics.PaymentDeclined };
const refunded: SagaEvent = { on: Topics.PaymentRefunded, amountCents: 300 };
const cancel: SagaEvent = { on: 'customer.cancel' };

/** Every (rule, status) the cases below went through, to check that they cover the whole table. */
const covered = new Set<string>();
const coverageKey = (on: string, ruleIndex: number, status: OrderStatus) => `${on} #${ruleIndex} in ${status}`;

interface Expectation {
  status: OrderStatus;
  /** The order's cancel reason; none by default. */
  reason?: CancelReason;
  /** Compensations still awaited; none by default. */
  awaiting?: Compensation[];
  /** The commands the given messages published, in order (creation's `inventory.reserve` not included). */
  commands: string[];
  /** The events the given messages published, in order (creation's `order.created` not included). */
  events: string[];
  /** The given messages that changed nothing (duplicates, late ones), in order; none by default. */
  ignored?: string[];
}

interface Saga {
  order: OrderEntity;
  /** What the given messages published, in order, each tagged with its order version. */
  published: OrderMessage[];
  history: OrderStatusChangeEntity[];
  expect(expectation: Expectation): Saga;
}

/** A new order (published its creation's messages), then each message on the order reloaded, as the service does. */
function given(...messages: SagaEvent[]): Saga {
  return givenStored(undefined, ...messages);
}

/**
 * The same from an order stored in `status` (priced, as an order past PENDING is). The saga passes PAID
 * within one message, so only a stored row can hold it; its rules still say what a message does there.
 */
function givenStored(status: OrderStatus | undefined, ...messages: SagaEvent[]): Saga {
  const { order } = OrderLifecycle.create({
    id: randomUUID(),
    customerId: 'alice',
    items: [{ sku: 'SKU-1', quantity: 2 }],
    correlationId: 'req-1',
  });
  if (status) Object.assign(order, { status, totalCents: 300 });
  const published: OrderMessage[] = [];
  const history: OrderStatusChangeEntity[] = [];
  const ignored: string[] = [];
  for (const message of messages) {
    const before = structuredClone(order);
    const rule = sagaRuleFor(order, message.on);
    if (rule) covered.add(coverageKey(message.on, sagaTable[message.on].indexOf(rule), order.status));
    const lifecycle = new OrderLifecycle(order);
    const applied = lifecycle.apply(message);
    expect(applied).toBe(lifecycle.hasChanges);
    if (!applied) {
      // A message with no rule changes nothing at all: no field, no history, no message.
      expect(order).toEqual(before);
      expect([lifecycle.messages, lifecycle.newHistory]).toEqual([[], []]);
      ignored.push(message.on);
    }
    published.push(...lifecycle.messages);
    history.push(...lifecycle.newHistory);
  }
  const saga: Saga = {
    order,
    published,
    history,
    expect(expectation) {
      expect({
        status: order.status,
        reason: order.cancelReason ?? undefined,
        awaiting: allCompensations.filter((compensation) => order[awaitingFlagOf[compensation]]),
        commands: published.filter(isCommand).map(label),
        events: published.filter((message) => !isCommand(message)).map(label),
        ignored,
      }).toEqual({ awaiting: [], ignored: [], reason: undefined, ...expectation });
      // Every move is stored in the history and published, in the same order.
      expect(history.map((change) => change.status)).toEqual(
        published.flatMap((message) => (message.topic === Topics.OrderStatusChanged ? [message.payload.status] : [])),
      );
      return saga;
    },
  };
  return saga;
}

const isCommand = (message: OrderMessage) =>
  (
    [Topics.InventoryReserve, Topics.InventoryRelease, Topics.PaymentsCharge, Topics.PaymentsRefund] as string[]
  ).includes(message.topic);

/** A message as the expectations read it: its topic, and what in its payload the saga decides. */
function label(message: OrderMessage): string {
  switch (message.topic) {
    case Topics.OrderStatusChanged:
      return [message.topic, message.payload.status, message.payload.reason].filter(Boolean).join(' ');
    case Topics.OrderConfirmed:
      return `${message.topic} ${message.payload.totalCents}`;
    case Topics.OrderCancelled:
      return `${message.topic} ${message.payload.reason} refunded ${message.payload.refundedCents}`;
    case Topics.PaymentsCharge:
      return `${message.topic} ${message.payload.amountCents}`;
    default:
      return message.topic;
  }
}

describe('OrderLifecycle', () => {
  describe('creation', () => {
    it('creates a PENDING order that asks inventory to reserve its items', () => {
      const created = OrderLifecycle.create({
        id: randomUUID(),
        customerId: 'alice',
        items: [{ sku: 'A', quantity: 1 }],
        correlationId: 'c',
      });
      expect(created.status).toBe('PENDING');
      expect(created.messages.map((message) => message.topic)).toEqual([Topics.OrderCreated, Topics.InventoryReserve]);
      expect(created.messages.map((message) => message.topic)).toEqual([...sagaStart.events, ...sagaStart.commands]);
      expect(created.messages.find((message) => message.topic === Topics.InventoryReserve)?.payload).toEqual({
        orderId: created.order.id,
        items: [{ sku: 'A', quantity: 1 }],
      });
      expect(created.order.history.map((change) => change.status)).toEqual(['PENDING']);
    });
  });

  describe('the way forward', () => {
    it('charges the priced total once stock is reserved', () => {
      const saga = given(reserved).expect({
        status: 'STOCK_RESERVED',
        commands: ['payments.charge 300'],
        events: ['order.status-changed STOCK_RESERVED'],
      });
      expect(saga.order.totalCents).toBe(300);
    });

    it('confirms once paid, passing through PAID', () => {
      const saga = given(reserved, charged).expect({
        status: 'CONFIRMED',
        commands: ['payments.charge 300'],
        events: [
          'order.status-changed STOCK_RESERVED',
          'order.status-changed PAID',
          'order.status-changed CONFIRMED',
          'order.confirmed 300',
        ],
      });
      expect(saga.history.map((change) => change.status)).toEqual(['STOCK_RESERVED', 'PAID', 'CONFIRMED']);
    });

    it('tags every message with the order version it describes', () => {
      const saga = given(reserved);
      const versions = saga.published.map((message) => message.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(saga.order.version).toBe(2);
    });
  });

  describe('out of stock', () => {
    it('cancels with OUT_OF_STOCK when the reservation is rejected, with nothing to compensate', () => {
      given(rejected).expect({
        status: 'CANCELLED',
        reason: 'OUT_OF_STOCK',
        commands: [],
        events: ['order.status-changed CANCELLED OUT_OF_STOCK', 'order.cancelled OUT_OF_STOCK refunded 0'],
      });
    });
  });

  describe('a declined payment', () => {
    it('asks for the stock back and waits for it', () => {
      given(reserved, declined).expect({
        status: 'CANCELLING',
        reason: 'PAYMENT_DECLINED',
        awaiting: ['inventory.release'],
        commands: ['payments.charge 300', 'inventory.release'],
        events: ['order.status-changed STOCK_RESERVED', 'order.status-changed CANCELLING PAYMENT_DECLINED'],
      });
    });

    it('cancels once the stock is released, refunding nothing', () => {
      given(reserved, declined, released).expect({
        status: 'CANCELLED',
        reason: 'PAYMENT_DECLINED',
        commands: ['payments.charge 300', 'inventory.release'],
        events: [
          'order.status-changed STOCK_RESERVED',
          'order.status-changed CANCELLING PAYMENT_DECLINED',
          'order.status-changed CANCELLED PAYMENT_DECLINED',
          'order.cancelled PAYMENT_DECLINED refunded 0',
        ],
      });
    });

    it('ignores a refund nobody asked for', () => {
      given(reserved, declined, refunded, released).expect({
        status: 'CANCELLED',
        reason: 'PAYMENT_DECLINED',
        commands: ['payments.charge 300', 'inventory.release'],
        events: [
          'order.status-changed STOCK_RESERVED',
          'order.status-changed CANCELLING PAYMENT_DECLINED',
          'order.status-changed CANCELLED PAYMENT_DECLINED',
          'order.cancelled PAYMENT_DECLINED refunded 0',
        ],
        ignored: ['payment.refunded'],
      });
    });
  });

  describe("a customer's cancel", () => {
    describe('while PENDING (no charge can exist yet)', () => {
      it('asks for the release only', () => {
        given(cancel).expect({
          status: 'CANCELLING',
          reason: 'CUSTOMER_CANCELLED',
          awaiting: ['inventory.release'],
          commands: ['inventory.release'],
          events: ['order.status-changed CANCELLING CUSTOMER_CANCELLED'],
        });
      });

      it('cancels once the stock is released, ignoring the reservation or rejection that crossed the cancel', () => {
        for (const late of [reserved, rejected]) {
          given(cancel, late, released).expect({
            status: 'CANCELLED',
            reason: 'CUSTOMER_CANCELLED',
            commands: ['inventory.release'],
            events: [
              'order.status-changed CANCELLING CUSTOMER_CANCELLED',
              'order.status-changed CANCELLED CUSTOMER_CANCELLED',
              'order.cancelled CUSTOMER_CANCELLED refunded 0',
            ],
            ignored: [late.on],
          });
        }
      });
    });

    describe('while STOCK_RESERVED (a charge may be in flight)', () => {
      it('asks for the release and the refund, and waits for both', () => {
        given(reserved, cancel).expect({
          status: 'CANCELLING',
          reason: 'CUSTOMER_CANCELLED',
          awaiting: ['inventory.release', 'payments.refund'],
          commands: ['payments.charge 300', 'inventory.release', 'payments.refund'],
          events: ['order.status-changed STOCK_RESERVED', 'order.status-changed CANCELLING CUSTOMER_CANCELLED'],
        });
      });

      it.each([
        ['the release, then the refund', [released, refunded]],
        ['the refund, then the release', [refunded, released]],
      ])(
        'cancels once both are confirmed: %s; a charge or decline that crossed the cancel changes nothing',
        (_, confirmations) => {
          given(reserved, cancel, charged, declined, ...confirmations).expect({
            status: 'CANCELLED',
            reason: 'CUSTOMER_CANCELLED',
            commands: ['payments.charge 300', 'inventory.release', 'payments.refund'],
            events: [
              'order.status-changed STOCK_RESERVED',
              'order.status-changed CANCELLING CUSTOMER_CANCELLED',
              'order.status-changed CANCELLED CUSTOMER_CANCELLED',
              'order.cancelled CUSTOMER_CANCELLED refunded 300',
            ],
            ignored: ['payment.charged', 'payment.declined'],
          });
        },
      );
    });

    describe('while PAID (a stored row only: the saga passes PAID within one message)', () => {
      it('asks for the release and the refund, then cancels once both are confirmed', () => {
        givenStored('PAID', cancel).expect({
          status: 'CANCELLING',
          reason: 'CUSTOMER_CANCELLED',
          awaiting: ['inventory.release', 'payments.refund'],
          commands: ['inventory.release', 'payments.refund'],
          events: ['order.status-changed CANCELLING CUSTOMER_CANCELLED'],
        });
        givenStored('PAID', cancel, released, refunded).expect({
          status: 'CANCELLED',
          reason: 'CUSTOMER_CANCELLED',
          commands: ['inventory.release', 'payments.refund'],
          events: [
            'order.status-changed CANCELLING CUSTOMER_CANCELLED',
            'order.status-changed CANCELLED CUSTOMER_CANCELLED',
            'order.cancelled CUSTOMER_CANCELLED refunded 300',
          ],
        });
      });
    });

    describe('while CONFIRMED', () => {
      it('asks for the release and the refund', () => {
        given(reserved, charged, cancel).expect({
          status: 'CANCELLING',
          reason: 'CUSTOMER_CANCELLED',
          awaiting: ['inventory.release', 'payments.refund'],
          commands: ['payments.charge 300', 'inventory.release', 'payments.refund'],
          events: [
            'order.status-changed STOCK_RESERVED',
            'order.status-changed PAID',
            'order.status-changed CONFIRMED',
            'order.confirmed 300',
            'order.status-changed CANCELLING CUSTOMER_CANCELLED',
          ],
        });
      });

      it('remembers one confirmed compensation while it waits for the other', () => {
        given(reserved, charged, cancel, released).expect({
          status: 'CANCELLING',
          reason: 'CUSTOMER_CANCELLED',
          awaiting: ['payments.refund'],
          commands: ['payments.charge 300', 'inventory.release', 'payments.refund'],
          events: [
            'order.status-changed STOCK_RESERVED',
            'order.status-changed PAID',
            'order.status-changed CONFIRMED',
            'order.confirmed 300',
            'order.status-changed CANCELLING CUSTOMER_CANCELLED',
          ],
        });
        given(reserved, charged, cancel, refunded).expect({
          status: 'CANCELLING',
          reason: 'CUSTOMER_CANCELLED',
          awaiting: ['inventory.release'],
          commands: ['payments.charge 300', 'inventory.release', 'payments.refund'],
          events: [
            'order.status-changed STOCK_RESERVED',
            'order.status-changed PAID',
            'order.status-changed CONFIRMED',
            'order.confirmed 300',
            'order.status-changed CANCELLING CUSTOMER_CANCELLED',
          ],
        });
      });

      it.each([
        ['the refund, then the release', [refunded, released]],
        ['the release, then the refund', [released, refunded]],
      ])('refunds and restocks, then cancels once both are confirmed: %s', (_, confirmations) => {
        const saga = given(reserved, charged, cancel, ...confirmations).expect({
          status: 'CANCELLED',
          reason: 'CUSTOMER_CANCELLED',
          commands: ['payments.charge 300', 'inventory.release', 'payments.refund'],
          events: [
            'order.status-changed STOCK_RESERVED',
            'order.status-changed PAID',
            'order.status-changed CONFIRMED',
            'order.confirmed 300',
            'order.status-changed CANCELLING CUSTOMER_CANCELLED',
            'order.status-changed CANCELLED CUSTOMER_CANCELLED',
            'order.cancelled CUSTOMER_CANCELLED refunded 300',
          ],
        });
        expect(saga.order.refundedCents).toBe(300);
      });

      it('publishes exactly these payloads, each with the version of the order it describes', () => {
        const saga = given(reserved, charged, cancel, refunded, released);
        const { id: orderId } = saga.order;
        const customerId = 'alice';
        const moved = (version: number, previousStatus: OrderStatus, status: OrderStatus, reason?: CancelReason) => ({
          topic: Topics.OrderStatusChanged,
          payload: { orderId, customerId, status, previousStatus, reason },
          version,
        });
        expect(saga.published).toEqual([
          moved(2, 'PENDING', 'STOCK_RESERVED'),
          { topic: Topics.PaymentsCharge, payload: { orderId, customerId, amountCents: 300 }, version: 2 },
          moved(3, 'STOCK_RESERVED', 'PAID'),
          moved(4, 'PAID', 'CONFIRMED'),
          { topic: Topics.OrderConfirmed, payload: { orderId, customerId, totalCents: 300 }, version: 4 },
          moved(5, 'CONFIRMED', 'CANCELLING', 'CUSTOMER_CANCELLED'),
          { topic: Topics.InventoryRelease, payload: { orderId }, version: 5 },
          { topic: Topics.PaymentsRefund, payload: { orderId, customerId }, version: 5 },
          moved(6, 'CANCELLING', 'CANCELLED', 'CUSTOMER_CANCELLED'),
          {
            topic: Topics.OrderCancelled,
            payload: { orderId, customerId, reason: 'CUSTOMER_CANCELLED', refundedCents: 300 },
            version: 6,
          },
        ]);
        expect(saga.history.map((change) => [change.status, change.reason])).toEqual([
          ['STOCK_RESERVED', null],
          ['PAID', null],
          ['CONFIRMED', null],
          ['CANCELLING', 'CUSTOMER_CANCELLED'],
          ['CANCELLED', 'CUSTOMER_CANCELLED'],
        ]);
      });
    });

    it('is refused once the order is cancelling or cancelled', () => {
      given(cancel, cancel, released, cancel).expect({
        status: 'CANCELLED',
        reason: 'CUSTOMER_CANCELLED',
        commands: ['inventory.release'],
        events: [
          'order.status-changed CANCELLING CUSTOMER_CANCELLED',
          'order.status-changed CANCELLED CUSTOMER_CANCELLED',
          'order.cancelled CUSTOMER_CANCELLED refunded 0',
        ],
        ignored: ['customer.cancel', 'customer.cancel'],
      });
    });
  });

  describe('duplicates and late messages', () => {
    it('ignores a second reservation, charge or decline', () => {
      given(reserved, reserved, charged, charged, declined).expect({
        status: 'CONFIRMED',
        commands: ['payments.charge 300'],
        events: [
          'order.status-changed STOCK_RESERVED',
          'order.status-changed PAID',
          'order.status-changed CONFIRMED',
          'order.confirmed 300',
        ],
        ignored: ['inventory.reserved', 'payment.charged', 'payment.declined'],
      });
    });

    it('ignores a second confirmation of a compensation', () => {
      given(reserved, charged, cancel, released, released, refunded, refunded).expect({
        status: 'CANCELLED',
        reason: 'CUSTOMER_CANCELLED',
        commands: ['payments.charge 300', 'inventory.release', 'payments.refund'],
        events: [
          'order.status-changed STOCK_RESERVED',
          'order.status-changed PAID',
          'order.status-changed CONFIRMED',
          'order.confirmed 300',
          'order.status-changed CANCELLING CUSTOMER_CANCELLED',
          'order.status-changed CANCELLED CUSTOMER_CANCELLED',
          'order.cancelled CUSTOMER_CANCELLED refunded 300',
        ],
        ignored: ['inventory.released', 'payment.refunded'],
      });
    });

    it('ignores late and duplicate saga messages', () => {
      given(cancel, charged, reserved, charged, rejected, released, released, cancel).expect({
        status: 'CANCELLED',
        reason: 'CUSTOMER_CANCELLED',
        commands: ['inventory.release'],
        events: [
          'order.status-changed CANCELLING CUSTOMER_CANCELLED',
          'order.status-changed CANCELLED CUSTOMER_CANCELLED',
          'order.cancelled CUSTOMER_CANCELLED refunded 0',
        ],
        ignored: [
          'payment.charged',
          'inventory.reserved',
          'payment.charged',
          'inventory.rejected',
          'inventory.released',
          'customer.cancel',
        ],
      });
    });

    it('ignores every message once the order is out of stock', () => {
      given(rejected, reserved, rejected, charged, declined, released, refunded, cancel).expect({
        status: 'CANCELLED',
        reason: 'OUT_OF_STOCK',
        commands: [],
        events: ['order.status-changed CANCELLED OUT_OF_STOCK', 'order.cancelled OUT_OF_STOCK refunded 0'],
        ignored: [
          'inventory.reserved',
          'inventory.rejected',
          'payment.charged',
          'payment.declined',
          'inventory.released',
          'payment.refunded',
          'customer.cancel',
        ],
      });
    });
  });

  describe('the table', () => {
    it('gives at most one rule to any message in any state', () => {
      for (const on of Object.keys(sagaTable) as SagaInput[]) {
        for (const status of ['PENDING', 'STOCK_RESERVED', 'PAID', 'CONFIRMED', 'CANCELLING', 'CANCELLED'] as const) {
          for (const awaiting of [[], ...allCompensations.map((compensation) => [compensation]), allCompensations]) {
            const order = Object.assign(new OrderEntity(), {
              status,
              awaitingRelease: awaiting.includes(Topics.InventoryRelease),
              awaitingRefund: awaiting.includes(Topics.PaymentsRefund),
            });
            const matching = sagaTable[on].filter((rule) => appliesTo(rule, order));
            expect({ on, status, awaiting, rules: Math.min(matching.length, 2) }).toEqual({
              on,
              status,
              awaiting,
              rules: Math.min(matching.length, 1),
            });
          }
        }
      }
    });

    // Last: the cases above must have gone through every rule in every status it names.
    it('is covered by the cases above, every rule in every status it applies in', () => {
      const everyRule = Object.entries(sagaTable).flatMap(([on, rules]) =>
        rules.flatMap((rule, index) => rule.in.map((status) => coverageKey(on, index, status))),
      );
      expect(everyRule.filter((key) => !covered.has(key))).toEqual([]);
    });
  });
});
