import { KafkaHeaders } from '@nestjs/microservices';
import { DeadLetterReason, MessageHeaders, RequestTopic, requestTopics } from '@orderflow/contracts';
import { rawValueBytes } from '../kafka/measuring-kafka-parser';
import { versionProblem } from './message-versions';

/** Values above this are refused before parsing reaches a handler; the broker's own limit is 1 MiB. */
export const MAX_MESSAGE_BYTES = 512 * 1024;

export interface MessageProblem {
  reason: DeadLetterReason;
  error: string;
}

/** What the interceptor sees of a consumed message (after Nest's parser). */
export interface InspectedMessage {
  value: unknown;
  headers?: Record<string, unknown>;
}

const requestTopicSet = new Set<string>(requestTopics);

export function isRequestTopic(topic: string): topic is RequestTopic {
  return requestTopicSet.has(topic);
}

export function isRequestMessage(message: InspectedMessage): boolean {
  const headers = message.headers ?? {};
  return hasText(headers[KafkaHeaders.REPLY_TOPIC]) && hasText(headers[KafkaHeaders.CORRELATION_ID]);
}

/**
 * The checks every consumed message passes before any handler sees it. Class validation (fields,
 * types) is the pipe's; these are the ones that need the topic, the headers or the raw size.
 */
export function inspectMessage(topic: string, message: InspectedMessage): MessageProblem | undefined {
  const { value } = message;
  if (value === null || value === undefined) {
    return { reason: 'NO_VALUE', error: 'the message has no value (a tombstone)' };
  }
  const bytes = rawValueBytes(message) ?? sizeOf(value);
  if (bytes > MAX_MESSAGE_BYTES) {
    return { reason: 'TOO_LARGE', error: `the value has ${bytes} bytes, more than ${MAX_MESSAGE_BYTES}` };
  }
  if (typeof value !== 'object' || Array.isArray(value) || Buffer.isBuffer(value)) {
    return { reason: 'MALFORMED', error: 'the value is not a JSON object' };
  }
  if (isRequestTopic(topic)) {
    if (!isRequestMessage(message)) {
      return {
        reason: 'NO_REPLY_ADDRESS',
        error: `a request needs the ${KafkaHeaders.CORRELATION_ID} and ${KafkaHeaders.REPLY_TOPIC} headers`,
      };
    }
    return unsupportedVersion(topic, message);
  }
  const headerType = message.headers?.[MessageHeaders.MessageType];
  if (hasText(headerType) && headerType !== topic) {
    return {
      reason: 'UNKNOWN_TYPE',
      error: `header ${MessageHeaders.MessageType} is "${headerType}" on topic ${topic}`,
    };
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type === 'string' && type !== topic) {
    return { reason: 'UNKNOWN_TYPE', error: `type "${type.slice(0, 100)}" does not belong on topic ${topic}` };
  }
  return unsupportedVersion(topic, message);
}

function unsupportedVersion(topic: string, message: InspectedMessage): MessageProblem | undefined {
  const error = versionProblem(topic, message);
  return error === undefined ? undefined : { reason: 'UNSUPPORTED_VERSION', error };
}

/** For a message the measuring parser did not see: the size its value has when serialized again. */
function sizeOf(value: unknown): number {
  if (Buffer.isBuffer(value)) return value.length;
  if (typeof value === 'string') return Buffer.byteLength(value);
  return Buffer.byteLength(JSON.stringify(value));
}

function hasText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}
