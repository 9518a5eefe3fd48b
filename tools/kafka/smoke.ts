/**
 * Smoke test of the dev/test broker against kafkajs: `npx tsx tools/kafka/smoke.ts`.
 * Starts a broker in a fresh temp dir on free ports, runs the checks the project relies on,
 * prints PASS/FAIL per check, stops the broker and exits non-zero on any failure.
 * Not a jest test on purpose: unit tests must never start a broker.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Consumer, EachMessagePayload, Kafka, logLevel, Partitioners } from 'kafkajs';
import { kafkaVersion, resolveKafkaJars, RunningBroker, startBroker } from './broker';
import { ADMIN_PROPERTIES_FILE, scramSasl } from './credentials';

type Check = { name: string; run: () => Promise<string | void> };

const results: { name: string; ok: boolean; detail: string }[] = [];

async function main(): Promise<void> {
  const version = await kafkaVersion();
  const lib = await resolveKafkaJars();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'orderflow-kafka-smoke-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  let broker: RunningBroker | undefined;
  try {
    const started = Date.now();
    broker = await startBroker({ dataDir, port, controllerPort });
    record('broker starts (Kafka ' + version + ')', true, `${broker.bootstrap} in ${secondsSince(started)} s`);
    const kafka = new Kafka({
      clientId: 'smoke',
      brokers: [broker.bootstrap],
      sasl: scramSasl(broker.credentials.admin),
      logLevel: logLevel.WARN,
    });
    const adminProperties = path.join(broker.dataDir, ADMIN_PROPERTIES_FILE);
    for (const check of checks(kafka, lib, broker.bootstrap, adminProperties)) await runCheck(check);
  } catch (error) {
    record('broker starts (Kafka ' + version + ')', false, message(error));
  } finally {
    const stopping = Date.now();
    await broker?.stop();
    if (broker) record('broker stops', true, `in ${secondsSince(stopping)} s`);
    await rm(dataDir, { recursive: true, force: true });
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`\nsmoke: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

function checks(kafka: Kafka, lib: string, bootstrap: string, adminProperties: string): Check[] {
  const topic = 'smoke.orders';
  const groupId = 'smoke-group';
  const keys = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6'];
  const perKey = 5;
  return [
    { name: 'admin createTopics with 3 partitions', run: () => createTopic(kafka, topic, 3) },
    { name: 'idempotent producer (acks=-1) sends keyed messages', run: () => produceKeyed(kafka, topic, keys, perKey) },
    {
      name: 'consumer group consumes all, keys stay on one partition, offsets committed',
      run: () => consumeAndCommit(kafka, topic, groupId, keys.length * perKey),
    },
    { name: 'second consumer in the group triggers a rebalance', run: () => rebalance(kafka, topic, groupId) },
    { name: 'broker transaction config for single node', run: () => transactionConfig(kafka) },
    { name: 'transactional producer: committed visible, aborted not', run: () => transactions(kafka) },
    {
      name: 'Kafka console producer -> kafkajs consumer',
      run: () => consoleProducer(kafka, lib, bootstrap, adminProperties),
    },
  ];
}

async function createTopic(kafka: Kafka, topic: string, partitions: number): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
    const meta = await admin.fetchTopicMetadata({ topics: [topic] });
    const count = meta.topics[0].partitions.length;
    assert(created && count === partitions, `created=${created}, partitions=${count}`);
    return `${topic} has ${count} partitions`;
  } finally {
    await admin.disconnect();
  }
}

async function produceKeyed(kafka: Kafka, topic: string, keys: string[], perKey: number): Promise<string> {
  const producer = kafka.producer({ idempotent: true, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const messages = keys.flatMap((key) =>
      Array.from({ length: perKey }, (_, i) => ({ key, value: JSON.stringify({ key, seq: i }) })),
    );
    const acks = await producer.send({ topic, acks: -1, messages });
    return `${messages.length} messages, acked on partitions ${acks.map((a) => a.partition).join(',')}`;
  } finally {
    await producer.disconnect();
  }
}

async function consumeAndCommit(kafka: Kafka, topic: string, groupId: string, expected: number): Promise<string> {
  const consumer = kafka.consumer({ groupId });
  const partitionsByKey = new Map<string, Set<number>>();
  let seen = 0;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  void consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }: EachMessagePayload) => {
      const key = message.key?.toString() ?? '';
      partitionsByKey.set(key, (partitionsByKey.get(key) ?? new Set()).add(partition));
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
      seen++;
    },
  });
  try {
    await waitFor(
      () => seen >= expected,
      30_000,
      () => `consumed ${seen}/${expected}`,
    );
  } finally {
    await consumer.disconnect();
  }
  const split = [...partitionsByKey].filter(([, parts]) => parts.size > 1).map(([k]) => k);
  assert(split.length === 0, `keys spread over several partitions: ${split.join(',')}`);
  const committed = await committedTotal(kafka, groupId, topic);
  assert(committed === expected, `committed offsets add up to ${committed}, expected ${expected}`);
  return `${seen} messages, ${partitionsByKey.size} keys each on one partition, committed ${committed}`;
}

async function committedTotal(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Two members of one group must end up splitting the 3 partitions between them. */
async function rebalance(kafka: Kafka, topic: string, groupId: string): Promise<string> {
  const assignments = new Map<string, number[]>();
  const track = (name: string, consumer: Consumer): void => {
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      assignments.set(name, payload.memberAssignment[topic] ?? []);
    });
  };
  const first = kafka.consumer({ groupId });
  const second = kafka.consumer({ groupId });
  track('first', first);
  track('second', second);
  try {
    for (const consumer of [first, second]) {
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      void consumer.run({ eachMessage: async () => undefined });
      if (consumer === first) await waitFor(() => assignments.get('first')?.length === 3, 20_000, 'first owns all');
    }
    const split = (): boolean =>
      (assignments.get('first')?.length ?? 0) > 0 &&
      (assignments.get('second')?.length ?? 0) > 0 &&
      (assignments.get('first')?.length ?? 0) + (assignments.get('second')?.length ?? 0) === 3;
    await waitFor(split, 30_000, () => `assignments ${JSON.stringify([...assignments])}`);
    return `first ${JSON.stringify(assignments.get('first'))}, second ${JSON.stringify(assignments.get('second'))}`;
  } finally {
    await Promise.all([first.disconnect(), second.disconnect()]);
  }
}

