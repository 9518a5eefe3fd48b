import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { KafkaContext, RpcException } from '@nestjs/microservices';
import { ReplyError } from '@orderflow/contracts';
import { isDatabaseUnavailable } from '@orderflow/persistence';
import { catchError, defer, from, map, mergeMap, Observable, retry, Subscription, throwError } from 'rxjs';
import { KafkaBatchContext } from '../kafka/kafka-batch-context';
import { KafkaConnection } from '../kafka/kafka-connection';
import { DeadLetterPublisher } from './dead-letter-publisher';
import { InvalidMessageError, RequestRejectedError } from './message-errors';
import { inspectMessage, isRequestMessage } from './message-inspection';
import { asCurrentVersion } from './message-versions';
import { asPrincipal, principalOf, runAsPrincipal } from './principal-context';

/** One wait between attempts never exceeds this, so a failing message holds its fetch for a bounded time. */
export const MAX_RETRY_DELAY_MS = 5_000;
/** Heartbeats while waiting, well inside the consumer's session timeout, so a retry never costs the group. */
const HEARTBEAT_EVERY_MS = 1_000;

/**
 * Wraps every Kafka handler of an app (runService puts it there: libs/runtime's handler pipeline).
 * - Every message is inspected first (no value, too large, not an object, a request without a reply
 *   address, a type foreign to its topic, a schema version it does not read): such a message goes to
 *   `<topic>.dlq` without reaching a handler. One that passes reaches the handler's validation as the
 *   current version of its type reads it (a message of the previous version upcast).
 * - Request-reply: the result goes back as an explicit Kafka record; rejections go back as `ReplyError`.
 *   A request waits out a database outage, as events do.
 * - Events and commands: a handler failing for a passing reason is retried with exponential backoff,
 *   heartbeating while it waits, and for as long as the database is unreachable (an outage spends no
 *   attempt); an invalid message, or one that still fails after the last attempt,
 *   goes to `<topic>.dlq` and the handler completes, so the offset is committed and the partition
 *   moves on. If the dead-letter publish itself fails, the handler fails and kafkajs redelivers.
 * - A batch (`InBatches`) of more than one message gets one attempt, and only if every message passes
 *   inspection; otherwise it fails, and the transport hands its messages over again one per call,
 *   each a batch of one that this interceptor treats as any single message.
 * - The handler runs on behalf of the message's `x-principal` (principal-context.ts), its retries too:
 *   what it sends and writes to the outbox names the same principal. A batch runs on behalf of nobody.
 */
