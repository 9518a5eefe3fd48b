import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { EventTopics } from '@orderflow/contracts';
import { seedClientToken } from '../tools/identity/seed-tokens';
import { appsWithDatabase } from '../tools/system/apps';
import { identityApp } from '../tools/system/identity-app';
import { RunningSystem, startSystem } from '../tools/system/system';
import { settlesWithin } from '@orderflow/messaging';
import { dropDatabase } from '@orderflow/persistence';
import { benchKafkaConfig } from './peers/bench-kafka-settings';
import { BenchEnvironment } from './support/bench-environment';
import { infrastructureCpuPer1000Orders, infrastructureUsage } from './support/infrastructure-usage';
import { processUsage, ProcessUsage } from './support/process-usage';
import { bucketsSince, histogramBuckets, HistogramBuckets, histogramQuantile } from './support/prometheus-histogram';
import { LatencySummary, round, summarize } from './support/statistics';
import { Targets } from './targets';

interface LevelResult {
  concurrency: number;
  seconds: number;
  accepted: number;
  /** POSTs answered with another status than 202, by status (e.g. 504: the gateway's deadline passed). */
  refused: Record<string, number>;
  /** POSTs without an answer: connection errors and autocannon's own timeouts. */
  unanswered: number;
  terminal: number;
  confirmed: number;
  cancelled: number;
  ordersPerSecond: number;
  postToTerminalMs: LatencySummary;
  postMs: LatencySummary;
  /** Search's projection lag (publication → commit) for the events of this level, its drain included. */
  searchProjectionLagMs: HistogramSummary;
}

export interface SagaReport {
  name: 'saga';
  /**
   * The same load before the measured levels, counted in none of the figures below: the apps' first
   * orders run cold (JIT, connection pools, the stream processor's first windows).
   */
  warmUp: Omit<LevelResult, 'searchProjectionLagMs'>;
  levels: LevelResult[];
  /**
   * From an order's terminal event being published (its record timestamp) until a search through the
   * gateway finds the status: sampled under the load, as a user sees it, the query's own round trip included.
   */
  searchFreshnessMs: LatencySummary;
  /**
   * Search's own figure for every event it projected during the load: publication (record timestamp)
   * to the projection's commit, estimated from its `orderflow_message_handled_lag_seconds` histogram.
   */
  searchProjectionLagMs: HistogramSummary;
  /**
   * POST → CONFIRMED of one order at a time on the warmed, otherwise idle system (issue 21: mostly
   * waiting on hops, so judged in absolute terms): the time from the POST until `order.status-changed`
   * says CONFIRMED, the next order posted only then.
   */
  idleConfirmMs: LatencySummary;
  apps: { instance: string; idleRssMb: number; endRssMb: number; cpuSecondsPer1000Orders: number }[];
  /**
   * The same measured levels' CPU outside the apps (issue 21 reports it beside theirs): the broker (none
   * on an outside cluster) and the PostgreSQL backends serving this run's databases.
   */
  infrastructure: ReturnType<typeof infrastructureCpuPer1000Orders>;
  target: string;
}

interface HistogramSummary {
  count: number;
  p50: number;
  p99: number;
}

const HEALTHY_SKUS = 20;
/** Seconds of load at the first level's concurrency before the measured levels. */
const WARM_UP_SECONDS = { full: 15, quick: 3 };
/** Orders placed one at a time on the idle system ("a few hundred" in the full run). */
const IDLE_ORDERS = { full: 200, quick: 20 };
/** An idle order that takes longer is a failure of the run, not a slow sample. */
const IDLE_ORDER_DEADLINE_MS = 30_000;
const customers = { rich: 100, poor: 10 };

/**
 * Posts orders through the gateway at several concurrency levels and measures orders that reach a
 * terminal state per second and POST → terminal latency, observed on `order.status-changed`.
 * Mixed outcomes: mostly confirmed, some out of stock (a scarce sku), some declined (poor customers).
 */
