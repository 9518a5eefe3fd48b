import {
  consumedBy,
  consumerGroups,
  ConsumerGroup,
  Participant,
  Participants,
  producedBy,
  topicDeclarations,
} from './topic-declarations';

/**
 * Each participant's Kafka ACLs, derived from the topic declaration: it may write what it produces and
 * read what it consumes, in its own consumer groups, and nothing else. The local broker (tools/kafka)
 * applies them with the admin client; the Strimzi KafkaUsers (k8s/) carry the same list.
 *
 * No wildcard anywhere: every resource is a declared topic or group, or a prefix that only the
 * participant's own per-instance or per-run names start with.
 */

export type KafkaAclResourceType = 'topic' | 'group' | 'transactionalId' | 'cluster';
export type KafkaAclPatternType = 'literal' | 'prefixed';
export type KafkaAclOperation = 'Read' | 'Write' | 'Describe' | 'Create' | 'Delete' | 'DescribeConfigs';

export interface KafkaAcl {
  resourceType: KafkaAclResourceType;
  /** A topic, group or transactional id (or its prefix); `kafka-cluster` for the cluster. */
  name: string;
  patternType: KafkaAclPatternType;
  operations: KafkaAclOperation[];
}

/** The principal that creates topics and ACLs (a super user of the broker); no app runs as it. */
export const KAFKA_ADMIN_USER = 'orderflow-admin';

/** The SASL user name of a participant: one place, shared by the broker, the apps and the KafkaUsers. */
export function kafkaUserName(participant: Participant): string {
  return `orderflow-${participant}`;
}

/** The principal as the broker's authorizer names it, e.g. `User:orderflow-notifications`. */
export function kafkaPrincipal(participant: Participant): string {
  return `User:${kafkaUserName(participant)}`;
}

/** Every participant, in declaration order: each gets a principal and a credential. */
export const kafkaParticipants: readonly Participant[] = Object.values(Participants);

const OPERATION_ORDER: readonly KafkaAclOperation[] = [
  'Read',
  'Write',
  'Create',
  'Delete',
  'Describe',
  'DescribeConfigs',
];

/**
 * Kafka Streams names its internal topics (changelog, repartition) and its transactional ids
 * (exactly-once v2: `<application.id>-<process id>-<thread>`) after the application id, which is
 * the processor's consumer group. It creates those topics itself, purges repartition topics
 * (DeleteRecords: Delete) and checks their configs (DescribeConfigs).
 */
function streamProcessorAcls(): KafkaAcl[] {
  const internalPrefix = `${consumerGroups[Participants.OrderAnalytics].id}-`;
  return [
    {
      resourceType: 'topic',
      name: internalPrefix,
      patternType: 'prefixed',
      operations: ['Read', 'Write', 'Create', 'Delete', 'Describe', 'DescribeConfigs'],
    },
    {
      resourceType: 'transactionalId',
      name: internalPrefix,
      patternType: 'prefixed',
      operations: ['Write', 'Describe'],
    },
  ];
}

/** Tools that read with a throw-away group per run delete it afterwards. */
const deletesItsGroups: readonly Participant[] = [Participants.SearchRebuild, Participants.DeadLetterTool];

/**
 * The gateway's dashboard shows every service's consumer group and the dead-letter counts: Describe
 * (metadata and offsets, no records) on the declared groups and on the `.dlq` topics.
 */
function dashboardAcls(): KafkaAcl[] {
  const groups = new Map<string, ConsumerGroup>();
  for (const declaration of topicDeclarations) {
    for (const group of declaration.groups) groups.set(`${group.match}:${group.id}`, group);
  }
  return [
    ...[...groups.values()].map((group) => groupAcl(group, ['Describe'])),
    ...topicDeclarations
      .filter((declaration) => declaration.kind === 'dead-letter')
      .map((declaration) => topicAcl(declaration.topic, ['Describe'])),
  ];
}

function topicAcl(topic: string, operations: KafkaAclOperation[]): KafkaAcl {
  return { resourceType: 'topic', name: topic, patternType: 'literal', operations };
}

function groupAcl(group: ConsumerGroup, operations: KafkaAclOperation[]): KafkaAcl {
  return {
    resourceType: 'group',
    name: group.id,
    patternType: group.match === 'exact' ? 'literal' : 'prefixed',
    operations,
  };
}

/**
 * The ACLs of one participant, merged per resource. Idempotent producers need no IdempotentWrite on
 * the cluster: since Kafka 3.0 (KIP-679) Write on any topic authorizes InitProducerId, and every
 * producer here holds Write on the topics it produces.
 */
export function aclsFor(participant: Participant): KafkaAcl[] {
  const acls: KafkaAcl[] = [];
  for (const declaration of producedBy(participant)) acls.push(topicAcl(declaration.topic, ['Write', 'Describe']));
  for (const declaration of consumedBy(participant)) {
    acls.push(topicAcl(declaration.topic, ['Read', 'Describe']));
    const group = declaration.groups[declaration.consumers.indexOf(participant)];
    acls.push(groupAcl(group, ['Read', 'Describe']));
  }
  // The app's own group also when it awaits its coordinator before subscribing to anything.
  acls.push(groupAcl(consumerGroups[participant], ['Read', 'Describe']));
  if (deletesItsGroups.includes(participant)) acls.push(groupAcl(consumerGroups[participant], ['Delete']));
  if (participant === Participants.OrderAnalytics) acls.push(...streamProcessorAcls());
  if (participant === Participants.Gateway) acls.push(...dashboardAcls());
  return merged(acls);
}

function merged(acls: KafkaAcl[]): KafkaAcl[] {
  const byResource = new Map<string, KafkaAcl>();
  for (const acl of acls) {
    const key = `${acl.resourceType}|${acl.patternType}|${acl.name}`;
    const seen = byResource.get(key);
    const operations = new Set([...(seen?.operations ?? []), ...acl.operations]);
    byResource.set(key, { ...acl, operations: OPERATION_ORDER.filter((operation) => operations.has(operation)) });
  }
  return [...byResource.values()];
}