@Injectable()
export class MessageHandlingInterceptor implements NestInterceptor {
  private readonly logger = new Logger(MessageHandlingInterceptor.name);

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly deadLetters: DeadLetterPublisher,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const kafkaContext = context.switchToRpc().getContext<KafkaContext>();
    if (kafkaContext instanceof KafkaBatchContext && kafkaContext.getMessages().length > 1) {
      return this.handleBatch(context, kafkaContext, next);
    }
    const message = kafkaContext.getMessage();
    const problem = inspectMessage(kafkaContext.getTopic(), message);
    if (problem) {
      const deadLettered = defer(() =>
        this.deadLetters.publish(kafkaContext, problem.reason, new Error(problem.error), 0),
      );
      if (!isRequestMessage(message)) return deadLettered.pipe(map(() => undefined));
      // A request that still names a reply address gets an answer too, so its caller does not wait.
      const rejection = { code: 'INVALID', message: 'the request is invalid', details: [problem.error] };
      return deadLettered.pipe(mergeMap(() => throwError(() => new RpcException(rejection))));
    }
    readAsCurrentVersions(context, kafkaContext);
    const principal = principalOf(message.headers);
    if (isRequestMessage(message)) return asPrincipal(principal, () => this.handleRequest(kafkaContext, next));
    return this.handleMessage(kafkaContext, next, principal);
  }

  private handleBatch(execution: ExecutionContext, context: KafkaBatchContext, next: CallHandler): Observable<unknown> {
    const topic = context.getTopic();
    const flawed = context.getMessages().find((message) => inspectMessage(topic, message));
    if (flawed) {
      return throwError(() => new Error(`message at offset ${flawed.offset} needs handling on its own`));
    }
    readAsCurrentVersions(execution, context);
    return next.handle();
  }

  private handleRequest(context: KafkaContext, next: CallHandler): Observable<unknown> {
    return defer(() => next.handle()).pipe(
      // Through an outage the caller times out (its documented "may still take effect"), and the
      // request is handled once the database is back, rather than answered as a failure it is not.
      retry({
        delay: (error: unknown, retryCount) => {
          if (!isDatabaseUnavailable(error)) return throwError(() => error);
          this.logger.warn(
            `${context.getTopic()} request waits for the database (attempt ${retryCount}): ${String(error)}`,
          );
          return from(waitWithHeartbeats(context, this.backoffMs(retryCount)));
        },
      }),
      // Always an explicit record: a result with a `value` field would otherwise be taken for one.
      map((result) => ({ value: result ?? null })),
      catchError((error: unknown) => throwError(() => new RpcException(this.toReplyError(error)))),
    );
  }

  /**
   * The first attempt subscribes to the handler directly; only a failure builds the retry pipeline
   * (`retryOrDeadLetter`). Every message paid for that pipeline (the principal's Observable, `defer`,
   * `retry` and `catchError`, each a subscriber of its own) while almost all of them succeed at once:
   * a visible share of a no-op consumer's CPU and garbage (bench/README.md, "Optimisations").
   */
  private handleMessage(context: KafkaContext, next: CallHandler, principal: string | undefined): Observable<unknown> {
    return new Observable((subscriber) => {
      let current: Subscription | undefined;
      const first = runAsPrincipal(principal, () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          complete: () => subscriber.complete(),
          error: (error: unknown) => {
            current = runAsPrincipal(principal, () =>
              this.retryOrDeadLetter(context, next, error).subscribe(subscriber),
            );
          },
        }),
      );
      // A failure delivered synchronously has already put the retries' subscription in `current`.
      current ??= first;
      return () => current?.unsubscribe();
    });
  }

  /**
   * After the first attempt failed with `firstError`: the attempts left, with backoff, then the dead
   * letter. The first failure goes through the same `retry` as the later ones (replayed, not run again),
   * so its count and delays are those of a pipeline that ran every attempt.
   */
  private retryOrDeadLetter(context: KafkaContext, next: CallHandler, firstError: unknown): Observable<unknown> {
    const { maxAttempts } = this.kafka.settings;
    let attempts = 1;
    let failures = 0;
    let replayed = false;
    return defer(() => {
      if (!replayed) {
        replayed = true;
        return throwError(() => firstError);
      }
      attempts += 1;
      return next.handle();
    }).pipe(
      retry({
        delay: (error: unknown, retryCount) => {
          if (!isRetriable(error)) return throwError(() => error);
          // An outage is not the message's fault: it waits for the database without spending its
          // attempts, holding its partition (as any failing message does) instead of dead-lettering.
          const isOutage = isDatabaseUnavailable(error);
          if (!isOutage && ++failures >= maxAttempts) return throwError(() => error);
          this.logger.warn(
            isOutage
              ? `${context.getTopic()} handler waits for the database (attempt ${retryCount}): ${String(error)}`
              : `${context.getTopic()} handler failed (attempt ${failures}/${maxAttempts}): ${String(error)}`,
          );
          return from(waitWithHeartbeats(context, this.backoffMs(retryCount)));
        },
      }),
      catchError((error: unknown) =>
        defer(() =>
          this.deadLetters.publish(
            context,
            error instanceof InvalidMessageError ? 'INVALID' : 'FAILED',
            error,
            attempts,
          ),
        ),
      ),
    );
  }

  private backoffMs(retryCount: number): number {
    return Math.min(this.kafka.settings.retryBackoffMs * 2 ** (retryCount - 1), MAX_RETRY_DELAY_MS);
  }

  private toReplyError(error: unknown): ReplyError | { status: 'error'; message: string } {
    if (error instanceof InvalidMessageError) {
      return { code: 'INVALID', message: 'the request is invalid', details: error.problems };
    }
    if (error instanceof RequestRejectedError) {
      return { code: error.code, message: error.message, details: error.details, reason: error.reason };
    }
    this.logger.error(`request handler failed: ${error instanceof Error ? error.stack : String(error)}`);
    // The caller learns that it failed, never how: no stack trace leaves the service.
    return { status: 'error', message: 'Internal server error' };
  }
}

/**
 * Hands the handler's pipes each message as the current version of its type reads it, so validation
 * and handlers only ever see one shape; the consumed message itself stays as published (a dead letter
 * keeps it). Nest passes this same args array on to the pipes (RpcContextCreator), the payload first:
 * one value, or the array of an InBatches call.
 */
function readAsCurrentVersions(execution: ExecutionContext, context: KafkaContext): void {
  const topic = context.getTopic();
  const args = execution.getArgs();
  if (!(context instanceof KafkaBatchContext)) {
    args[0] = asCurrentVersion(topic, { value: args[0], headers: context.getMessage().headers });
  } else if (Array.isArray(args[0])) {
    const messages = context.getMessages();
    args[0] = args[0].map((value: unknown, index) =>
      asCurrentVersion(topic, { value, headers: messages[index].headers }),
    );
  }
}

/** Waits `delayMs`, telling the group coordinator every second that this member is alive. */
async function waitWithHeartbeats(context: KafkaContext, delayMs: number): Promise<void> {
  const heartbeat = context.getHeartbeat?.();
  const until = Date.now() + delayMs;
  for (let left = delayMs; left > 0; left = until - Date.now()) {
    await new Promise((wake) => setTimeout(wake, Math.min(left, HEARTBEAT_EVERY_MS)));
    // A failed heartbeat (a rebalance) is not this message's failure: the attempt goes on.
    await heartbeat?.().catch(() => undefined);
  }
}

function isRetriable(error: unknown): boolean {
  return !(error instanceof InvalidMessageError) && !(error instanceof RequestRejectedError);
}