export async function sagaBenchmark(environment: BenchEnvironment): Promise<SagaReport> {
  const namePrefix = `orderflow_bench_${environment.runId}`;
  const system = await startSystem({
    brokers: environment.brokers,
    kafkaCredentials: environment.kafkaCredentials,
    database: { kind: 'postgres', url: environment.databaseUrl, namePrefix },
    logDir: join(environment.runDir, 'logs'),
    ports: 'free',
    // All load comes from one client: the benchmark measures the saga, not the gateway's rate limit.
    env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000000' },
  });
  const gateway = system.app('gateway-1').url;
  // Back-office automation places the load: a machine client with a real token (verified on every request).
  const authorization = `Bearer ${await seedClientToken(system.app('identity-1').url, identityApp.audience, 'back-office')}`;
  const freshness = new SearchFreshnessProbe(gateway, authorization);
  const watcher = await watchTerminalStates(environment.brokers, freshness);
  try {
    const catalogue = await seed(gateway, authorization);
    const idle = usageOf(system);
    const concurrencyLevels = environment.quick ? [16] : [8, 32, 64];
    const warmUp = await runLevel(
      gateway,
      authorization,
      catalogue,
      watcher,
      concurrencyLevels[0],
      environment.quick ? WARM_UP_SECONDS.quick : WARM_UP_SECONDS.full,
    );
    // Before the CPU baseline: its few orders are not the load whose CPU per order is measured.
    const idleConfirmMs = await placeOneAtATime(
      gateway,
      authorization,
      catalogue,
      watcher,
      environment.quick ? IDLE_ORDERS.quick : IDLE_ORDERS.full,
    );
    await freshness.restart();
    const warm = usageOf(system);
    const warmInfrastructure = await infrastructureUsage(environment.brokerPid, environment.databaseUrl, namePrefix);
    // Its metrics: on the management port, not the public one.
    const search = system.app('search-1').managementUrl;
    const lagBefore = await handledLag(search);
    const levels: LevelResult[] = [];
    // One scrape between two levels: the end of one is the start of the next.
    let lagAtStart = lagBefore;
    for (const concurrency of concurrencyLevels) {
      const level = await runLevel(gateway, authorization, catalogue, watcher, concurrency, environment.quick ? 5 : 30);
      const lagAtEnd = await handledLag(search);
      levels.push({ ...level, searchProjectionLagMs: summarizeHistogram(bucketsSince(lagAtStart, lagAtEnd)) });
      lagAtStart = lagAtEnd;
    }
    const end = usageOf(system);
    const endInfrastructure = await infrastructureUsage(environment.brokerPid, environment.databaseUrl, namePrefix);
    const totalOrders = levels.reduce((sum, level) => sum + level.terminal, 0);
    await freshness.settled();
    const projectionLag = bucketsSince(lagBefore, await handledLag(search));
    return {
      name: 'saga',
      warmUp,
      levels,
      searchFreshnessMs: summarize(freshness.latencies),
      searchProjectionLagMs: summarizeHistogram(projectionLag),
      idleConfirmMs,
      apps: system.all.map((app) => ({
        instance: app.name,
        idleRssMb: round(idle.get(app.name)?.rssMb ?? Number.NaN),
        endRssMb: round(end.get(app.name)?.rssMb ?? Number.NaN),
        cpuSecondsPer1000Orders: round(
          (((end.get(app.name)?.cpuSeconds ?? 0) - (warm.get(app.name)?.cpuSeconds ?? 0)) * 1000) /
            Math.max(1, totalOrders),
          2,
        ),
      })),
      infrastructure: infrastructureCpuPer1000Orders(warmInfrastructure, endInfrastructure, totalOrders),
      target:
        `>= ${Targets.ordersPerSecond} orders/s with p99 POST→terminal < ${Targets.terminalP99Ms} ms; ` +
        `< ${Targets.idleRssMb} MB RSS idle per app; search freshness p99 < ${Targets.searchLagP99Ms} ms; ` +
        `one order on an idle system: POST → CONFIRMED p50 <= ${Targets.idleConfirmP50Ms} ms, p99 <= ${Targets.idleConfirmP99Ms} ms`,
    };
  } finally {
    await watcher.stop();
    await system.stop();
    for (const app of appsWithDatabase) await dropDatabase(environment.databaseUrl, `${namePrefix}_${app}`);
  }
}

interface Catalogue {
  healthySkus: string[];
  scarceSku: string;
  richCustomers: string[];
  poorCustomers: string[];
}

async function seed(gateway: string, authorization: string): Promise<Catalogue> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${gateway}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`seeding ${path} failed: ${response.status} ${await response.text()}`);
  };
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const healthySkus = Array.from({ length: HEALTHY_SKUS }, (_, index) => `BENCH-${tag}-${index}`);
  const scarceSku = `BENCH-${tag}-SCARCE`;
  for (const sku of healthySkus)
    await post('/products', { sku, name: `Bench ${sku}`, priceCents: 500, stock: 10_000_000 });
  await post('/products', { sku: scarceSku, name: 'Scarce', priceCents: 500, stock: 50 });
  const richCustomers = Array.from({ length: customers.rich }, (_, index) => `bench-${tag}-rich-${index}`);
  const poorCustomers = Array.from({ length: customers.poor }, (_, index) => `bench-${tag}-poor-${index}`);
  for (const id of richCustomers) await post('/customers', { id, name: id, openingBalanceCents: 1_000_000_000 });
  for (const id of poorCustomers) await post('/customers', { id, name: id, openingBalanceCents: 100 });
  return { healthySkus, scarceSku, richCustomers, poorCustomers };
}

