import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { externalBrokers, resolveKafkaJars, RunningBroker, startBroker, stopBroker } from '../../tools/kafka/broker';
import { scramSasl } from '../../tools/kafka/credentials';
import { AppName } from '../../tools/system/apps';
import { freePort } from '../../tools/system/free-port';
import { RunningSystem, startSystem } from '../../tools/system/system';
import { eventually } from '../support/eventually';
import { Tokens } from '../support/tokens';
import { connectToServiceDatabase, dropTestDatabases } from '../support/test-databases';
import { allDeadLetters } from './dead-letter-reader';
import { persistently } from './persistent-client';
import { faultSeed, SeededRandom } from './seeded-random';

/**
 * The system under faults, on a broker and databases of its own (the faults would disturb other
 * suites): a mixed load of orders while every service is SIGKILLed once and restarted, one is
 * stopped with SIGTERM, the broker is stopped and restarted (another service is stopped with SIGTERM
 * while it is down) and the gateway is killed with requests in flight. Then invariants are checked
 * against the databases. `FAULT_SEED=<n>` replays a run.
 */
const ORDERS = 300;
const SERVICES: AppName[] = ['orders', 'inventory', 'payments', 'notifications', 'gateway'];
const SETTLE_DEADLINE_MS = 180_000;

/** `broker`: the broker is stopped, and `terminatedMeanwhile` gets SIGTERM while it is down. */
type Fault =
  | { kind: 'kill'; app: AppName }
  | { kind: 'terminate'; app: AppName }
  | { kind: 'broker'; terminatedMeanwhile: AppName };
/**
 * Shorter than the default 10 s, so that a stop waiting on the absent broker would overrun it: kafkajs
 * retries a consumer's goodbye for about 9 s before it gives up. Past it an app exits with code 1.
 */
const SHUTDOWN_TIMEOUT_MS = 6_000;
/** A SIGTERMed app must have exited by then. */
const DRAIN_LIMIT_MS = SHUTDOWN_TIMEOUT_MS + 2_000;

interface PlacedOrder {
  id: string;
  customerId: string;
  items: { sku: string; quantity: number }[];
  cancelRequested: boolean;
}

const describeWithOwnBroker = externalBrokers() ? describe.skip : describe;

