import { componentSchemas, JsonSchema } from '../schema/json-schemas';
import {
  ConsumerGroup,
  nestApps,
  Participant,
  Participants,
  TopicDeclaration,
  topicDeclarations,
  TopicKind,
} from '../topic-declarations';
import { AsyncApiMessage, KAFKA_BINDING_VERSION, messageOf } from './asyncapi-messages';

/**
 * AsyncAPI 3.0 documents derived from the topic declaration and the contract classes: one for the
 * whole system, and one per participant with only what it sends and receives. Pure: the gateway
 * serves the system document and `npm run contracts:generate` writes them all to docs/asyncapi/.
 */

/** The system's version (package.json); each message type carries its own schema version. */
export const ASYNCAPI_DOCUMENT_VERSION = '0.1.0';

export interface Reference {
  $ref: string;
}

export interface Tag {
  name: string;
  description?: string;
}

export interface AsyncApiChannel {
  address: string;
  title: string;
  summary: string;
  description: string;
  messages: Record<string, Reference>;
  tags: Tag[];
  bindings?: { kafka: { topicConfiguration: Record<string, unknown>; bindingVersion: string } };
}

export interface AsyncApiOperation {
  action: 'send' | 'receive';
  channel: Reference;
  title: string;
  summary: string;
  messages: Reference[];
  /** The participant that performs it. */
  tags: [Tag];
  bindings: { kafka: { groupId?: JsonSchema; clientId: JsonSchema; bindingVersion: string } };
  reply?: { channel: Reference; messages: Reference[] };
}

export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  servers: Record<string, { host: string; protocol: string; title: string; description: string }>;
  channels: Record<string, AsyncApiChannel>;
  operations: Record<string, AsyncApiOperation>;
  components: { messages: Record<string, AsyncApiMessage>; schemas: Record<string, JsonSchema> };
}

/** The participants that get a document of their own: the services, not the command-line tools. */
export const documentedParticipants: readonly Participant[] = [...nestApps, Participants.OrderAnalytics];

export const topicKindDescriptions: Record<TopicKind, string> = {
  request: 'A Nest @MessagePattern request; the answer goes to `<topic>.reply`.',
  reply: "The answers to a request, on the partition the caller's reply consumer holds.",
  command: 'A command of the order saga, handled by one service.',
  event: 'A domain event: any service may subscribe without the producer knowing.',
  'dead-letter': 'Messages of `<topic>` that a consumer could not handle, parked with the reason in headers.',
  'stream-result': 'A result of the Kafka Streams processor (compacted).',
  'stream-internal': "The Kafka Streams processor's own topic.",
};

const SYSTEM_DESCRIPTION = `Every Kafka topic of Orderflow and who sends and receives it, generated from libs/contracts
(topic-declarations.ts and the contract classes) by \`npm run contracts:generate\`: do not edit the files in
docs/asyncapi. One channel per topic (its address is the topic), one message per channel, and one operation
per participant and topic, with the consumer group it reads in.

- Commands and events are JSON envelopes (MessageEnvelope: eventId, type, occurredAt, correlationId,
  causationId, aggregateId, aggregateVersion, schemaVersion, payload) with the headers x-correlation-id,
  x-message-id, x-message-type and x-schema-version, and x-principal when someone asked for it over HTTP.
- Requests use Nest's Kafka request-reply: a request (no envelope) carries x-correlation-id, x-schema-version,
  x-principal (who asked) and Nest's kafka_correlationId, kafka_replyTopic and kafka_replyPartition; the answer goes to
  \`<topic>.reply\` with the result as its value, or a null value and a ReplyError in the kafka_nest-err header.
- Each message type has a schema version (libs/contracts/src/schema/schema-versions.ts; absent means 1):
  consumers read the current and the previous one, and this document describes the current one.
- A message that a consumer cannot handle is parked on \`<topic>.dlq\` as it arrived, with x-dlq-* headers
  naming the reason, the original topic, partition and offset.
- Records are keyed by their aggregate (each message's Kafka binding says what the key holds), so that one
  aggregate's messages keep their order.
- The analytics.* results are plain JSON records of the Kafka Streams processor on compacted topics.`;

