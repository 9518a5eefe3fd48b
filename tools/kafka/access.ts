// The light entries: the launcher of `npm start` imports this for the whole run (no Nest, no TypeORM).
import { DEFAULT_TOPIC_PARTITIONS } from '@orderflow/config/env-schemas';
import { aclsFor, KafkaAcl, KafkaAclOperation, kafkaParticipants, kafkaPrincipal } from '@orderflow/contracts';
import { pollUntil, systemTopicPlan } from '@orderflow/messaging/provisioning';
import {
  AclOperationTypes,
  PartitionMetadata,
  AclPermissionTypes,
  AclResourceTypes,
  Admin,
  Kafka,
  logLevel,
  ResourcePatternTypes,
} from 'kafkajs';
import { BrokerCredentials, scramSasl } from './credentials';

type AclEntry = Parameters<Admin['createAcls']>[0]['acl'][number];

const resourceTypes: Record<KafkaAcl['resourceType'], AclResourceTypes> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  transactionalId: AclResourceTypes.TRANSACTIONAL_ID,
  cluster: AclResourceTypes.CLUSTER,
};

const patternTypes: Record<KafkaAcl['patternType'], ResourcePatternTypes> = {
  literal: ResourcePatternTypes.LITERAL,
  prefixed: ResourcePatternTypes.PREFIXED,
};

const operations: Record<KafkaAclOperation, AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Create: AclOperationTypes.CREATE,
  Delete: AclOperationTypes.DELETE,
  Describe: AclOperationTypes.DESCRIBE,
  DescribeConfigs: AclOperationTypes.DESCRIBE_CONFIGS,
};

/** One kafkajs ACL binding per operation, allowed from any host, as `principal`. */
export function aclEntries(principal: string, acls: KafkaAcl[]): AclEntry[] {
  return acls.flatMap((acl) =>
    acl.operations.map((operation) => ({
      resourceType: resourceTypes[acl.resourceType],
      resourceName: acl.resourceType === 'cluster' ? 'kafka-cluster' : acl.name,
      resourcePatternType: patternTypes[acl.patternType],
      principal,
      host: '*',
      operation: operations[operation],
      permissionType: AclPermissionTypes.ALLOW,
    })),
  );
}

/**
 * As the admin: every topic of the system (the apps may not create topics), then each participant's
 * ACLs from the topic declaration. Creating an ACL or topic that exists changes nothing, so this runs
 * on every start and picks up a changed declaration (an ACL the declaration dropped stays until the
 * data dir is deleted). `bootstrap` is one broker's address or a cluster's, comma-separated; the
 * topics get the brokers' default replication factor and min.insync.replicas.
 */
export async function provisionAccess(bootstrap: string, credentials: BrokerCredentials): Promise<void> {
  const kafka = new Kafka({
    clientId: 'orderflow-provisioning',
    brokers: bootstrap.split(','),
    sasl: scramSasl(credentials.admin),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = systemTopicPlan(DEFAULT_TOPIC_PARTITIONS).filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) {
      // A cluster's controller may take longer than kafkajs' 5 s to create them all. kafkajs' own wait
      // for leaders asks one node and gives up on its first "This server does not host this
      // topic-partition" (a node that has not applied the new topics yet): ours asks every node.
      await admin.createTopics({
        timeout: 60_000,
        waitForLeaders: false,
        topics: missing.map(({ topic, partitions, config }) => ({
          topic,
          numPartitions: partitions,
          configEntries: Object.entries(config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
      await awaitHostedEverywhere(
        bootstrap,
        credentials,
        missing.map(({ topic }) => topic),
      );
    }
    const acl = kafkaParticipants.flatMap((participant) =>
      aclEntries(kafkaPrincipal(participant), aclsFor(participant)),
    );
    await admin.createAcls({ acl });
    await awaitAcls(admin, acl.length);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The controller stores new ACLs; the broker's authorizer applies them a moment later. A client
 * started right away (`npm run dlq` after `kafka:start`) would be refused meanwhile, so this waits
 * until the broker describes them all.
 */
async function awaitAcls(admin: Admin, expected: number, timeoutMs = 30_000): Promise<void> {
  let found = 0;
  await pollUntil(
    async () => {
      const { resources } = await admin.describeAcls({
        resourceType: AclResourceTypes.ANY,
        resourcePatternType: ResourcePatternTypes.ANY,
        operation: AclOperationTypes.ANY,
        permissionType: AclPermissionTypes.ANY,
      });
      found = resources.reduce((sum, resource) => sum + resource.acls.length, 0);
      return found >= expected;
    },
    {
      timeoutMs,
      intervalMs: 100,
      timedOut: () => new Error(`the broker applied ${found} of ${expected} ACLs within ${timeoutMs} ms`),
    },
  );
}

/** A partition as a node's metadata describes it: what a client of that node would be told. */
export interface DescribedTopic {
  name: string;
  partitions: Pick<PartitionMetadata, 'partitionId' | 'leader' | 'replicas' | 'isr'>[];
}

/**
 * The partitions of `topics` not yet fully served: missing from the description, without a leader,
 * or with a replica not in sync (that node does not host it yet, or has not caught up).
 */
export function partitionsNotHosted(topics: string[], described: DescribedTopic[]): string[] {
  const byName = new Map(described.map((topic) => [topic.name, topic.partitions]));
  return topics.flatMap((topic) => {
    const partitions = byName.get(topic) ?? [];
    if (partitions.length === 0) return [`${topic} (unknown)`];
    return partitions
      .filter(({ leader, replicas, isr }) => leader < 0 || replicas.some((replica) => !isr.includes(replica)))
      .map(({ partitionId, leader, isr }) => `${topic}-${partitionId} (leader ${leader}, isr [${isr.join(',')}])`);
  });
}

/**
 * Resolves once every node of `bootstrap` describes every partition of `topics` with a leader and all
 * of its replicas in sync. Each node is asked on its own (a fresh client sends its first metadata
 * request to its only seed), so a client of any node finds the topics right after this.
 */
export async function awaitHostedEverywhere(
  bootstrap: string,
  credentials: BrokerCredentials,
  topics: string[],
  timeoutMs = 60_000,
): Promise<void> {
  let lagging: string[] = [];
  await pollUntil(
    async () => {
      for (const node of bootstrap.split(',')) {
        lagging = partitionsNotHosted(topics, await describeThrough(node, credentials, topics));
        if (lagging.length > 0) {
          lagging = lagging.map((partition) => `${partition} on ${node}`);
          return false;
        }
      }
      return true;
    },
    {
      timeoutMs,
      intervalMs: 200,
      timedOut: () =>
        new Error(`partitions not hosted by every node after ${timeoutMs} ms: ${lagging.slice(0, 5).join('; ')}`),
    },
  );
}

/** The metadata of `topics` as `node` answers it; its error ("does not host") if it cannot yet. */
async function describeThrough(
  node: string,
  credentials: BrokerCredentials,
  topics: string[],
): Promise<DescribedTopic[]> {
  const admin = new Kafka({
    clientId: 'orderflow-provisioning',
    brokers: [node],
    sasl: scramSasl(credentials.admin),
    logLevel: logLevel.NOTHING,
    // The caller polls: one answer per call, not kafkajs' retries.
    retry: { retries: 0 },
  }).admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicMetadata({ topics })).topics;
  } finally {
    await admin.disconnect();
  }
}
