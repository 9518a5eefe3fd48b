/** Headers a dead letter carries besides the original ones (the replay tool strips them). */
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
