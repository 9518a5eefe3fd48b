import { messagingEntities, messagingMigrations } from '@orderflow/messaging';
import { useTestDatabase } from '@orderflow/persistence/testing';
import { randomUUID } from 'node:crypto';
import { CustomerAccountEntity } from '../customers/customer-account.entity';
import { PaymentsTables1764100000300 } from '../migrations/1764100000300-payments-tables';
import { chargePayment, refundPayment } from './payment-ledger';
import { PaymentEntity } from './payment.entity';
import { PaymentsRepository } from './payments.repository';

jest.mock('@nestjs/typeorm', () => ({ InjectDataSource: () => () => undefined }));

/** The ledger's plain SQL on PostgreSQL: charge, repeat, decline and refund move the money they should. */
describe('PaymentsRepository', () => {
  const database = useTestDatabase(
    'payments_repository',
    [...messagingEntities, CustomerAccountEntity, PaymentEntity],
    [...messagingMigrations, PaymentsTables1764100000300],
  );
  const repository = new PaymentsRepository();
  const inTransaction = <T>(work: (ledger: ReturnType<PaymentsRepository['ledger']>) => Promise<T>) =>
    database().transaction((manager) => work(repository.ledger(manager)));
  const balanceOf = async (id: string) =>
    (await database().manager.findOneBy(CustomerAccountEntity, { id }))!.balanceCents;
  const stored = (orderId: string) => database().manager.findOneBy(PaymentEntity, { orderId });

  beforeAll(async () => {
    await database().query(
      `INSERT INTO customer_account (id, name, balance_cents) VALUES ('alice', 'Alice', 5000), ('bob', 'Bob', 100)`,
    );
  });

  it('charges once, answers a repeat the same, and refunds once', async () => {
    const orderId = randomUUID();
    const command = { orderId, customerId: 'alice', amountCents: 1200 };
    const charged = await inTransaction((ledger) => chargePayment(ledger, command));
    expect(charged.payload).toEqual(command);
    expect(await inTransaction((ledger) => chargePayment(ledger, command))).toEqual(charged);
    expect(await balanceOf('alice')).toBe(3800);

    const refund = { orderId, customerId: 'alice' };
    const refunded = await inTransaction((ledger) => refundPayment(ledger, refund));
    expect(refunded.payload).toEqual({ orderId, customerId: 'alice', amountCents: 1200 });
    expect(await inTransaction((ledger) => refundPayment(ledger, refund))).toEqual(refunded);
    expect(await balanceOf('alice')).toBe(5000);
    expect(await stored(orderId)).toMatchObject({ status: 'REFUNDED', amountCents: 1200, refundedCents: 1200 });
  });

  it('declines an unknown customer and one short of funds, and keeps the reason for a repeat', async () => {
    const short = { orderId: randomUUID(), customerId: 'bob', amountCents: 101 };
    const declined = await inTransaction((ledger) => chargePayment(ledger, short));
    expect(declined.payload).toEqual({ orderId: short.orderId, customerId: 'bob', reason: 'INSUFFICIENT_FUNDS' });
    expect(await inTransaction((ledger) => chargePayment(ledger, short))).toEqual(declined);
    expect(await balanceOf('bob')).toBe(100);
    const unknown = { orderId: randomUUID(), customerId: 'nobody', amountCents: 1 };
    expect((await inTransaction((ledger) => chargePayment(ledger, unknown))).payload).toMatchObject({
      reason: 'UNKNOWN_CUSTOMER',
    });
  });

  it('fails a balance change of an account that does not exist', async () => {
    await expect(inTransaction((ledger) => ledger.adjustBalance('nobody', 1))).rejects.toThrow(
      'customer account nobody does not exist',
    );
  });
});
