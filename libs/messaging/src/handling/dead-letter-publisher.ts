import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { deadLetterTopicOf, Topic } from '@orderflow/contracts';
import { KafkaConnection } from '../kafka/kafka-connection';
import { MESSAGE_METRICS, MessageMetricsHooks } from '../metrics/message-metrics';
import { DeadLetterHeaders, DeadLetterReason } from './dead-letter-headers';

/** Moves a message that cannot be handled to `<topic>.dlq`, with headers saying why and where it came from. */
@Injectable()
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);

  constructor(
    private readonly kafka: KafkaConnection,
    @Optional() @Inject(MESSAGE_METRICS) private readonly metrics?: MessageMetricsHooks,
  ) {}

  async publish(context: KafkaContext, reason: DeadLetterReason, error: unknown, attempts: number): Promise<void> {
    const message = context.getMessage();
    const topic = context.getTopic();
    const headers: Record<string, string> = {
      ...stringHeaders(message.headers),
      [DeadLetterHeaders.Reason]: reason,
      [DeadLetterHeaders.Error]: errorText(error).slice(0, 2_000),
      [DeadLetterHeaders.OriginalTopic]: topic,
      [DeadLetterHeaders.OriginalPartition]: String(context.getPartition()),
      [DeadLetterHeaders.OriginalOffset]: message.offset,
      [DeadLetterHeaders.ConsumerGroup]: this.kafka.settings.groupId,
      [DeadLetterHeaders.Attempts]: String(attempts),
      [DeadLetterHeaders.FailedAt]: new Date().toISOString(),
    };
    await this.kafka.send(deadLetterTopicOf(topic as Topic), [
      { key: encode(message.key), value: encode(message.value), headers },
    ]);
    this.metrics?.deadLettered(topic, reason);
    this.metrics?.produced(deadLetterTopicOf(topic as Topic), 1);
    this.logger.warn(
      `dead-lettered ${topic}[${context.getPartition()}]@${message.offset}: ${headers[DeadLetterHeaders.Error]}`,
    );
  }
}

/** Nest has already decoded the value (JSON parsed where it could); put it back into bytes. */
function encode(value: unknown): Buffer | string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || typeof value === 'string') return value;
  return JSON.stringify(value);
}

function stringHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    // Nest's parser JSON-decodes header values that look like JSON: encode them back.
    result[name] = Buffer.isBuffer(value)
      ? value.toString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  }
  return result;
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