async function transactionConfig(kafka: Kafka): Promise<string> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const names = ['transaction.state.log.replication.factor', 'transaction.state.log.min.isr', 'min.insync.replicas'];
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 4 /* BROKER */, name: '1', configNames: names }],
    });
    const values = Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    assert(
      names.every((n) => values[n] === '1'),
      JSON.stringify(values),
    );
    return JSON.stringify(values);
  } finally {
    await admin.disconnect();
  }
}

async function transactions(kafka: Kafka): Promise<string> {
  const topic = 'smoke.tx';
  const producer = kafka.producer({
    transactionalId: 'smoke-tx',
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ key: 'k', value: 'aborted' }] });
    await aborted.abort();
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ key: 'k', value: 'committed' }] });
    await committed.commit();
  } finally {
    await producer.disconnect();
  }
  const values = await readValues(kafka, topic, 1, { readUncommitted: false });
  assert(values.join() === 'committed', `read_committed saw ${JSON.stringify(values)}`);
  return `read_committed consumer saw ${JSON.stringify(values)}`;
}

/** Writes with Kafka's own ConsoleProducer from the jars, reads back with kafkajs. */
async function consoleProducer(kafka: Kafka, lib: string, bootstrap: string, adminProperties: string): Promise<string> {
  const topic = 'smoke.console';
  const text = `hello from ConsoleProducer ${Date.now()}`;
  const started = Date.now();
  const args = ['-cp', `${lib}${path.sep}*`, 'org.apache.kafka.tools.ConsoleProducer'];
  const output = await runWithInput(
    'java',
    [...args, '--bootstrap-server', bootstrap, '--command-config', adminProperties, '--topic', topic],
    `${text}\n`,
  );
  const producedIn = secondsSince(started);
  const values = await readValues(kafka, topic, 1, { readUncommitted: true });
  assert(values[0] === text, `read ${JSON.stringify(values)}; console producer said: ${output.trim()}`);
  assert(!/SLF4J|StatusLogger/.test(output), `logging binding warnings: ${output.trim()}`);
  return `kafkajs read "${text}" (console producer took ${producedIn} s)`;
}

async function readValues(
  kafka: Kafka,
  topic: string,
  count: number,
  options: { readUncommitted: boolean },
): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `smoke-read-${topic}`, readUncommitted: options.readUncommitted });
  const values: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  void consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '') });
  try {
    await waitFor(
      () => values.length >= count,
      30_000,
      () => `read ${values.length}/${count} from ${topic}`,
    );
    // A moment more so an aborted record that should not be there has the chance to show up.
    await sleep(500);
    return values;
  } finally {
    await consumer.disconnect();
  }
}

function runWithInput(cmd: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`exit ${code}: ${output}`))));
    child.stdin.end(input);
  });
}

async function runCheck(check: Check): Promise<void> {
  try {
    record(check.name, true, (await check.run()) ?? '');
  } catch (error) {
    record(check.name, false, message(error));
  }
}

function record(name: string, ok: boolean, detail: string): void {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}${detail ? `: ${detail}` : ''}`);
}

function assert(condition: boolean, detail: string): asserts condition {
  if (!condition) throw new Error(detail);
}

async function waitFor(condition: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${typeof what === 'string' ? what : what()}`);
    await sleep(100);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function secondsSince(start: number): string {
  return ((Date.now() - start) / 1000).toFixed(1);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

void main();