function randomOrder(catalogue: Catalogue): string {
  const roll = Math.random();
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
  const customerId = roll < 0.05 ? pick(catalogue.poorCustomers) : pick(catalogue.richCustomers);
  const sku = roll > 0.95 ? catalogue.scarceSku : pick(catalogue.healthySkus);
  return JSON.stringify({ customerId, items: [{ sku, quantity: 1 + Math.floor(Math.random() * 3) }] });
}

interface TerminalWatcher {
  terminalAt: Map<string, { at: number; status: string }>;
  /** Resolves with the terminal state of `orderId` once seen (at once if it has been). */
  terminal(orderId: string): Promise<{ at: number; status: string }>;
  stop(): Promise<void>;
}

/** Timestamps each order's terminal state as any subscriber would see it. */
async function watchTerminalStates(brokers: string, freshness: SearchFreshnessProbe): Promise<TerminalWatcher> {
  const kafka = new Kafka({ ...benchKafkaConfig('bench-watcher', brokers), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-watcher-${randomUUID()}`, maxWaitTimeInMs: 50 });
  const terminalAt = new Map<string, { at: number; status: string }>();
  const awaited = new Map<string, (terminal: { at: number; status: string }) => void>();
  await consumer.connect();
  await consumer.subscribe({ topic: EventTopics.OrderStatusChanged, fromBeginning: false });
  let joined!: () => void;
  const hasJoined = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    partitionsConsumedConcurrently: 6,
    eachMessage: async ({ message }) => {
      const envelope = JSON.parse(message.value?.toString() ?? '{}') as {
        payload?: { orderId: string; status: string };
      };
      const change = envelope.payload;
      if (change && (change.status === 'CONFIRMED' || change.status === 'CANCELLED')) {
        const terminal = { at: Date.now(), status: change.status };
        terminalAt.set(change.orderId, terminal);
        awaited.get(change.orderId)?.(terminal);
        freshness.sample(change.orderId, change.status, Number(message.timestamp));
      }
    },
  });
  await hasJoined;
  const terminal = (orderId: string) =>
    new Promise<{ at: number; status: string }>((resolve) => {
      const seen = terminalAt.get(orderId);
      if (seen) return resolve(seen);
      awaited.set(orderId, (state) => {
        awaited.delete(orderId);
        resolve(state);
      });
    });
  return { terminalAt, terminal, stop: () => consumer.disconnect() };
}

/** Places `count` orders one after the other, each once the last is CONFIRMED; every one must confirm. */
async function placeOneAtATime(
  gateway: string,
  authorization: string,
  catalogue: Catalogue,
  watcher: TerminalWatcher,
  count: number,
): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (let index = 0; index < count; index++) {
    // A rich customer and a plentiful sku: the order confirms, so every sample is the whole saga.
    const order = {
      customerId: catalogue.richCustomers[index % catalogue.richCustomers.length],
      items: [{ sku: catalogue.healthySkus[index % catalogue.healthySkus.length], quantity: 1 }],
    };
    const postedAt = Date.now();
    const response = await fetch(`${gateway}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(order),
    });
    if (response.status !== 202)
      throw new Error(`an idle order was refused: ${response.status} ${await response.text()}`);
    const { id } = (await response.json()) as { id: string };
    const terminalState = watcher.terminal(id);
    if (!(await settlesWithin(terminalState, IDLE_ORDER_DEADLINE_MS))) {
      throw new Error(`idle order ${id} did not terminate within ${IDLE_ORDER_DEADLINE_MS} ms`);
    }
    const terminal = await terminalState;
    if (terminal.status !== 'CONFIRMED') throw new Error(`idle order ${id} ended ${terminal.status}, not CONFIRMED`);
    latencies.push(terminal.at - postedAt);
  }
  return summarize(latencies);
}