const servers: AsyncApiDocument['servers'] = {
  local: {
    host: '127.0.0.1:9092',
    protocol: 'kafka',
    title: 'Local broker',
    description:
      'The single-node broker that `npm start` and `npm run kafka:start` run. Where KAFKA_BROKERS is set ' +
      '(host:port,...), the apps use that cluster instead.',
  },
};

const channelRef = (topic: string): Reference => ({ $ref: `#/channels/${topic}` });
const messageRef = (topic: string): Reference => ({ $ref: `#/channels/${topic}/messages/${topic}` });

/** The AsyncAPI document of the whole system: every topic, every participant's operations. */
export function systemAsyncApi(declarations: readonly TopicDeclaration[] = topicDeclarations): AsyncApiDocument {
  return documentOf(declarations, {
    title: 'Orderflow',
    description: SYSTEM_DESCRIPTION,
    participants: Object.values(Participants),
  });
}

/** One participant's document: the topics it sends or receives, and only its own operations. */
export function appAsyncApi(
  participant: Participant,
  declarations: readonly TopicDeclaration[] = topicDeclarations,
): AsyncApiDocument {
  const own = declarations.filter(
    (declaration) => declaration.producers.includes(participant) || declaration.consumers.includes(participant),
  );
  return documentOf(own, {
    title: `Orderflow: ${participant}`,
    description:
      `What ${participant} sends and receives over Kafka; the whole system is in orderflow.asyncapi.json ` +
      `(GET /asyncapi.json on the gateway).\n\n${SYSTEM_DESCRIPTION}`,
    participants: [participant],
  });
}

interface DocumentScope {
  title: string;
  description: string;
  participants: readonly Participant[];
}

function documentOf(declarations: readonly TopicDeclaration[], scope: DocumentScope): AsyncApiDocument {
  const operations: Record<string, AsyncApiOperation> = {};
  for (const participant of scope.participants) {
    for (const declaration of declarations) {
      if (declaration.producers.includes(participant)) {
        operations[operationId(participant, 'send', declaration.topic)] = operationOf(
          participant,
          'send',
          declaration,
          declarations,
        );
      }
      const consumerIndex = declaration.consumers.indexOf(participant);
      if (consumerIndex >= 0) {
        operations[operationId(participant, 'receive', declaration.topic)] = operationOf(
          participant,
          'receive',
          declaration,
          declarations,
          declaration.groups[consumerIndex],
        );
      }
    }
  }
  const messages = Object.fromEntries(declarations.map((declaration) => [declaration.topic, messageOf(declaration)]));
  return {
    asyncapi: '3.0.0',
    info: { title: scope.title, version: ASYNCAPI_DOCUMENT_VERSION, description: scope.description },
    defaultContentType: 'application/json',
    servers,
    channels: Object.fromEntries(declarations.map((declaration) => [declaration.topic, channelOf(declaration)])),
    operations,
    components: { messages, schemas: schemasReferencedBy(messages) },
  };
}

export function operationId(participant: Participant, action: 'send' | 'receive', topic: string): string {
  return `${participant}.${action}.${topic}`;
}

function channelOf(declaration: TopicDeclaration): AsyncApiChannel {
  return {
    address: declaration.topic,
    title: declaration.topic,
    summary: declaration.summary,
    description: channelDescription(declaration),
    messages: { [declaration.topic]: { $ref: `#/components/messages/${declaration.topic}` } },
    tags: [{ name: declaration.kind, description: topicKindDescriptions[declaration.kind] }],
    ...(declaration.kind === 'stream-result'
      ? {
          bindings: {
            kafka: { topicConfiguration: { 'cleanup.policy': ['compact'] }, bindingVersion: KAFKA_BINDING_VERSION },
          },
        }
      : {}),
  };
}

function channelDescription(declaration: TopicDeclaration): string {
  const consumers = declaration.consumers.map(
    (consumer, index) => `${consumer} (group ${groupText(declaration.groups[index])})`,
  );
  return [
    topicKindDescriptions[declaration.kind].replace('<topic>', declaration.of ?? declaration.topic),
    `Key: ${declaration.key}.`,
    `Sent by ${declaration.producers.join(', ')}; received by ${consumers.join(', ')}.`,
  ].join(' ');
}

