import { DeadLetterHeaders, DeadLetterReasons } from '../dead-letters';
import { MessageHeaders } from '../envelope';
import { JsonSchema, schemaNameOf } from '../schema/json-schemas';
import { schemaVersions, VersionedTopic } from '../schema/schema-versions';
import { TopicDeclaration } from '../topic-declarations';
import { replyTopicOf, RequestTopic } from '../topics';
import { messageSamples } from './message-samples';
import { replyViews } from './reply-views';

/** The Kafka bindings of AsyncAPI 3.0 (@asyncapi/specs bindings/kafka/0.5.0). */
export const KAFKA_BINDING_VERSION = '0.5.0';

/** Nest's request-reply headers (KafkaHeaders of @nestjs/microservices; a tools spec checks they agree). */
export const NestKafkaHeaders = {
  CorrelationId: 'kafka_correlationId',
  ReplyTopic: 'kafka_replyTopic',
  ReplyPartition: 'kafka_replyPartition',
  Error: 'kafka_nest-err',
  IsDisposed: 'kafka_nest-is-disposed',
} as const;

export interface AsyncApiMessage {
  name: string;
  title: string;
  summary: string;
  description: string;
  contentType: string;
  payload: JsonSchema;
  headers?: JsonSchema;
  correlationId?: { location: string; description: string };
  bindings: { kafka: { key: JsonSchema; bindingVersion: string } };
  examples?: { name: string; summary: string; headers: Record<string, string>; payload: unknown }[];
}

const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const digits = (description: string): JsonSchema => ({ type: 'string', pattern: '^[0-9]+$', description });

/** The one message of a topic: its payload, headers, key and, where a shared sample exists, an example. */
export function messageOf(declaration: TopicDeclaration): AsyncApiMessage {
  const common = {
    name: declaration.topic,
    summary: declaration.summary,
    contentType: 'application/json',
    bindings: { kafka: { key: keySchema(declaration.key), bindingVersion: KAFKA_BINDING_VERSION } },
  };
  const schemaName = declaration.message ? schemaNameOf(declaration.message) : undefined;
  switch (declaration.kind) {
    case 'request':
      return {
        ...common,
        title: schemaName!,
        description:
          `A ${schemaName} (Nest request-reply, no envelope), schema version ` +
          `${schemaVersions[declaration.topic as RequestTopic]}; the answer goes to ` +
          `\`${replyTopicOf(declaration.topic as RequestTopic)}\`.`,
        payload: schemaRef(schemaName!),
        headers: requestHeaders(declaration.topic as RequestTopic),
        correlationId: {
          location: `$message.header#/${NestKafkaHeaders.CorrelationId}`,
          description: 'Pairs the answer on the reply topic with this request.',
        },
      };
    case 'reply':
      return {
        ...common,
        title: `Answer to ${declaration.of}`,
        description:
          'Written by Nest to the partition the request named. The value is the result as JSON, or null ' +
          `with a ReplyError in the \`${NestKafkaHeaders.Error}\` header when the request was rejected.`,
        payload: {
          oneOf: [
            replyViews[declaration.of as RequestTopic],
            { type: 'null', description: `A rejection: the ReplyError is in the ${NestKafkaHeaders.Error} header.` },
          ],
        },
        headers: replyHeaders(),
        correlationId: {
          location: `$message.header#/${NestKafkaHeaders.CorrelationId}`,
          description: "The request's correlation id.",
        },
      };
    case 'command':
    case 'event': {
      const version = schemaVersions[declaration.topic as VersionedTopic];
      return {
        ...common,
        title: schemaName!,
        description:
          `A MessageEnvelope around a ${schemaName!.replace(/Envelope$/, '')} payload, ` + `schema version ${version}.`,
        payload: schemaRef(schemaName!),
        headers: envelopeHeaders(declaration.topic, version),
        correlationId: {
          location: `$message.header#/${MessageHeaders.CorrelationId}`,
          description: 'Follows one request from the HTTP call through every message it causes.',
        },
        ...examplesOf(declaration.topic, version),
      };
    }
    case 'dead-letter':
      return {
        ...common,
        title: `Dead letter of ${declaration.of}`,
        description:
          'The original record, parked by the consumer that could not handle it: key, value and headers ' +
          'as they arrived, plus headers saying why and where from. `npm run dlq` lists and replays them.',
        payload: {
          description:
            `The original value, unchanged: a valid ${schemaName} when the handler kept failing ` +
            `(${DeadLetterHeaders.Reason} FAILED); for the other reasons whatever arrived, ` +
            'which may be invalid, not JSON, or null.',
          anyOf: [schemaRef(schemaName!), {}],
        },
        headers: deadLetterHeaders(declaration.of!),
      };
    case 'stream-result':
      return {
        ...common,
        title: schemaName!,
        description: 'A plain JSON record (no envelope) of the Kafka Streams processor, on a compacted topic.',
        payload: schemaRef(schemaName!),
      };
    case 'stream-internal':
      return {
        ...common,
        title: 'Clock tick',
        description: "Read and written by the Kafka Streams processor only; not part of any other app's contract.",
        contentType: 'text/plain',
        payload: { type: 'string', format: 'date-time', description: 'The wall-clock time of the tick (ISO-8601).' },
      };
    default: {
      const unknownKind: never = declaration.kind;
      throw new Error(`no message for topics of kind ${String(unknownKind)}`);
    }
  }
}

