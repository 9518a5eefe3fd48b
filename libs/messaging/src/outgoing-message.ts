import { randomUUID } from 'node:crypto';
import { MessageEnvelope, MessageHeaders, MessageTopic, PayloadOf, schemaVersions } from '@orderflow/contracts';

export interface OutgoingMessage {
  topic: MessageTopic;
  key: string;
  envelope: MessageEnvelope<object>;
}

/** Where a message comes from: the request or message that caused it. */
export interface MessageOrigin {
  correlationId: string;
  causationId?: string;
}

export interface MessageSubject {
  aggregateId: string;
  aggregateVersion: number;
  /** The partition key; the aggregate id unless said otherwise (saga traffic is keyed by order id). */
  key?: string;
}

export function originOf(cause: MessageEnvelope): MessageOrigin {
  return { correlationId: cause.correlationId, causationId: cause.eventId };
}

export function createMessage<T extends MessageTopic>(
  topic: T,
  payload: PayloadOf<T>,
  subject: MessageSubject,
  origin: MessageOrigin,
): OutgoingMessage {
  return {
    topic,
    key: subject.key ?? subject.aggregateId,
    envelope: {
      eventId: randomUUID(),
      type: topic,
      occurredAt: new Date().toISOString(),
      correlationId: origin.correlationId,
      causationId: origin.causationId,
      aggregateId: subject.aggregateId,
      aggregateVersion: subject.aggregateVersion,
      schemaVersion: schemaVersions[topic],
      payload: payload as object,
    },
  };
}

/** An event a service answers a command with: about an order, so keyed by it. */
export interface CommandOutcome<T extends MessageTopic> {
  topic: T;
  payload: PayloadOf<T> & { orderId: string };
}

/** The event that answers a command: keyed by its order, at the version of the command it answers, caused by it. */
export function answerCommand<T extends MessageTopic>(
  command: MessageEnvelope,
  outcome: CommandOutcome<T>,
): OutgoingMessage {
  const subject = { aggregateId: outcome.payload.orderId, aggregateVersion: command.aggregateVersion };
  return createMessage(outcome.topic, outcome.payload, subject, originOf(command));
}

/** The headers of a message; `principal`, who asked for the work that caused it, when someone did. */
export function messageHeaders(envelope: MessageEnvelope, principal?: string): Record<string, string> {
  return {
    [MessageHeaders.CorrelationId]: envelope.correlationId,
    [MessageHeaders.MessageId]: envelope.eventId,
    [MessageHeaders.MessageType]: envelope.type,
    // The header lets a consumer (or a person reading the topic) see the version without parsing the value.
    [MessageHeaders.SchemaVersion]: String(envelope.schemaVersion ?? 1),
    ...(principal ? { [MessageHeaders.Principal]: principal } : {}),
  };
}
