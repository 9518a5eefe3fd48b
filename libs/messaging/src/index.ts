// What apps, the tools and the libs above use; inspection, the batch handlers, the outbox relay, the
// entities and producer configs are the lib's own.
export * from './client/request-client';
export * from './client/request-errors';
export * from './handling/correlation-id.decorator';
export * from './handling/dead-letter-headers';
export * from './handling/dead-letter-publisher';
export * from './handling/message-errors';
export { MessageHandlingInterceptor } from './handling/message-handling.interceptor';
export * from './handling/message-validation.pipe';
export * from './handling/principal-context';
export * from './handling/valid-payload.decorator';
export * from './handling/validation-problems';
export * from './kafka/consumer-state';
export * from './kafka/kafka-batch-context';
export * from './kafka/kafka-connection';
export {
  KAFKA_SETTINGS,
  kafkaClientConfig,
  kafkaSecurityConfig,
  kafkaSecurityOf,
  kafkaSettings,
} from './kafka/kafka-settings';
export type { KafkaEnv, KafkaSecurity, KafkaSecurityEnv, KafkaSettings } from './kafka/kafka-settings';
export * from './kafka/kafka-transport';
export { commitEndedBatches } from './kafka/ended-batch-offsets';
export { OFFSET_COMMIT_INTERVAL_MS } from './kafka/offset-commits';
export { InAnyOrder, InBatches } from './kafka/partition-batch';
export * from './kafka/poll-until';
export { applyRequestQueueTimerFix } from './kafka/request-queue-timer-fix';
export * from './kafka/topic-plan';
export * from './kafka/topic-provisioner';
export { UnverifiedVersionError, unverifiedVersions } from './kafka/verified-versions';
export * from './message-transactions';
export * from './messaging-persistence';
export * from './messaging.module';
export * from './metrics/message-metrics';
export { answerCommand, createMessage, originOf } from './outgoing-message';
export type { CommandOutcome, MessageOrigin, MessageSubject, OutgoingMessage } from './outgoing-message';
export * from './settles-within';
export * from './shutdown-step';