const keyDescriptions: Record<string, string> = {
  orderId: "The order id: one order's messages keep their order within the topic.",
  sku: "The product's SKU.",
  customerId: 'The customer id.',
  reason: 'The cancel reason.',
  windowStart: "The window's start (ISO-8601).",
};

/** What the declaration says the record key holds (`none`, a field, `<a>@<b>`, or `<field>, when given`). */
export function keySchema(key: string): JsonSchema {
  if (key === 'none') {
    return { type: 'null', description: 'No key: the records spread over the partitions.' };
  }
  const optional = /^(.+), when given$/.exec(key);
  if (optional) {
    return { type: ['string', 'null'], description: `${describeKey(optional[1])} No key (null) when not given.` };
  }
  return { type: 'string', description: describeKey(key) };
}

function describeKey(key: string): string {
  const parts = key.split('@');
  if (keyDescriptions[key]) return keyDescriptions[key];
  return parts.length > 1 ? `\`${parts.map((part) => `<${part}>`).join('@')}\`.` : `The ${key}.`;
}

const correlationIdHeader: JsonSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 128,
  description: 'Follows one request from the HTTP call through every message it causes.',
};

const principalHeader: JsonSchema = {
  type: 'string',
  minLength: 1,
  description:
    'Who asked, as the gateway proved it (`kind:subject`, e.g. `customer:alice`): on a request and every message it causes; absent when nobody asked over HTTP.',
};

function schemaVersionHeader(version: number, holder: string): JsonSchema {
  return {
    type: 'string',
    const: String(version),
    description: `${holder} schema version (libs/contracts/src/schema/schema-versions.ts); absent means 1.`,
  };
}

function envelopeHeaders(topic: string, version: number): JsonSchema {
  return {
    type: 'object',
    properties: {
      [MessageHeaders.CorrelationId]: { ...correlationIdHeader, description: "The envelope's correlationId." },
      [MessageHeaders.MessageId]: { type: 'string', format: 'uuid', description: "The envelope's eventId." },
      [MessageHeaders.MessageType]: { type: 'string', const: topic, description: "The envelope's type." },
      [MessageHeaders.SchemaVersion]: schemaVersionHeader(version, "The envelope's"),
      [MessageHeaders.Principal]: principalHeader,
    },
    required: [MessageHeaders.CorrelationId, MessageHeaders.MessageId, MessageHeaders.MessageType],
  };
}