function groupText(group: ConsumerGroup): string {
  return group.match === 'exact' ? group.id : `${group.id}*`;
}

function operationOf(
  participant: Participant,
  action: 'send' | 'receive',
  declaration: TopicDeclaration,
  declarations: readonly TopicDeclaration[],
  group?: ConsumerGroup,
): AsyncApiOperation {
  const reply = replyOf(participant, action, declaration, declarations);
  return {
    action,
    channel: channelRef(declaration.topic),
    title: `${participant} ${action}s ${declaration.topic}`,
    summary: declaration.summary,
    messages: [messageRef(declaration.topic)],
    tags: [{ name: participant }],
    bindings: {
      kafka: {
        ...(group ? { groupId: groupSchema(group) } : {}),
        clientId: clientIds[participant],
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
    ...(reply ? { reply } : {}),
  };
}

/**
 * A request names its answer: the caller that reads the reply topic sends with a reply, and the service
 * that writes it receives with one. (The dead-letter tool replays requests, but nobody awaits those.)
 */
function replyOf(
  participant: Participant,
  action: 'send' | 'receive',
  declaration: TopicDeclaration,
  declarations: readonly TopicDeclaration[],
): AsyncApiOperation['reply'] {
  if (declaration.kind !== 'request') return undefined;
  const reply = declarations.find((candidate) => candidate.kind === 'reply' && candidate.of === declaration.topic);
  if (!reply) return undefined;
  const answers = action === 'send' ? reply.consumers.includes(participant) : reply.producers.includes(participant);
  return answers ? { channel: channelRef(reply.topic), messages: [messageRef(reply.topic)] } : undefined;
}

function groupSchema(group: ConsumerGroup): JsonSchema {
  return group.match === 'exact'
    ? { type: 'string', enum: [group.id] }
    : {
        type: 'string',
        pattern: `^${group.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`,
        description: `A group per instance or per run, named ${group.id}…`,
      };
}

const nestClientId = (app: string): JsonSchema => ({
  type: 'string',
  pattern: `^${app}-`,
  description: `${app}-<INSTANCE_ID or host-pid>, with -server, -client or -relay appended by each Kafka client.`,
});

/** The Kafka client.id of each participant's clients: unique per instance (libs/messaging kafka-settings.ts). */
const clientIds: Record<Participant, JsonSchema> = {
  gateway: nestClientId('gateway'),
  orders: nestClientId('orders'),
  inventory: nestClientId('inventory'),
  payments: nestClientId('payments'),
  notifications: nestClientId('notifications'),
  audit: nestClientId('audit'),
  search: nestClientId('search'),
  analytics: nestClientId('analytics'),
  'order-analytics': {
    type: 'string',
    pattern: '^order-analytics',
    description:
      "Kafka Streams' client ids of the application.id (APPLICATION_ID); the clock producer's ends in -clock.",
  },
  'search-rebuild': {
    type: 'string',
    pattern: '^search-.+-rebuild$',
    description: 'search-<INSTANCE_ID or host-pid>-rebuild.',
  },
  'dlq-tool': { type: 'string', pattern: '^dlq-tool-', description: 'dlq-tool-<random>, one per run.' },
};

const COMPONENT_PREFIX = '#/components/schemas/';

/** The contract schemas the messages reference, directly or through other schemas. */
function schemasReferencedBy(messages: Record<string, AsyncApiMessage>): Record<string, JsonSchema> {
  const schemas = componentSchemas();
  const found = new Set<string>();
  const pending = referencedNames(messages);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (found.has(name)) continue;
    if (!schemas[name]) throw new Error(`the AsyncAPI document references ${name}, which has no schema`);
    found.add(name);
    pending.push(...referencedNames(schemas[name]));
  }
  return Object.fromEntries([...found].sort().map((name) => [name, schemas[name]]));
}

function referencedNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(referencedNames);
  if (!node || typeof node !== 'object') return [];
  const own = (node as JsonSchema).$ref;
  const names = typeof own === 'string' && own.startsWith(COMPONENT_PREFIX) ? [own.slice(COMPONENT_PREFIX.length)] : [];
  return [...names, ...Object.values(node).flatMap(referencedNames)];
}
