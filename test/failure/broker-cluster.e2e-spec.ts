import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { DEFAULT_TOPIC_PARTITIONS } from '@orderflow/config';
import { systemTopicPlan } from '@orderflow/messaging';
import { externalBrokers, resolveKafkaJars } from '../../tools/kafka/broker';
import { CLUSTER_REPLICATION, RunningCluster, startCluster } from '../../tools/kafka/cluster';
import { scramSasl } from '../../tools/kafka/credentials';
import { AppName } from '../../tools/system/apps';
import { freePort } from '../../tools/system/free-port';
import { RunningSystem, startSystem } from '../../tools/system/system';
import { eventually } from '../support/eventually';
import { Http } from '../support/http';
import { Tokens } from '../support/tokens';
import { connectToServiceDatabase, dropTestDatabases } from '../support/test-databases';
import { createCatalogue, OrderLoad } from './order-load';
import { faultSeed, SeededRandom } from './seeded-random';
import { expectedStreamResults, expectStreamResults } from './stream-results';
import {
  checkSystemInvariants,
  deadLetterSummary,
  expectNoLateChanges,
  waitForTerminalOrders,
} from './system-invariants';

/**
 * The system on a three-node KRaft cluster replicated as in production (3 replicas, 2 in sync), its
 * own databases and stream processor: under a mixed load of orders, the node leading the busiest
 * partitions is SIGKILLed and restarted, then, once every partition is fully replicated again, a
 * second node. Orders keep being accepted throughout (the only 5xx allowed is the documented 504),
 * the business invariants hold, and the stream processor's exactly-once results count every sale
 * and cancellation once. `FAULT_SEED=<n>` replays a run.
 */
const ORDERS = 150;
const NODES = 3;
const APPS: AppName[] = ['orders', 'inventory', 'payments', 'notifications', 'analytics', 'gateway'];
/** Per broker JVM: three of them share 2 cores with the whole system. */
const BROKER_HEAP_MB = 320;
/** How long the traffic per partition is measured to find the busiest leader. */
const TRAFFIC_SAMPLE_MS = 3_000;
/** No load: a duplicate that arrives late would change the exact counts meanwhile. */
const QUIET_PERIOD_MS = 10_000;

interface Outage {
  nodeId: number;
  /** The partitions it led that carried the most traffic, busiest first. */
  busiest: string[];
  killedAt: number;
  /** When no partition was led by it any more. */
  movedAt: number;
  backAt: number;
  replicatedAt: number;
}

const describeWithOwnCluster = externalBrokers() ? describe.skip : describe;