function requestHeaders(topic: RequestTopic): JsonSchema {
  return {
    type: 'object',
    properties: {
      [MessageHeaders.CorrelationId]: correlationIdHeader,
      [MessageHeaders.SchemaVersion]: schemaVersionHeader(schemaVersions[topic], "The request's"),
      [MessageHeaders.Principal]: principalHeader,
      [NestKafkaHeaders.CorrelationId]: {
        type: 'string',
        description: "Nest's id of this call: the answer carries it back.",
      },
      [NestKafkaHeaders.ReplyTopic]: {
        type: 'string',
        const: replyTopicOf(topic),
        description: 'Where the answer goes.',
      },
      [NestKafkaHeaders.ReplyPartition]: digits(
        "The reply topic's partition that the caller's reply consumer holds: the answer goes there.",
      ),
    },
    required: [
      MessageHeaders.CorrelationId,
      NestKafkaHeaders.CorrelationId,
      NestKafkaHeaders.ReplyTopic,
      NestKafkaHeaders.ReplyPartition,
    ],
  };
}

function replyHeaders(): JsonSchema {
  return {
    type: 'object',
    properties: {
      [NestKafkaHeaders.CorrelationId]: { type: 'string', description: "The request's kafka_correlationId." },
      [NestKafkaHeaders.Error]: {
        type: 'string',
        contentMediaType: 'application/json',
        description:
          'Present when the request was rejected: a ReplyError (libs/contracts/src/common.ts) as JSON, ' +
          '{"code": "INVALID" | "NOT_FOUND" | "CONFLICT", "message": string, "details"?: string[], ' +
          '"reason"?: "IDEMPOTENCY_KEY_REUSED"}.',
        examples: ['{"code":"NOT_FOUND","message":"order 0b6f3c52-4d4e-4c55-9a0e-2a5c7a1d9e11 not found"}'],
      },
      [NestKafkaHeaders.IsDisposed]: {
        type: 'string',
        description: 'Present (one zero byte) on the last record of an answer: the call is complete.',
      },
    },
    required: [NestKafkaHeaders.CorrelationId],
  };
}

function deadLetterHeaders(originalTopic: string): JsonSchema {
  return {
    type: 'object',
    description: "The original record's headers, kept as they were, and these.",
    properties: {
      [DeadLetterHeaders.Reason]: { type: 'string', enum: [...DeadLetterReasons], description: 'Why.' },
      [DeadLetterHeaders.Error]: { type: 'string', maxLength: 2000, description: 'The error, as text.' },
      [DeadLetterHeaders.OriginalTopic]: { type: 'string', const: originalTopic },
      [DeadLetterHeaders.OriginalPartition]: digits('The partition it was read from.'),
      [DeadLetterHeaders.OriginalOffset]: digits('Its offset there.'),
      [DeadLetterHeaders.ConsumerGroup]: {
        type: 'string',
        description: 'The group id the parking service is configured with (its name).',
      },
      [DeadLetterHeaders.Attempts]: digits('How many times a handler ran it (0: refused before any handler).'),
      [DeadLetterHeaders.FailedAt]: { type: 'string', format: 'date-time', description: 'When it was parked.' },
    },
    required: Object.values(DeadLetterHeaders),
    additionalProperties: { type: 'string' },
  };
}

/** The shared sample messages of this topic at its current version, with the headers that go with them. */
function examplesOf(topic: string, version: number): Pick<AsyncApiMessage, 'examples'> {
  const examples = messageSamples
    .filter(({ file }) => file === `${topic}.v${version}.json`)
    .map(({ file, message }) => ({
      name: file.replace(/\.json$/, ''),
      summary: `libs/contracts/src/samples/${file}`,
      headers: {
        [MessageHeaders.CorrelationId]: message.correlationId,
        [MessageHeaders.MessageId]: message.eventId,
        [MessageHeaders.MessageType]: message.type,
        [MessageHeaders.SchemaVersion]: String(version),
      },
      payload: message,
    }));
  return examples.length > 0 ? { examples } : {};
}
