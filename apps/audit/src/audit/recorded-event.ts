import { IsObject } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { EnvelopeClass, EventTopic, eventTopics, MessageEnvelope, messageClasses } from '@orderflow/contracts';
import { contractProblems, InvalidMessageError } from '@orderflow/messaging';

/** Any domain event: the envelope is checked here, the payload against its topic's contract by `checkContract`. */
export class AnyEventMessage extends MessageEnvelope<Record<string, unknown>> {
  @IsObject()
  override payload: Record<string, unknown>;
}

/** Where in Kafka an event was read, and who it says asked for it (its `x-principal` header). */
export interface EventPosition {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  principal: string | null;
}

export interface RecordedEvent {
  eventId: string;
  type: string;
  topic: string;
  partition: number;
  kafkaOffset: string;
  messageKey: string | null;
  occurredAt: Date;
  correlationId: string;
  causationId: string | null;
  principal: string | null;
  aggregateId: string;
  aggregateVersion: number;
  orderId: string | null;
  payload: Record<string, unknown>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isEventTopic(topic: string): topic is EventTopic {
  return (eventTopics as readonly string[]).includes(topic);
}

/**
 * The payload must satisfy its topic's contract, and the type must name the topic it came on: the
 * audit log records what the system agreed to say, and a message that breaks the contract goes to
 * the dead-letter topic as it would for any other consumer. The payload is stored in the current schema
 * version of its type: one of the previous version as its upcaster reads it (the interceptor upcasts
 * before validation), so the log reads one shape per type.
 */
export function checkContract(message: AnyEventMessage, topic: string): void {
  if (!isEventTopic(topic)) throw new InvalidMessageError([`topic: ${topic} is not a domain-event topic`]);
  if (message.type !== topic) throw new InvalidMessageError([`type: ${message.type} arrived on topic ${topic}`]);
  const contract: EnvelopeClass<object> = messageClasses[topic];
  // A copy: the check drops the fields the contract does not declare, and the log keeps them.
  const problems = contractProblems(plainToInstance(contract, { ...message }), contract);
  if (problems.length > 0) throw new InvalidMessageError(problems);
}

export function toRecordedEvent(message: AnyEventMessage, position: EventPosition): RecordedEvent {
  const orderId = message.payload.orderId;
  return {
    eventId: message.eventId,
    type: message.type,
    topic: position.topic,
    partition: position.partition,
    kafkaOffset: position.offset,
    messageKey: position.key,
    occurredAt: new Date(message.occurredAt),
    correlationId: message.correlationId,
    causationId: message.causationId ?? null,
    principal: position.principal,
    aggregateId: message.aggregateId,
    aggregateVersion: message.aggregateVersion,
    orderId: typeof orderId === 'string' && UUID.test(orderId) ? orderId.toLowerCase() : null,
    payload: message.payload,
  };
}
