import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { KafkaContext, KafkaHeaders, RpcException } from '@nestjs/microservices';
import { ReplyError } from '@orderflow/contracts';
import { catchError, defer, map, Observable, retry, throwError, timer } from 'rxjs';
import { KafkaConnection } from '../kafka/kafka-connection';
import { DeadLetterPublisher } from './dead-letter-publisher';
import { InvalidMessageError, RequestRejectedError } from './message-errors';

/**
 * Wraps every Kafka handler of an app.
 * - Request-reply: the result goes back as an explicit Kafka record; rejections go back as `ReplyError`.
 * - Events and commands: a handler failing for a passing reason is retried with exponential backoff;
 *   an invalid message, or one that still fails after the last attempt, goes to `<topic>.dlq` and the
 *   handler completes, so the offset is committed and the partition moves on.
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
    const isRequest = Boolean(kafkaContext.getMessage().headers?.[KafkaHeaders.REPLY_TOPIC]);
    return isRequest ? this.handleRequest(next) : this.handleMessage(kafkaContext, next);
  }

  private handleRequest(next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      // Always an explicit record: a result with a `value` field would otherwise be taken for one.
      map((result) => ({ value: result ?? null })),
      catchError((error: unknown) => throwError(() => new RpcException(this.toReplyError(error)))),
    );
  }

  private handleMessage(context: KafkaContext, next: CallHandler): Observable<unknown> {
    const { maxAttempts, retryBackoffMs } = this.kafka.settings;
    let attempts = 0;
    return defer(() => {
      attempts += 1;
      return next.handle();
    }).pipe(
      retry({
        count: maxAttempts - 1,
        delay: (error: unknown, retryCount) => {
          if (!isRetriable(error)) return throwError(() => error);
          this.logger.warn(
            `${context.getTopic()} handler failed (attempt ${retryCount}/${maxAttempts}): ${String(error)}`,
          );
          return timer(retryBackoffMs * 2 ** (retryCount - 1));
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

  private toReplyError(error: unknown): ReplyError | { status: 'error'; message: string } {
    if (error instanceof InvalidMessageError) {
      return { code: 'INVALID', message: 'the request is invalid', details: error.problems };
    }
    if (error instanceof RequestRejectedError) {
      return { code: error.code, message: error.message, details: error.details };
    }
    this.logger.error(`request handler failed: ${error instanceof Error ? error.stack : String(error)}`);
    // The caller learns that it failed, never how: no stack trace leaves the service.
    return { status: 'error', message: 'Internal server error' };
  }
}

function isRetriable(error: unknown): boolean {
  return !(error instanceof InvalidMessageError) && !(error instanceof RequestRejectedError);
}
