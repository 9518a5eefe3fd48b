import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import {
  isReplyError,
  MessageHeaders,
  replyTopicOf,
  RequestTopic,
  requestTopics,
  schemaVersions,
} from '@orderflow/contracts';
import { KafkaJSError } from 'kafkajs';
import { catchError, firstValueFrom, throwError, timeout } from 'rxjs';
import { CrashedConsumerRestart } from '../kafka/crashed-consumer-restart';
import { commitEndedBatches } from '../kafka/ended-batch-offsets';
import { KAFKA_SETTINGS, KafkaSettings } from '../kafka/kafka-settings';
import { kafkaClientTransport } from '../kafka/kafka-transport';
import type { OffsetCommits } from '../kafka/offset-commits';
import { RequestRejectedError } from '../handling/message-errors';
import { currentPrincipal } from '../handling/principal-context';
import { awaitShutdownStep } from '../shutdown-step';
import { ReplyPartitionClientKafka } from './reply-partition-client-kafka';
import { RemoteServiceError, RequestTimeoutError, RequestUndeliveredError } from './request-errors';

export interface RequestOptions {
  correlationId: string;
  /** The partition key of the request, e.g. the order id, so that one aggregate's requests stay in order. */
  key?: string;
  /** Who asks (`x-principal`); by default the principal of the work in hand (principal-context.ts). */
  principal?: string;
}

const FIRST_ASSIGNMENT_TIMEOUT_MS = 30_000;

/**
 * Request-reply over Nest's ClientKafka with the rules it does not enforce itself: every reply topic
 * subscribed before connecting, ready only once the reply consumer holds a partition of each, a
 * deadline on every request, replies mapped to typed errors, and the reply consumer run again after
 * a crash kafkajs does not restart (not ready meanwhile: no reply could arrive).
 *
 * All instances of a caller share one reply group (`<service>-client`) with Nest's reply partition
 * assigner, so each `.reply` topic has as many partitions as the largest number of live instances.
 * Of those it holds, an instance fetches only the one it names in its requests (reply-partition-client-kafka.ts).
 */
@Injectable()
export class RequestClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RequestClient.name);
  private readonly client: ClientKafka;
  private isClosing = false;
  private restart: CrashedConsumerRestart | undefined;
  private replyCommits: Pick<OffsetCommits, 'flush'> | undefined;

  constructor(@Inject(KAFKA_SETTINGS) private readonly settings: KafkaSettings) {
    this.client = new ReplyPartitionClientKafka(kafkaClientTransport(settings).options ?? {});
  }

  async onModuleInit(): Promise<void> {
    for (const topic of requestTopics) this.client.subscribeToResponseOf(topic);
    const assigned = this.firstAssignment();
    await this.client.connect();
    // kafkajs would commit after every batch, under load a request to the broker per reply
    // (autoCommit: false in kafka-transport.ts). After a rebalance up to an interval of replies comes
    // again; Nest drops those it holds no request for.
    this.replyCommits = commitEndedBatches(this.client.consumer, this.logger);
    this.restart = new CrashedConsumerRestart(this.client.consumer, () => this.client.bindTopics(), this.logger);
    await assigned;
  }

  async onApplicationShutdown(): Promise<void> {
    this.isClosing = true;
    this.restart?.stop();
    // Bounded: with the broker unreachable the last commit and the reply consumer's disconnect wait for
    // a broker that does not answer; requests still out have failed by now, nothing is left to receive.
    const closed = (this.replyCommits?.flush() ?? Promise.resolve()).then(() => this.client.close());
    await awaitShutdownStep(closed, {
      settings: this.settings,
      share: 'later-step',
      logger: this.logger,
      overrun: 'the reply client did not close',
      then: 'going on',
    });
  }

  /**
   * True while the reply consumer runs and holds a partition of every reply topic (false during a
   * rebalance gap, and after a crash until it has joined again).
   */
  isReady(): boolean {
    if (this.restart?.consumerIsDown) return false;
    const assignments = this.client.getConsumerAssignments();
    return requestTopics.every((topic) => replyTopicOf(topic) in assignments);
  }

  async request<Reply>(topic: RequestTopic, payload: object, options: RequestOptions): Promise<Reply> {
    const principal = options.principal ?? currentPrincipal();
    const record = {
      key: options.key ?? null,
      value: payload,
      // A request has no envelope: its schema version travels as a header only.
      headers: {
        [MessageHeaders.CorrelationId]: options.correlationId,
        [MessageHeaders.SchemaVersion]: String(schemaVersions[topic]),
        ...(principal ? { [MessageHeaders.Principal]: principal } : {}),
      },
    };
    const timeoutMs = this.settings.requestTimeoutMs;
    return firstValueFrom(
      this.client.send<Reply>(topic, record).pipe(
        timeout({ first: timeoutMs, with: () => throwError(() => new RequestTimeoutError(topic, timeoutMs)) }),
        catchError((error: unknown) => throwError(() => this.toRequestError(topic, error))),
      ),
    );
  }

  private toRequestError(topic: string, error: unknown): Error {
    if (error instanceof RequestTimeoutError) return error;
    if (isReplyError(error)) return new RequestRejectedError(error.code, error.message, error.details, error.reason);
    const text = error instanceof Error ? error.message : JSON.stringify(error);
    // The producer gave up on the broker: not the service's failure, and not known to have had no effect.
    if (error instanceof KafkaJSError) {
      this.logger.warn(`${topic} not delivered: ${text}`);
      return new RequestUndeliveredError(topic, text);
    }
    // A request still out when the app stops loses its connection: expected then, not an error.
    if (this.isClosing) this.logger.warn(`${topic} abandoned, the app is stopping: ${text}`);
    else this.logger.error(`${topic} failed: ${text}`);
    return new RemoteServiceError(topic, `${topic} failed`);
  }

  private firstAssignment(): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => {
        clearInterval(check);
        reject(new Error(`no reply partitions assigned within ${FIRST_ASSIGNMENT_TIMEOUT_MS} ms`));
      }, FIRST_ASSIGNMENT_TIMEOUT_MS);
      const check = setInterval(() => {
        if (!this.isReady()) return;
        clearInterval(check);
        clearTimeout(deadline);
        resolve();
      }, 20);
    });
  }
}
