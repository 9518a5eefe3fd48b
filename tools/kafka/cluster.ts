/**
 * A local three-node KRaft cluster (each node a controller and a broker) for the broker-fault suite:
 * the same SASL/SCRAM users and ACLs as the single broker, topics replicated as in production, and
 * the moves that suite makes: find a partition's leader, SIGKILL a node, restart it, wait until no
 * partition is under-replicated. See tools/kafka/README.md, "Three-node cluster".
 */
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { Admin, Kafka, logLevel } from 'kafkajs';
import { pollUntil } from '@orderflow/messaging/provisioning';
import { provisionAccess } from './access';
import {
  isAlive,
  isFormatted,
  KafkaNode,
  killBroker,
  KafkaToolError,
  launchNode,
  prepareNode,
  randomClusterId,
  requireNotRunning,
  runningPid,
  stopBroker,
  waitForBrokers,
  withLogTail,
} from './broker';
import {
  BrokerCredentials,
  newBrokerCredentials,
  readBrokerCredentials,
  scramSasl,
  writeBrokerCredentials,
} from './credentials';

export interface StartClusterOptions {
  /** Holds credentials.json and one folder per node (`node-1`, ...). */
  dataDir: string;
  /** Client and controller port of each node, in node order; as many pairs as nodes. */
  ports: readonly { port: number; controllerPort: number }[];
  /** Per node: three JVMs share a 2-core machine with the whole system. */
  heapMb?: number;
}

/** One partition as the cluster's metadata describes it. */
export interface PartitionReplicas {
  topic: string;
  partition: number;
  /** Node id of the leader; -1 while it has none. */
  leader: number;
  replicas: number[];
  isr: number[];
}

/** The production overlay's replication (k8s/generator/prod.ts): an acks=all write survives one lost node. */
export const CLUSTER_REPLICATION = { factor: 3, minInsync: 2 } as const;
const DEFAULT_HEAP_MB = 320;
const START_TIMEOUT_MS = 90_000;
/** After a SIGKILL a node recovers its logs first: slow on a busy machine. */
const RESTART_TIMEOUT_MS = 180_000;

export class RunningCluster {
  /** Every node's client address, comma-separated (KAFKA_BROKERS). */
  readonly bootstrap: string;

  constructor(
    readonly dataDir: string,
    readonly nodes: readonly KafkaNode[],
    readonly credentials: BrokerCredentials,
  ) {
    this.bootstrap = nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  node(nodeId: number): KafkaNode {
    const found = this.nodes.find((node) => node.nodeId === nodeId);
    if (!found) throw new KafkaToolError(`no node ${nodeId} in the cluster at ${this.dataDir}`);
    return found;
  }

  /** A crash: no controlled shutdown, leadership moves only once the controller fences the node. */
  async kill(nodeId: number): Promise<void> {
    const { dataDir } = this.node(nodeId);
    if ((await runningPid(dataDir)) === undefined) throw new KafkaToolError(`node ${nodeId} is not running`);
    await killBroker(dataDir);
  }

  /**
   * Starts a stopped or killed node on its own data and ports; resolves once the node itself serves
   * and lists every node as live. (Asked through the others, a node killed seconds ago still counts
   * as live until the controller fences it.)
   */
  async restart(nodeId: number, timeoutMs = RESTART_TIMEOUT_MS): Promise<void> {
    const node = this.node(nodeId);
    await requireNotRunning(node.dataDir);
    const pid = await launchNode(node);
    try {
      await waitForBrokers(`127.0.0.1:${node.port}`, this.credentials.admin, {
        brokers: this.nodes.length,
        timeoutMs,
        alive: () => isAlive(pid),
      });
    } catch (error) {
      throw await withLogTail(error, node.logFile);
    }
  }

  /** Leader, replicas and in-sync replicas of every partition of `topics` (all topics by default). */
  async partitions(topics?: string[]): Promise<PartitionReplicas[]> {
    return this.withAdmin(async (admin) => {
      const metadata = await admin.fetchTopicMetadata(topics ? { topics } : undefined);
      return metadata.topics.flatMap(({ name, partitions }) =>
        partitions.map(({ partitionId, leader, replicas, isr }) => ({
          topic: name,
          partition: partitionId,
          leader,
          replicas,
          isr,
        })),
      );
    });
  }

  /** The end offset of every partition of `topics`, as `topic-partition` → offset; asked of each leader. */
  async endOffsets(topics: string[]): Promise<Map<string, number>> {
    return this.withAdmin(async (admin) => {
      const offsets = new Map<string, number>();
      for (const topic of topics) {
        for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
          offsets.set(`${topic}-${partition}`, Number(high));
        }
      }
      return offsets;
    });
  }

  async leaderOf(topic: string, partition: number): Promise<number> {
    const found = (await this.partitions([topic])).find((entry) => entry.partition === partition);
    if (!found) throw new KafkaToolError(`no partition ${topic}-${partition}`);
    return found.leader;
  }

  /** Partitions whose in-sync replicas are fewer than their replicas (a node is down or catching up). */
  async underReplicated(): Promise<PartitionReplicas[]> {
    return (await this.partitions()).filter(({ replicas, isr }) => isr.length < replicas.length);
  }