async function runLevel(
  gateway: string,
  authorization: string,
  catalogue: Catalogue,
  watcher: TerminalWatcher,
  concurrency: number,
  seconds: number,
): Promise<Omit<LevelResult, 'searchProjectionLagMs'>> {
  const sentAt = new Map<string, number>();
  const postLatencies: number[] = [];
  const refused: Record<string, number> = {};
  const load = await autocannon({
    url: gateway,
    connections: concurrency,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/orders',
        headers: { 'content-type': 'application/json', authorization },
        setupRequest: (request, context: object) => {
          (context as Record<string, unknown>).sentAt = Date.now();
          return { ...request, body: randomOrder(catalogue) };
        },
        onResponse: (status, body, context: object) => {
          if (status !== 202) {
            refused[status] = (refused[status] ?? 0) + 1;
            return;
          }
          const started = (context as Record<string, unknown>).sentAt as number;
          postLatencies.push(Date.now() - started);
          sentAt.set((JSON.parse(body) as { id: string }).id, started);
        },
      },
    ],
  });
  const loadEndedAt = Date.now();
  // Let the saga finish the orders accepted during the load, with a deadline.
  const deadline = loadEndedAt + 60_000;
  while (Date.now() < deadline && [...sentAt.keys()].some((id) => !watcher.terminalAt.has(id))) {
    await new Promise((wake) => setTimeout(wake, 100));
  }
  const latencies: number[] = [];
  let confirmed = 0;
  let cancelled = 0;
  let lastTerminal = loadEndedAt;
  for (const [id, started] of sentAt) {
    const terminal = watcher.terminalAt.get(id);
    if (!terminal) continue;
    latencies.push(terminal.at - started);
    lastTerminal = Math.max(lastTerminal, terminal.at);
    if (terminal.status === 'CONFIRMED') confirmed += 1;
    else cancelled += 1;
  }
  const firstSent = Math.min(...sentAt.values());
  return {
    concurrency,
    seconds,
    accepted: sentAt.size,
    refused,
    unanswered: load.errors,
    terminal: latencies.length,
    confirmed,
    cancelled,
    ordersPerSecond: round(latencies.length / ((lastTerminal - firstSent) / 1000)),
    postToTerminalMs: summarize(latencies),
    postMs: summarize(postLatencies),
  };
}

function summarizeHistogram(secondsBuckets: HistogramBuckets): HistogramSummary {
  return {
    count: secondsBuckets.get(Number.POSITIVE_INFINITY) ?? 0,
    p50: round(histogramQuantile(secondsBuckets, 0.5) * 1000),
    p99: round(histogramQuantile(secondsBuckets, 0.99) * 1000),
  };
}

async function handledLag(managementUrl: string): Promise<HistogramBuckets> {
  const exposition = await (await fetch(`${managementUrl}/metrics`)).text();
  return histogramBuckets(exposition, 'orderflow_message_handled_lag_seconds');
}

function usageOf(system: RunningSystem): Map<string, ProcessUsage> {
  return new Map(system.all.filter((app) => app.pid).map((app) => [app.name, processUsage(app.pid!)]));
}

const FRESHNESS_SAMPLE_EVERY = 5;
const FRESHNESS_MAX_IN_FLIGHT = 8;
const FRESHNESS_DEADLINE_MS = 10_000;

/**
 * Samples terminal orders and polls the search API until it shows their status: the read model's
 * lag behind the event log, as a user of `GET /search/orders` sees it.
 */
class SearchFreshnessProbe {
  readonly latencies: number[] = [];
  private seen = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly gateway: string,
    private readonly authorization: string,
  ) {}

  sample(orderId: string, status: string, publishedAt: number): void {
    this.seen += 1;
    if (this.seen % FRESHNESS_SAMPLE_EVERY !== 0 || this.inFlight.size >= FRESHNESS_MAX_IN_FLIGHT) return;
    if (Number.isNaN(publishedAt)) return;
    const probe = this.probe(orderId, status, publishedAt).finally(() => this.inFlight.delete(probe));
    this.inFlight.add(probe);
  }

  async settled(): Promise<void> {
    await Promise.all(this.inFlight);
  }

  /** Forgets what was sampled so far (the warm-up), once its probes have finished. */
  async restart(): Promise<void> {
    await this.settled();
    this.latencies.length = 0;
  }

  private async probe(orderId: string, status: string, publishedAt: number): Promise<void> {
    const deadline = Date.now() + FRESHNESS_DEADLINE_MS;
    while (Date.now() < deadline) {
      const response = await fetch(`${this.gateway}/search/orders?q=${orderId}`, {
        headers: { authorization: this.authorization },
      }).catch(() => undefined);
      const result = response?.ok
        ? ((await response.json()) as { items: { orderId: string; status: string }[] })
        : undefined;
      if (result?.items.some((hit) => hit.orderId === orderId && hit.status === status)) {
        this.latencies.push(Date.now() - publishedAt);
        return;
      }
      await new Promise((wake) => setTimeout(wake, 20));
    }
    this.latencies.push(Number.POSITIVE_INFINITY); // not searchable within the deadline: counts as a miss
  }
}
