import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import type { Consumer, ConsumerCrashEvent, EachBatchPayload } from 'kafkajs';
import { MeasuringKafkaParser } from './measuring-kafka-parser';
import { handleBatchInAnyOrder, handleBatchInOrder, handlesInAnyOrder } from './partition-batch';

const REJOIN_FIRST_DELAY_MS = 1_000;
const REJOIN_MAX_DELAY_MS = 30_000;

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
 * - kafkajs restarts a crashed consumer only after a retriable error. One that is not ("Failed to
 *   find group coordinator" while the broker restarts) left the app consuming nothing for good, alive
 *   but not ready. This server subscribes and runs the consumer again, with backoff, until it joins.
 */
export class TopicServerKafka extends ServerKafka {
  private isClosing = false;
  private watchesCrashes = false;
  private runAgainAttempt = 0;
  private runAgainTimer: NodeJS.Timeout | undefined;

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
    if (!this.watchesCrashes) {
      this.watchesCrashes = true;
      consumer.on(consumer.events.CRASH, (event: ConsumerCrashEvent) => {
        if (!event.payload.restart) this.scheduleRunAgain(consumer);
      });
      consumer.on(consumer.events.GROUP_JOIN, () => (this.runAgainAttempt = 0));
    }
    await this.subscribeAndRun(consumer);
  }

  override async close(): Promise<void> {
    this.isClosing = true;
    clearTimeout(this.runAgainTimer);
    await super.close();
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

  /** One pending attempt at a time; a crash of the attempt itself (its join failed) schedules the next. */
  private scheduleRunAgain(consumer: Consumer): void {
    if (this.isClosing || this.runAgainTimer) return;
    this.runAgainAttempt += 1;
    const delayMs = Math.min(REJOIN_FIRST_DELAY_MS * 2 ** (this.runAgainAttempt - 1), REJOIN_MAX_DELAY_MS);
    this.logger.warn(`the consumer crashed and kafkajs will not restart it: running it again in ${delayMs} ms`);
    this.runAgainTimer = setTimeout(() => {
      this.runAgainTimer = undefined;
      void this.runAgain(consumer);
    }, delayMs);
  }

  private async runAgain(consumer: Consumer): Promise<void> {
    if (this.isClosing) return;
    try {
      await consumer.connect();
      await this.subscribeAndRun(consumer);
    } catch (error) {
      this.logger.warn(`running the consumer again failed (attempt ${this.runAgainAttempt}): ${String(error)}`);
      this.scheduleRunAgain(consumer);
    }
  }
}