describeWithOwnBroker('the system under faults', () => {
  const random = new SeededRandom(faultSeed());
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const runDir = resolve(__dirname, '../../.data/e2e-failure', runId);
  const databaseUrl = process.env.E2E_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databasePrefix = `orderflow_fault_${runId}`;
  let broker: RunningBroker;
  let brokerPorts: { port: number; controllerPort: number };
  let system: RunningSystem;
  const databases = new Map<AppName, Client>();
  const faultLog: string[] = [];

  let tokens: Tokens;
  /** Back-office automation: a machine client of the run's own provider, with every scope. */
  const backOffice = () => tokens.client('back-office');

  function gatewayUrl(): string {
    return system.app('gateway-1').url;
  }

  async function query<Row>(app: AppName, sql: string, parameters: unknown[] = []): Promise<Row[]> {
    if (!databases.has(app)) databases.set(app, await connectToServiceDatabase(databaseUrl, databasePrefix, app));
    return (await databases.get(app)!.query(sql, parameters)).rows as Row[];
  }

  beforeAll(async () => {
    process.stdout.write(`\nfault injection: FAULT_SEED=${random.seed} (logs in ${runDir})\n`);
    await resolveKafkaJars();
    brokerPorts = { port: await freePort(), controllerPort: await freePort() };
    broker = await startBroker({ dataDir: join(runDir, 'kafka'), ...brokerPorts });
    await mkdir(join(runDir, 'logs'), { recursive: true });
    system = await startSystem({
      brokers: broker.bootstrap,
      kafkaCredentials: broker.credentials,
      database: { kind: 'postgres', url: databaseUrl, namePrefix: databasePrefix },
      logDir: join(runDir, 'logs'),
      apps: SERVICES,
      ports: 'free',
      // Short retries: a service killed mid-retry must not hold the test; the DLQs must stay empty anyway.
      env: {
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        KAFKA_REQUEST_TIMEOUT_MS: '5000',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      },
    });
    tokens = new Tokens(system.app('identity-1').url);
  }, 240_000);

  afterAll(async () => {
    for (const client of databases.values()) await client.end();
    await system?.stop();
    await stopBroker(join(runDir, 'kafka'));
    await dropTestDatabases(databaseUrl, databasePrefix, ['orders', 'inventory', 'payments', 'notifications']);
  }, 120_000);

  async function injectFault(fault: Fault): Promise<void> {
    const started = Date.now();
    if (fault.kind === 'broker') {
      await stopBroker(broker.dataDir);
      await new Promise((wake) => setTimeout(wake, random.between(500, 3_000))); // the outage itself
      // A stop must not wait for a broker that is gone: whatever was not committed is redelivered.
      const instance = `${fault.terminatedMeanwhile}-1`;
      const terminated = await terminate(instance);
      broker = await startBroker({ dataDir: broker.dataDir, ...brokerPorts });
      faultLog.push(`broker stopped and restarted (${Date.now() - started} ms)`);
      faultLog.push(`${instance} SIGTERM while the broker was down: ${terminated}`);
      await system.restart(instance);
      return;
    }
    const instance = `${fault.app}-1`;
    if (fault.kind === 'kill') {
      await system.app(instance).kill();
      await system.restart(instance);
      faultLog.push(`${instance} SIGKILLed and restarted (${Date.now() - started} ms)`);
      return;
    }
    faultLog.push(`${instance} SIGTERM: ${await terminate(instance)}`);
    await system.restart(instance);
  }

  /** Stops an instance with SIGTERM, which must drain and exit 0 within the apps' shutdown budget. */
  async function terminate(instance: string): Promise<string> {
    const started = Date.now();
    const exitCode = await system.app(instance).stop(30_000);
    const drained = Date.now() - started;
    expect({ instance, exitCode }).toEqual({ instance, exitCode: 0 });
    expect(drained).toBeLessThan(DRAIN_LIMIT_MS);
    return `exit ${exitCode} after ${drained} ms`;
  }

  it('keeps every invariant through kills, a broker restart and a gateway crash', async () => {
    // Stock for about half of the demand, a few customers who cannot pay: every outcome happens.
    const products = await Promise.all(
      Array.from({ length: 6 }, async (_, index) => {
        const sku = `FAULT-${runId}-${index}`.toUpperCase();
        const product = { sku, name: `Product ${index}`, priceCents: 100 * (index + 1), stock: 40 };
        await persistently(
          `${gatewayUrl()}/products`,
          { method: 'POST', body: product, credentials: backOffice },
          (status) => status === 201,
        );
        return product;
      }),
    );
    const customers = await Promise.all(
      Array.from({ length: 24 }, async (_, index) => {
        const openingBalanceCents = index % 6 === 0 ? 500 : 1_000_000;
        const customer = { id: `fault-${runId}-${index}`, name: `Customer ${index}`, openingBalanceCents };
        await persistently(
          `${gatewayUrl()}/customers`,
          { method: 'POST', body: customer, credentials: backOffice },
          (status) => status === 201,
        );
        return customer;
      }),
    );

    const placed: PlacedOrder[] = [];
    let chaosDone = false;
    let clientRetries = 0;
    const plans = Array.from({ length: ORDERS * 2 }, () => ({
      customerId: random.pick(customers).id,
      items: random
        .shuffle(products)
        .slice(0, random.between(1, 2))
        .map((product) => ({ sku: product.sku, quantity: random.between(1, 3) })),
      cancel: random.next() < 0.15,
      pauseMs: random.between(50, 400),
    }));
    let nextPlan = 0;

    async function worker(): Promise<void> {
      while ((placed.length < ORDERS || !chaosDone) && nextPlan < plans.length) {
        const plan = plans[nextPlan++];
        const idempotencyKey = randomUUID();
        const body = { customerId: plan.customerId, items: plan.items };
        const accepted = await persistently<{ id: string }>(
          `${gatewayUrl()}/orders`,
          { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey }, credentials: backOffice },
          (status) => status === 202,
        );
        clientRetries += accepted.retries;
        placed.push({ id: accepted.body.id, ...body, cancelRequested: plan.cancel });
        if (plan.cancel) {
          const cancelled = await persistently(
            `${gatewayUrl()}/orders/${accepted.body.id}/cancel`,
            { method: 'POST', credentials: backOffice },
            (status) => status === 202 || status === 200 || status === 409,
          );
          clientRetries += cancelled.retries;
        }
        await new Promise((wake) => setTimeout(wake, plan.pauseMs));
      }
    }

    async function chaos(): Promise<void> {
      const faults: Fault[] = random.shuffle<Fault>([
        ...SERVICES.map((app): Fault => ({ kind: 'kill', app })),
        { kind: 'terminate', app: random.pick(['orders', 'inventory', 'payments'] as AppName[]) },
        { kind: 'broker', terminatedMeanwhile: random.pick(['orders', 'gateway'] as AppName[]) },
      ]);
      try {
        for (const fault of faults) {
          await new Promise((wake) => setTimeout(wake, random.between(500, 3_000)));
          await injectFault(fault);
        }
      } finally {
        chaosDone = true;
      }
    }

    const started = Date.now();
    await Promise.all([chaos(), ...Array.from({ length: 6 }, () => worker())]);
    const loadMs = Date.now() - started;

    // Every accepted order reaches a terminal state, read from the orders database.
    const ids = placed.map((order) => order.id);
    await eventually(
      async () => {
        const open = await query<{ id: string; status: string }>(
          'orders',
          `SELECT id, status FROM customer_order WHERE id = ANY($1) AND status NOT IN ('CONFIRMED', 'CANCELLED')`,
          [ids],
        );
        expect(open).toEqual([]);
      },
      { timeoutMs: SETTLE_DEADLINE_MS, intervalMs: 1_000 },
    );
    const orders = await query<{ id: string; customer_id: string; status: string; total_cents: string | null }>(
      'orders',
      `SELECT id, customer_id, status, total_cents FROM customer_order WHERE customer_id = ANY($1)`,
      [customers.map((customer) => customer.id)],
    );
    const lines = await query<{ order_id: string; sku: string; quantity: number }>(
      'orders',
      'SELECT order_id, sku, quantity FROM order_line WHERE order_id = ANY($1)',
      [ids],
    );
    // Retried POSTs with one Idempotency-Key made one order each.
    expect(new Set(ids).size).toBe(placed.length);
    expect(orders).toHaveLength(placed.length);
    const status = new Map(orders.map((order) => [order.id, order]));
    const confirmed = orders.filter((order) => order.status === 'CONFIRMED');

    // Payments: one payment row per order at most (primary key), a confirmed order charged its total
    // once and never refunded, a cancelled one never left charged; each refund matches its charge.
    const payments = await eventually(
      async () => {
        const rows = await query<{
          order_id: string;
          customer_id: string;
          amount_cents: string;
          status: string;
          refunded_cents: string;
        }>(
          'payments',
          'SELECT order_id, customer_id, amount_cents, status, refunded_cents FROM payment WHERE order_id = ANY($1)',
          [ids],
        );
        for (const payment of rows) {
          const order = status.get(payment.order_id)!;
          if (order.status === 'CONFIRMED') {
            expect({ id: order.id, status: payment.status, refunded: payment.refunded_cents }).toEqual({
              id: order.id,
              status: 'CHARGED',
              refunded: '0',
            });
            expect(payment.amount_cents).toBe(order.total_cents);
          } else {
            expect(['DECLINED', 'VOIDED', 'REFUNDED']).toContain(payment.status);
            if (payment.status === 'REFUNDED') expect(payment.refunded_cents).toBe(payment.amount_cents);
          }
        }
        for (const order of confirmed) expect(rows.some((payment) => payment.order_id === order.id)).toBe(true);
        return rows;
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );

    // Money: balances + charges - refunds = opening balances, per customer.
    const accounts = await query<{ id: string; balance_cents: string }>(
      'payments',
      'SELECT id, balance_cents FROM customer_account WHERE id = ANY($1)',
      [customers.map((customer) => customer.id)],
    );
    let charged = 0;
    let refunded = 0;
    for (const customer of customers) {
      const mine = payments.filter(
        (payment) => payment.customer_id === customer.id && ['CHARGED', 'REFUNDED'].includes(payment.status),
      );
      const charges = mine.reduce((sum, payment) => sum + Number(payment.amount_cents), 0);
      const refunds = mine.reduce((sum, payment) => sum + Number(payment.refunded_cents), 0);
      charged += charges;
      refunded += refunds;
      const balance = Number(accounts.find((account) => account.id === customer.id)!.balance_cents);
      expect({ customer: customer.id, total: balance + charges - refunds }).toEqual({
        customer: customer.id,
        total: customer.openingBalanceCents,
      });
    }

    // Stock: never negative (CHECK constraint) and initial - confirmed quantities, per sku.
    const stock = await query<{ sku: string; stock: number }>(
      'inventory',
      'SELECT sku, stock FROM product WHERE sku = ANY($1)',
      [products.map((product) => product.sku)],
    );
    const confirmedIds = new Set(confirmed.map((order) => order.id));
    for (const product of products) {
      const sold = lines
        .filter((line) => line.sku === product.sku && confirmedIds.has(line.order_id))
        .reduce((sum, line) => sum + line.quantity, 0);
      const left = stock.find((row) => row.sku === product.sku)!.stock;
      expect(left).toBeGreaterThanOrEqual(0);
      expect({ sku: product.sku, stock: left }).toEqual({ sku: product.sku, stock: product.stock - sold });
    }

    // Notifications: exactly one per outcome an order reached. A confirmed order that the customer
    // then cancelled reached both, so its customer was told both.
    const everConfirmed = new Set(
      (
        await query<{ order_id: string }>(
          'orders',
          `SELECT DISTINCT order_id FROM order_status_change WHERE status = 'CONFIRMED' AND order_id = ANY($1)`,
          [ids],
        )
      ).map((row) => row.order_id),
    );
    const expectedKinds = (order: { id: string; status: string }): string[] => [
      ...(everConfirmed.has(order.id) ? ['ORDER_CONFIRMED'] : []),
      ...(order.status === 'CANCELLED' ? ['ORDER_CANCELLED'] : []),
    ];
    await eventually(
      async () => {
        const notifications = await query<{ order_id: string; kind: string }>(
          'notifications',
          'SELECT order_id, kind FROM notification WHERE order_id = ANY($1)',
          [ids],
        );
        const byOrder = new Map<string, string[]>();
        for (const notification of notifications)
          byOrder.set(notification.order_id, [...(byOrder.get(notification.order_id) ?? []), notification.kind]);
        const mismatched = orders.filter(
          (order) => [...(byOrder.get(order.id) ?? [])].sort().join(',') !== expectedKinds(order).sort().join(','),
        );
        expect(
          mismatched.map((order) => `${order.id} ${order.status} ${byOrder.get(order.id)?.join(',') ?? 'none'}`),
        ).toEqual([]);
      },
      { timeoutMs: 60_000, intervalMs: 1_000 },
    );

    // No message was lost to a crash: every DLQ is empty.
    const kafka = new Kafka({
      clientId: `fault-check-${runId}`,
      brokers: [broker.bootstrap],
      sasl: scramSasl(broker.credentials.admin),
      logLevel: logLevel.NOTHING,
    });
    const deadLetterTool = {
      brokers: [broker.bootstrap],
      security: { sasl: scramSasl(broker.credentials.participants['dlq-tool']) },
    };
    // Right after the broker restart a partition may still answer "not the leader": read again until it does.
    const deadLetters = await eventually(() => allDeadLetters(kafka, deadLetterTool), {
      timeoutMs: 30_000,
      intervalMs: 500,
    });
    const dlqSummary = [...deadLetters].map(
      ([topic, letters]) => `${topic}: ${letters.map((letter) => `${letter.reason} ${letter.error}`).join('; ')}`,
    );

    const cancelled = orders.filter((order) => order.status === 'CANCELLED');
    process.stdout.write(
      [
        `fault injection (FAULT_SEED=${random.seed}): ${placed.length} orders in ${loadMs} ms, ${clientRetries} client retries`,
        ...faultLog.map((line) => `  fault: ${line}`),
        `  confirmed ${confirmed.length}, cancelled ${cancelled.length} (customer cancels requested ${placed.filter((order) => order.cancelRequested).length})`,
        `  charged ${charged} cents, refunded ${refunded} cents, payments rows ${payments.length}`,
        `  stock left: ${stock.map((row) => `${row.sku.slice(-1)}=${row.stock}`).join(' ')}`,
        `  dead letters: ${dlqSummary.length === 0 ? 'none' : dlqSummary.join(' | ')}`,
        '',
      ].join('\n'),
    );
    expect(placed.length).toBeGreaterThanOrEqual(ORDERS);
    expect(faultLog).toHaveLength(SERVICES.length + 3);
    expect(confirmed.length).toBeGreaterThan(0);
    expect(cancelled.length).toBeGreaterThan(0);
    expect(dlqSummary).toEqual([]);
  }, 600_000);
});