  /** Resolves once no partition of any topic (internal ones included) is under-replicated. */
  async awaitFullyReplicated(timeoutMs = 180_000): Promise<void> {
    let lagging: PartitionReplicas[] = [];
    let unanswered: unknown;
    await pollUntil(
      // A metadata request that fails (a node just restarted) is one more "not yet", not the outcome.
      async () => {
        try {
          lagging = await this.underReplicated();
          unanswered = undefined;
        } catch (error) {
          unanswered = error;
          return false;
        }
        return lagging.length === 0;
      },
      {
        timeoutMs,
        intervalMs: 500,
        timedOut: () =>
          new KafkaToolError(
            unanswered
              ? `the cluster did not describe its partitions within ${timeoutMs} ms: ${String(unanswered)}`
              : `${lagging.length} partitions still under-replicated after ${timeoutMs} ms, e.g. ${lagging
                  .slice(0, 3)
                  .map(({ topic, partition, isr }) => `${topic}-${partition} isr [${isr.join(',')}]`)
                  .join('; ')}`,
          ),
      },
    );
  }

  /**
   * Resolves once no partition of any topic is led by `nodeId`: after a SIGKILL, once the controller
   * has fenced the node (`broker.session.timeout.ms`) and moved its leaderships to in-sync replicas.
   */
  async awaitLeadershipMoved(nodeId: number, timeoutMs = 60_000): Promise<void> {
    let stillLed: PartitionReplicas[] = [];
    await pollUntil(
      async () => {
        stillLed = (await this.partitions()).filter(({ leader }) => leader === nodeId);
        return stillLed.length === 0;
      },
      {
        timeoutMs,
        intervalMs: 250,
        timedOut: () =>
          new KafkaToolError(
            `node ${nodeId} still leads ${stillLed.length} partitions after ${timeoutMs} ms, e.g. ${stillLed
              .slice(0, 3)
              .map(({ topic, partition }) => `${topic}-${partition}`)
              .join(', ')}`,
          ),
      },
    );
  }

  /** Stops every node at once: one by one, the last ones would wait for a quorum that is gone. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => stopBroker(node.dataDir)));
  }

  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = new Kafka({
      clientId: 'orderflow-cluster-tool',
      brokers: this.bootstrap.split(','),
      sasl: scramSasl(this.credentials.admin),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      requestTimeout: 5_000,
    }).admin();
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * Formats (first time only) and starts every node, waits until all of them serve, then creates every
 * topic and ACL as the single broker does; the topics get the cluster's replication. On failure it
 * stops what it started and throws with the log of the node that did not come up.
 */
export async function startCluster(options: StartClusterOptions): Promise<RunningCluster> {
  const dataDir = path.resolve(options.dataDir);
  const voters = options.ports.map(({ controllerPort }, index) => ({ nodeId: index + 1, controllerPort }));
  const credentials = await clusterCredentials(dataDir);
  const clusterId = randomClusterId();
  const nodes: KafkaNode[] = options.ports.map(({ port, controllerPort }, index) => {
    const nodeDir = path.join(dataDir, `node-${index + 1}`);
    return {
      dataDir: nodeDir,
      nodeId: index + 1,
      port,
      controllerPort,
      heapMb: options.heapMb ?? DEFAULT_HEAP_MB,
      logFile: path.join(nodeDir, 'broker.log'),
      // Used only to format: a formatted node keeps the cluster id it has.
      quorum: { kind: 'voters', clusterId, voters },
      replication: CLUSTER_REPLICATION,
    };
  });
  const cluster = new RunningCluster(dataDir, nodes, credentials);
  for (const node of nodes) await requireNotRunning(node.dataDir);
  // Formatting is a JVM each: in parallel it takes the time of one.
  await Promise.all(nodes.map((node) => prepareNode(node, credentials)));
  const pids = await Promise.all(nodes.map((node) => launchNode(node)));
  try {
    await waitForBrokers(cluster.bootstrap, credentials.admin, {
      brokers: nodes.length,
      timeoutMs: START_TIMEOUT_MS,
      alive: () => pids.every(isAlive),
    });
    await provisionAccess(cluster.bootstrap, credentials);
  } catch (error) {
    await cluster.stop();
    const down = nodes.find((_, index) => !isAlive(pids[index])) ?? nodes[0];
    throw await withLogTail(error, down.logFile);
  }
  return cluster;
}

/** One set of users for every node, made before the first format (each node's metadata holds them). */
async function clusterCredentials(dataDir: string): Promise<BrokerCredentials> {
  const existing = await readBrokerCredentials(dataDir);
  if (existing) return existing;
  if (await isFormatted(path.join(dataDir, 'node-1'))) {
    throw new KafkaToolError(`The cluster in ${dataDir} has no credentials.json: delete ${dataDir} to start afresh`);
  }
  const credentials = newBrokerCredentials();
  await mkdir(dataDir, { recursive: true });
  await writeBrokerCredentials(dataDir, credentials);
  return credentials;
}
