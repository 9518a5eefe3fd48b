import { randomUUID } from 'node:crypto';
import { Topics } from '@orderflow/contracts';
import { chargePayment, declineReasonFor, Payment, PaymentLedger, refundPayment } from './payment-ledger';

/** An in-memory ledger: balances by customer and payments by order. */
class InMemoryLedger implements PaymentLedger {
  readonly balances = new Map<string, number>();
  readonly payments = new Map<string, Payment>();

  constructor(balances: Record<string, number>) {
    for (const [customerId, balance] of Object.entries(balances)) this.balances.set(customerId, balance);
  }

  async lockOrder(): Promise<void> {}

  async findPayment(orderId: string): Promise<Payment | null> {
    return this.payments.get(orderId) ?? null;
  }

  async lockAccount(customerId: string): Promise<{ balanceCents: number } | null> {
    const balanceCents = this.balances.get(customerId);
    return balanceCents === undefined ? null : { balanceCents };
  }

  async adjustBalance(customerId: string, delta: number): Promise<void> {
    const balance = this.balances.get(customerId);
    if (balance === undefined) throw new Error(`no account ${customerId}`);
    if (balance + delta < 0) throw new Error('balance would go negative');
    this.balances.set(customerId, balance + delta);
  }

  async insertPayment(payment: Payment): Promise<void> {
    if (this.payments.has(payment.orderId)) throw new Error('duplicate key');
    this.payments.set(payment.orderId, { ...payment });
  }

  async markRefunded(orderId: string, refundedCents: number): Promise<void> {
    Object.assign(this.payments.get(orderId)!, { status: 'REFUNDED', refundedCents });
  }
}

const charge = (orderId: string, amountCents: number, customerId = 'alice') => ({ orderId, customerId, amountCents });

describe('chargePayment', () => {
  it('debits the account and answers payment.charged', async () => {
    const ledger = new InMemoryLedger({ alice: 1000 });
    const orderId = randomUUID();
    expect(await chargePayment(ledger, charge(orderId, 300))).toEqual({
      topic: Topics.PaymentCharged,
      payload: { orderId, customerId: 'alice', amountCents: 300 },
    });
    expect(ledger.balances.get('alice')).toBe(700);
    expect(ledger.payments.get(orderId)?.status).toBe('CHARGED');
  });

  it('declines an amount above the balance and moves no money', async () => {
    const ledger = new InMemoryLedger({ alice: 299 });
    const orderId = randomUUID();
    const outcome = await chargePayment(ledger, charge(orderId, 300));
    expect(outcome).toEqual({
      topic: Topics.PaymentDeclined,
      payload: { orderId, customerId: 'alice', reason: 'INSUFFICIENT_FUNDS' },
    });
    expect(ledger.balances.get('alice')).toBe(299);
    expect(ledger.payments.get(orderId)).toMatchObject({ status: 'DECLINED', declineReason: 'INSUFFICIENT_FUNDS' });
  });

  it('declines an unknown customer', async () => {
    const ledger = new InMemoryLedger({});
    const outcome = await chargePayment(ledger, charge(randomUUID(), 1, 'bob'));
    expect(outcome.payload).toMatchObject({ reason: 'UNKNOWN_CUSTOMER' });
  });

  it('charges once when the charge is repeated', async () => {
    const ledger = new InMemoryLedger({ alice: 1000 });
    const orderId = randomUUID();
    const first = await chargePayment(ledger, charge(orderId, 300));
    expect(await chargePayment(ledger, charge(orderId, 300))).toEqual(first);
    expect(ledger.balances.get('alice')).toBe(700);
  });

  it('repeats a decline with its reason even once the customer could pay', async () => {
    const ledger = new InMemoryLedger({ alice: 0 });
    const orderId = randomUUID();
    await chargePayment(ledger, charge(orderId, 300));
    ledger.balances.set('alice', 1000);
    expect((await chargePayment(ledger, charge(orderId, 300))).payload).toMatchObject({ reason: 'INSUFFICIENT_FUNDS' });
    expect(ledger.balances.get('alice')).toBe(1000);
  });
});

describe('refundPayment', () => {
  it('credits a charge back once', async () => {
    const ledger = new InMemoryLedger({ alice: 1000 });
    const orderId = randomUUID();
    await chargePayment(ledger, charge(orderId, 300));
    const refund = { orderId, customerId: 'alice' };
    const expected = { topic: Topics.PaymentRefunded, payload: { orderId, customerId: 'alice', amountCents: 300 } };
    expect(await refundPayment(ledger, refund)).toEqual(expected);
    expect(await refundPayment(ledger, refund)).toEqual(expected);
    expect(ledger.balances.get('alice')).toBe(1000);
    expect(ledger.payments.get(orderId)).toMatchObject({ status: 'REFUNDED', refundedCents: 300 });
  });

  it('leaves a VOIDED tombstone when the refund comes first, so the late charge is declined', async () => {
    const ledger = new InMemoryLedger({ alice: 1000 });
    const orderId = randomUUID();
    expect((await refundPayment(ledger, { orderId, customerId: 'alice' })).payload).toMatchObject({ amountCents: 0 });
    expect(ledger.payments.get(orderId)).toMatchObject({ status: 'VOIDED', amountCents: 0 });
    const late = await chargePayment(ledger, charge(orderId, 300));
    expect(late).toEqual({
      topic: Topics.PaymentDeclined,
      payload: { orderId, customerId: 'alice', reason: 'ORDER_REFUNDED' },
    });
    expect(ledger.balances.get('alice')).toBe(1000);
  });

  it('declines a charge that follows the refund of a charge', async () => {
    const ledger = new InMemoryLedger({ alice: 1000 });
    const orderId = randomUUID();
    await chargePayment(ledger, charge(orderId, 300));
    await refundPayment(ledger, { orderId, customerId: 'alice' });
    expect((await chargePayment(ledger, charge(orderId, 300))).payload).toMatchObject({ reason: 'ORDER_REFUNDED' });
    expect(ledger.balances.get('alice')).toBe(1000);
  });

  it('refunds nothing for a declined payment and keeps it DECLINED', async () => {
    const ledger = new InMemoryLedger({ alice: 100 });
    const orderId = randomUUID();
    await chargePayment(ledger, charge(orderId, 300));
    expect((await refundPayment(ledger, { orderId, customerId: 'alice' })).payload).toMatchObject({ amountCents: 0 });
    expect(ledger.balances.get('alice')).toBe(100);
    expect(ledger.payments.get(orderId)?.status).toBe('DECLINED');
  });
});

describe('declineReasonFor', () => {
  it('lets a charge of exactly the balance through', () => {
    expect(declineReasonFor({ balanceCents: 300 }, 300)).toBeNull();
  });
});