describeWithOwnCluster('the system on a three-broker KRaft cluster', () => {
  const random = new SeededRandom(faultSeed());
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const runDir = resolve(__dirname, '../../.data/e2e-cluster', runId);
  const databaseUrl =
    process.env.E2E_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const databasePrefix = `orderflow_cluster_${runId}`;
  let cluster: RunningCluster | undefined;
  let system: RunningSystem | undefined;
  let kafka: Kafka;
  const databases = new Map<AppName, Client>();
  const timings: string[] = [];

  let tokens: Tokens;
  /** Back-office automation: a machine client of the run's own provider, with every scope. */
  const backOffice = () => tokens.client('back-office');
  const gatewayUrl = () => system!.app('gateway-1').url;

  async function query<Row>(app: AppName, sql: string, parameters: unknown[] = []): Promise<Row[]> {
    if (!databases.has(app)) databases.set(app, await connectToServiceDatabase(databaseUrl, databasePrefix, app));
    return (await databases.get(app)!.query(sql, parameters)).rows as Row[];
  }

  async function timed<T>(label: string, step: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const result = await step();
    timings.push(`${label} ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  }

  beforeAll(async () => {
    process.stdout.write(`\nbroker cluster: FAULT_SEED=${random.seed} (logs in ${runDir})\n`);
    await resolveKafkaJars();
    const ports: { port: number; controllerPort: number }[] = [];
    for (let node = 0; node < NODES; node += 1)
      ports.push({ port: await freePort(), controllerPort: await freePort() });
    cluster = await timed('cluster start', () =>
      startCluster({ dataDir: join(runDir, 'kafka'), ports, heapMb: BROKER_HEAP_MB }),
    );
    await mkdir(join(runDir, 'logs'), { recursive: true });
    system = await timed('system start', () =>
      startSystem({
        brokers: cluster!.bootstrap,
        kafkaCredentials: cluster!.credentials,
        database: { kind: 'postgres', url: databaseUrl, namePrefix: databasePrefix },
        logDir: join(runDir, 'logs'),
        apps: APPS,
        // Its first rebalance creates its repartition and changelog topics, three replicas each.
        streamAppReadyTimeoutMs: 240_000,
        ports: 'free',
        // The apps' own topics (none with ACLs on, but the stream processor's internal ones) replicated alike.
        // The outbox keeps every published row for the run, so that the inboxes are checked against it.
        env: {
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          KAFKA_REPLICATION_FACTOR: String(CLUSTER_REPLICATION.factor),
          OUTBOX_RETENTION_MS: String(60 * 60 * 1000),
        },
      }),
    );
    tokens = new Tokens(system.app('identity-1').url);
    kafka = new Kafka({
      clientId: `cluster-check-${runId}`,
      brokers: cluster.bootstrap.split(','),
      sasl: scramSasl(cluster.credentials.admin),
      logLevel: logLevel.NOTHING,
    });
  }, 600_000);

  afterAll(async () => {
    for (const client of databases.values()) await client.end();
    await system?.stop();
    await cluster?.stop();
    await dropTestDatabases(
      databaseUrl,
      databasePrefix,
      APPS.filter((app) => app !== 'gateway'),
    );
  }, 120_000);

  /** The system's topics (the apps', the processor's results): their traffic picks the node to kill. */
  const systemTopics = systemTopicPlan(DEFAULT_TOPIC_PARTITIONS).map(({ topic }) => topic);

  /** The node whose partitions took the most records over a short sample, of those not excluded. */
  async function busiestLeader(excluded: number[]): Promise<{ nodeId: number; busiest: string[] }> {
    // Right after a restart a leader may still be moving: ask again until every leader answers.
    const endOffsets = () =>
      eventually(() => cluster!.endOffsets(systemTopics), { timeoutMs: 30_000, intervalMs: 500 });
    const before = await endOffsets();
    await new Promise((wake) => setTimeout(wake, TRAFFIC_SAMPLE_MS));
    const after = await endOffsets();
    const traffic = new Map<number, { records: number; partitions: [string, number][] }>();
    for (const { topic, partition, leader } of await cluster!.partitions(systemTopics)) {
      if (excluded.includes(leader) || leader < 0) continue;
      const name = `${topic}-${partition}`;
      const records = (after.get(name) ?? 0) - (before.get(name) ?? 0);
      const led = traffic.get(leader) ?? { records: 0, partitions: [] };
      traffic.set(leader, { records: led.records + records, partitions: [...led.partitions, [name, records]] });
    }
    const [nodeId, led] = [...traffic.entries()].sort((a, b) => b[1].records - a[1].records)[0];
    const busiest = led.partitions
      .filter(([, records]) => records > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([name, records]) => `${name} (+${records})`);
    return { nodeId, busiest };
  }

  /**
   * The node coordinating a consumer group: the leader of the __consumer_offsets partition Kafka maps
   * the group to (the absolute Java hashCode of its id, modulo the partition count).
   */
  async function coordinatorOf(groupId: string): Promise<number> {
    const offsets = await cluster!.partitions(['__consumer_offsets']);
    let hash = 0;
    for (const char of groupId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
    const partition = (hash & 0x7fffffff) % offsets.length;
    return offsets.find((candidate) => candidate.partition === partition)!.leader;
  }

  /** The orders service's consumer group (Nest appends `-server` to the service's group id). */
  const ORDERS_GROUP = 'orders-server';

  /**
   * SIGKILL; once the controller has fenced the node and moved its leaderships (9 s), an outage with
   * the cluster running on two nodes; a restart on the same data; then every partition fully
   * replicated again. Restarted at once, a node was back seconds after the move, and the system had
   * hardly run without it.
   */
  async function crash(target: { nodeId: number; busiest: string[] }): Promise<Outage> {
    const killedAt = Date.now();
    await cluster!.kill(target.nodeId);
    await cluster!.awaitLeadershipMoved(target.nodeId);
    const movedAt = Date.now();
    await new Promise((wake) => setTimeout(wake, random.between(3_000, 8_000))); // the outage itself
    await cluster!.restart(target.nodeId);
    const backAt = Date.now();
    await cluster!.awaitFullyReplicated();
    return { ...target, killedAt, movedAt, backAt, replicatedAt: Date.now() };
  }

  it('replicates every topic of the system three times with two in sync, as production does', async () => {
    const partitions = await cluster!.partitions(systemTopics);
    expect(partitions).toHaveLength(systemTopicPlan(DEFAULT_TOPIC_PARTITIONS).reduce((n, t) => n + t.partitions, 0));
    expect(partitions.filter(({ replicas }) => replicas.length !== CLUSTER_REPLICATION.factor)).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    const { resources } = await admin
      .describeConfigs({
        includeSynonyms: false,
        resources: systemTopics.map((name) => ({
          type: ConfigResourceTypes.TOPIC,
          name,
          configNames: ['min.insync.replicas'],
        })),
      })
      .finally(() => admin.disconnect());
    const minInsync = new Set(resources.map(({ configEntries }) => configEntries[0]?.configValue));
    expect([...minInsync]).toEqual([String(CLUSTER_REPLICATION.minInsync)]);
  });

  it("keeps taking orders and counts each exactly once while the busiest leader, then the orders group's coordinator, is SIGKILLed", async () => {
    const gateway = { gatewayUrl, credentials: backOffice };
    const loadStarted = new Date();
    const catalogue = await createCatalogue(gateway, runId);
    const load = new OrderLoad(gateway, catalogue, random, ORDERS);
    const outages: Outage[] = [];
    let faultsDone = false;

    async function faults(): Promise<void> {
      try {
        await new Promise((wake) => setTimeout(wake, random.between(2_000, 5_000))); // let the load build up
        outages.push(await crash(await busiestLeader([])));
        // Then the node coordinating the orders service's group (it has moved off the first node if it
        // was there), so that every run shows a consumer riding out its coordinator's failover.
        const coordinator = await coordinatorOf(ORDERS_GROUP);
        outages.push(
          await crash(
            coordinator !== outages[0].nodeId
              ? { nodeId: coordinator, busiest: [`the coordinator of ${ORDERS_GROUP}`] }
              : await busiestLeader([outages[0].nodeId]),
          ),
        );
      } finally {
        faultsDone = true;
      }
    }

    const [loaded] = await Promise.all([load.run(() => !faultsDone), faults()]);
    const subject = { query, catalogue, placed: loaded.placed };
    await timed('settle', () => waitForTerminalOrders(subject));
    const summary = await checkSystemInvariants(subject);
    await expectNoLateChanges(subject, QUIET_PERIOD_MS);
    const deadLetters = await deadLetterSummary(kafka, {
      brokers: cluster!.bootstrap.split(','),
      security: { sasl: scramSasl(cluster!.credentials.participants['dlq-tool']) },
    });

    // The stream processor's results: every sale and cancellation counted once, across its own
    // transactions being cut by the crashes (exactly-once v2, its transaction log replicated too).
    const http = new Http(gatewayUrl(), backOffice);
    const expected = await expectedStreamResults(subject);
    await timed('stream results exact', () => expectStreamResults((path) => http.get(path), expected, loadStarted));

    // Taking orders throughout: the orders service stored some of them while each node was down.
    const storedWhileDown = await Promise.all(
      outages.map(async (outage) => {
        const [{ count }] = await query<{ count: string }>(
          'orders',
          'SELECT count(*) FROM customer_order WHERE id = ANY($1) AND created_at BETWEEN $2 AND $3',
          [loaded.placed.map((order) => order.id), new Date(outage.killedAt), new Date(outage.backAt)],
        );
        return Number(count);
      }),
    );

    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    process.stdout.write(
      [
        `broker cluster (FAULT_SEED=${random.seed}): ${loaded.placed.length} orders in ${seconds(loaded.durationMs)}, ${loaded.retries.summary()}`,
        ...outages.map(
          (outage, index) =>
            `  node ${outage.nodeId} SIGKILLed (busiest: ${outage.busiest.join(', ')}): leaderships moved after ${seconds(outage.movedAt - outage.killedAt)}, back after ${seconds(outage.backAt - outage.killedAt)}, fully replicated after ${seconds(outage.replicatedAt - outage.killedAt)}, ${storedWhileDown[index]} orders taken while it was down`,
        ),
        `  confirmed ${summary.confirmed.length}, cancelled ${summary.cancelled.length}, charged ${summary.chargedCents} cents, refunded ${summary.refundedCents} cents`,
        `  stream results exact for ${Object.keys(expected.skus).length} skus and ${Object.keys(expected.customers).length} customers`,
        `  timings: ${timings.join(', ')}`,
        '',
      ].join('\n'),
    );

    expect(outages).toHaveLength(2);
    expect(outages[1].nodeId).not.toBe(outages[0].nodeId);
    expect(storedWhileDown.map((count, index) => ({ node: outages[index].nodeId, taken: count > 0 }))).toEqual(
      outages.map((outage) => ({ node: outage.nodeId, taken: true })),
    );
    // The gateway never goes down here: every retry answers a documented 504, none a network failure.
    expect(loaded.retries.undocumentedServerErrors).toEqual([]);
    expect(Object.keys(loaded.retries.causes).filter((cause) => cause !== 'HTTP 504')).toEqual([]);
    expect(deadLetters).toEqual([]);
    expect(await cluster!.underReplicated()).toEqual([]);
  }, 900_000);
});
