import { KafkaOptions, ServerKafka } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import { CrashedConsumerRestart } from './crashed-consumer-restart';
import { KafkaBatchContext } from './kafka-batch-context';
import { MeasuringKafkaParser } from './measuring-kafka-parser';
import { OffsetCommits } from './offset-commits';
import { applyRequestQueueTimerFix } from './request-queue-timer-fix';
import { assertVerifiedVersions } from './verified-versions';
import {
  handleBatchAsOne,
  handleBatchInAnyOrder,
  handleBatchInOrder,
  handlesInAnyOrder,
  handlesInBatches,
} from './partition-batch';

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
 *   committing once per batch; to an `InAnyOrder` handler it hands the whole batch at once, and an
 *   `InBatches` handler takes the whole batch in one call (a KafkaBatchContext).
 * - kafkajs also commits after every batch; this one commits what was handled once a second, and at
 *   once at a stop or a failure (OffsetCommits).
 * - kafkajs restarts a crashed consumer only after a retriable error; after one that is not, this
 *   server subscribes and runs the consumer again (CrashedConsumerRestart).
 *
 * A subclass by choice (docs/kafka-transport.md), held to Nest's own server by
 * transport-conformance.spec.ts and to the versions it was verified on by verified-versions.ts.
 */
export class TopicServerKafka extends ServerKafka {
  private restart: CrashedConsumerRestart | undefined;
  private isClosing = false;
  private readonly offsetCommits = new OffsetCommits(this.logger);

  private readonly measuringParser: MeasuringKafkaParser;

  /**
   * Refuses a version of Nest's microservices or of kafkajs this fork was not verified against
   * (UnverifiedVersionError). Applies the kafkajs request-queue fix first, so a refusal comes with its
   * warning too; runService creates the transport before any client of the app connects.
   */
  constructor(
    options: Required<KafkaOptions>['options'],
    /** Which of the app's handlers this server's consumer subscribes for; the app's other server takes the rest. */
    private readonly takes: 'all' | 'events' | 'requests' = 'all',
  ) {
    applyRequestQueueTimerFix();
    assertVerifiedVersions();
    super(options);
    this.measuringParser = new MeasuringKafkaParser(options.parser);
    this.parser = this.measuringParser;
  }

  override getRouteFromPattern(pattern: string): string {
    const first = pattern.charAt(0);
    if (first === '{' || first === '[' || first === '"') return super.getRouteFromPattern(pattern);
    return this.normalizePattern(pattern);
  }

  override async bindEvents(consumer: Consumer): Promise<void> {
    this.refuseRequestsInBatches();
    this.restart ??= new CrashedConsumerRestart(consumer, () => this.subscribeAndRun(consumer), this.logger);
    await this.subscribeAndRun(consumer);
  }

  /**
   * Once: Nest closes a hybrid app's microservices again in `app.close()`, and that second call must
   * not wait for a first one that is stuck on an unreachable broker (runService gives it half the
   * shutdown budget, then goes on).
   */
  override async close(): Promise<void> {
    if (this.isClosing) return;
    this.isClosing = true;
    this.restart?.stop();
    await this.commitHandledOffsets();
    return super.close();
  }

  /** What was handled and not committed yet, committed now; a batch that ends during the stop commits its own. */
  commitHandledOffsets(): Promise<void> {
    return this.offsetCommits.flush();
  }

  /** An `InBatches` call goes through Nest's event path, which never replies: a request handler would leave its callers waiting. */
  private refuseRequestsInBatches(): void {
    for (const [pattern, handler] of this.messageHandlers) {
      if (handlesInBatches(handler.extras) && !handler.isEventHandler)
        throw new Error(
          `InBatches is for @EventPattern handlers only; ${pattern} is a @MessagePattern (requests need a reply each)`,
        );
    }
  }

  private async subscribeAndRun(consumer: Consumer): Promise<void> {
    const topics = [...this.messageHandlers]
      .filter(([, handler]) => this.takes === 'all' || handler.isEventHandler === (this.takes === 'events'))
      .map(([topic]) => topic);
    if (topics.length > 0) await consumer.subscribe({ ...this.options.subscribe, topics });
    await consumer.run({
      ...this.options.run,
      // Offsets are resolved message by message as each is handled, never a whole batch at its end.
      eachBatchAutoResolve: false,
      autoCommit: false,
      eachBatch: (payload) => this.handleAndCommit(payload),
    });
  }

  private async handleAndCommit(payload: EachBatchPayload): Promise<void> {
    try {
      await this.handleBatch(payload);
    } catch (error) {
      await this.offsetCommits.failed(payload);
      throw error;
    }
    await this.offsetCommits.handled(payload);
  }

  private handleBatch(payload: EachBatchPayload): Promise<void> {
    const extras = this.getHandlerByPattern(payload.batch.topic)?.extras;
    if (handlesInBatches(extras)) {
      const { topic, partition } = payload.batch;
      return handleBatchAsOne(
        payload,
        (messages) => this.prepareMessages(topic, partition, messages),
        (handed) => this.handleMessages(payload, handed),
      );
    }
    const handleMessage = this.handleMessage.bind(this);
    return handlesInAnyOrder(extras)
      ? handleBatchInAnyOrder(payload, handleMessage)
      : handleBatchInOrder(payload, handleMessage);
  }

  /** What `handleMessage` makes of a message before dispatch (parsed, deserialized), for a batch at once. */
  private async prepareMessages(topic: string, partition: number, messages: KafkaMessage[]): Promise<HandedMessage[]> {
    const prepared: HandedMessage[] = [];
    for (const message of messages) {
      const rawMessage = this.measuringParser.parse<KafkaMessage>(Object.assign(message, { topic, partition }));
      const packet = this.deserializer.deserialize(rawMessage, { channel: topic });
      prepared.push({ rawMessage, data: (packet instanceof Promise ? await packet : packet).data });
    }
    return prepared;
  }

  /** One call of an `InBatches` handler: what `handleEvent` does for one message, for all of them. */
  private async handleMessages(payload: EachBatchPayload, handed: HandedMessage[]): Promise<void> {
    const { topic, partition } = payload.batch;
    const messages = handed.map((message) => message.rawMessage);
    const context = new KafkaBatchContext(
      [messages[0], partition, topic, this.consumer!, payload.heartbeat, this.producer!],
      messages,
    );
    await this.handleEvent(topic, { pattern: topic, data: handed.map((message) => message.data) }, context);
  }
}

interface HandedMessage {
  /** As Nest's parser leaves it: what the context holds. */
  rawMessage: KafkaMessage;
  /** The deserialized value: what the handler takes. */
  data: unknown;
}
