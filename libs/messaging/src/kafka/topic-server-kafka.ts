import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload } from 'kafkajs';
import { CrashedConsumerRestart } from './crashed-consumer-restart';
import { MeasuringKafkaParser } from './measuring-kafka-parser';
import { handleBatchInAnyOrder, handleBatchInOrder, handlesInAnyOrder } from './partition-batch';

/**
 * Nest's ServerKafka, minus per-message costs that showed in the profile of a no-op consumer, plus
 * one recovery kafkajs lacks:
 * - For every message Nest tries `JSON.parse(topic)` (patterns may be JSON objects) and, for a plain
 *   topic name such as `order.created`, builds and throws a SyntaxError: over a quarter of the CPU
 *   time. Our patterns are plain topic names, so only a name that looks like JSON goes the slow way.
 * - Its parser decodes each value to a string twice and drops the size on the wire; ours
 *   (MeasuringKafkaParser) does it once and keeps the size for the size check.
 * - It consumes with kafkajs's `eachMessage`, which awaits a heartbeat check and a commit check after
 *   every message. This one takes each fetched partition batch (`eachBatch`) and hands its messages
 *   to Nest's dispatch one after the other, as `eachMessage` would, checking those once a second and
 *   committing once per batch; to an `InAnyOrder` handler it hands the whole batch at once.
 * - kafkajs restarts a crashed consumer only after a retriable error; after one that is not, this
 *   server subscribes and runs the consumer again (CrashedConsumerRestart).
 */
export class TopicServerKafka extends ServerKafka {
  private restart: CrashedConsumerRestart | undefined;
  private isClosing = false;

  constructor(options: Required<KafkaOptions>['options']) {
    super(options);
    this.parser = new MeasuringKafkaParser(options.parser);
  }

  override getRouteFromPattern(pattern: string): string {
    const first = pattern.charAt(0);
    if (first === '{' || first === '[' || first === '"') return super.getRouteFromPattern(pattern);
    return this.normalizePattern(pattern);
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    this.restart ??= new CrashedConsumerRestart(consumer, () => this.subscribeAndRun(consumer), this.logger);
    await this.subscribeAndRun(consumer);
  }

  /**
   * Once: Nest closes a hybrid app's microservices again in `app.close()`, and that second call must
   * not wait for a first one that is stuck on an unreachable broker (runService gives it half the
   * shutdown budget, then goes on).
   */
  override close(): Promise<void> {
    if (this.isClosing) return Promise.resolve();
    this.isClosing = true;
    this.restart?.stop();
    return super.close();
  }

  private async subscribeAndRun(consumer: Consumer): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...this.options.subscribe, topics });
    await consumer.run({
      ...this.options.run,
      // Offsets are resolved message by message as each is handled, never a whole batch at its end.
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private handleBatch(payload: EachBatchPayload): Promise<void> {
    const handleMessage = this.handleMessage.bind(this);
    return handlesInAnyOrder(this.getHandlerByPattern(payload.batch.topic)?.extras)
      ? handleBatchInAnyOrder(payload, handleMessage)
      : handleBatchInOrder(payload, handleMessage);
  }
}
