/**
 * What a dead letter says besides the original message: libs/messaging's DeadLetterPublisher writes
 * these headers, the replay tool strips them, and the AsyncAPI documents describe them.
 */
export const DeadLetterHeaders = {
  Reason: 'x-dlq-reason',
  Error: 'x-dlq-error',
  OriginalTopic: 'x-dlq-original-topic',
  OriginalPartition: 'x-dlq-original-partition',
  OriginalOffset: 'x-dlq-original-offset',
  ConsumerGroup: 'x-dlq-consumer-group',
  Attempts: 'x-dlq-attempts',
  FailedAt: 'x-dlq-failed-at',
} as const;

/**
 * Why a message goes to `<topic>.dlq` (header `x-dlq-reason`):
 * - NO_VALUE: a null value (tombstone); Nest would hand the whole Kafka message to the handler as data.
 * - TOO_LARGE: a value above the consumer's limit (libs/messaging's MAX_MESSAGE_BYTES).
 * - MALFORMED: not a JSON object (invalid JSON arrives from Nest as a plain string).
 * - NO_REPLY_ADDRESS: a request without Nest's correlation id or reply topic header; Nest would run
 *   the request handler as an event and nobody would hear the answer.
 * - UNKNOWN_TYPE: an envelope (or its `x-message-type` header) naming another type than its topic.
 * - UNSUPPORTED_VERSION: a schema version this consumer does not read (newer than its current one,
 *   older than the one before, not a whole number, or header and envelope disagreeing): parked
 *   rather than half-read.
 * - INVALID: valid JSON that fails the message class's validation.
 * - FAILED: the handler kept failing for a passing reason through every attempt.
 */
export const DeadLetterReasons = [
  'NO_VALUE',
  'TOO_LARGE',
  'MALFORMED',
  'NO_REPLY_ADDRESS',
  'UNKNOWN_TYPE',
  'UNSUPPORTED_VERSION',
  'INVALID',
  'FAILED',
] as const;

export type DeadLetterReason = (typeof DeadLetterReasons)[number];
