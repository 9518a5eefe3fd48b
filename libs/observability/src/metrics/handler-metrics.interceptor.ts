import { CallHandler, ExecutionContext, HttpException, Injectable, NestInterceptor } from '@nestjs/common';
import { KafkaContext, KafkaHeaders } from '@nestjs/microservices';
import { messagesOf, RequestRejectedError } from '@orderflow/messaging';
import { Observable, tap } from 'rxjs';
import { OrderflowMetrics } from './orderflow-metrics';

interface HttpRequestLike {
  method: string;
  route?: { path?: string };
}

interface HttpResponseLike {
  statusCode: number;
}

/**
 * Measures every handler of the app: HTTP routes (by route template, never the raw URL, so ids
 * do not explode the label set) and Kafka handlers (by topic). It sits inside the messaging
 * interceptor (libs/runtime's handler pipeline), so it sees each attempt of a retried handler.
 */
@Injectable()
export class HandlerMetricsInterceptor implements NestInterceptor {
  /** A retried message reaches this interceptor once per attempt; it is consumed once. */
  private readonly counted = new WeakSet<object>();

  constructor(private readonly metrics: OrderflowMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') return this.http(context, next);
    if (context.getType() === 'rpc') return this.kafka(context, next);
    return next.handle();
  }

  private http(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<HttpRequestLike>();
    const response = context.switchToHttp().getResponse<HttpResponseLike>();
    const labels = { method: request.method, route: request.route?.path ?? 'unmatched' };
    const stop = this.metrics.httpDuration.startTimer(labels);
    return next.handle().pipe(
      tap({
        next: () => this.metrics.httpRequests.inc({ ...labels, status: String(response.statusCode) }),
        error: (error: unknown) =>
          this.metrics.httpRequests.inc({
            ...labels,
            status: String(error instanceof HttpException ? error.getStatus() : 500),
          }),
        finalize: () => stop(),
      }),
    );
  }

  private kafka(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const kafka = context.switchToRpc().getContext<unknown>();
    if (!(kafka instanceof KafkaContext)) return next.handle();
    const topic = kafka.getTopic();
    const messages = messagesOf(kafka);
    for (const message of messages) {
      if (this.counted.has(message)) continue;
      this.counted.add(message);
      const isRequest = Boolean(message.headers?.[KafkaHeaders.REPLY_TOPIC]);
      this.metrics.messagesConsumed.inc({ topic, kind: isRequest ? 'request' : 'message' });
    }
    const stop = this.metrics.handlerDuration.startTimer({ topic });
    let outcome = 'ok';
    return next.handle().pipe(
      tap({
        error: (error: unknown) => {
          // A rejection (not found, conflict) is an answer, not a failure of the handler.
          outcome = error instanceof RequestRejectedError ? 'rejected' : 'error';
          if (outcome === 'error') this.metrics.handlerFailed(topic, error);
        },
        finalize: () => {
          stop({ outcome });
          if (outcome !== 'ok') return;
          for (const message of messages) this.recordHandledLag(topic, message.timestamp);
        },
      }),
    );
  }

  private recordHandledLag(topic: string, timestamp: string | undefined): void {
    const producedAt = Number(timestamp);
    // A record without a usable timestamp (or from a clock ahead of ours) says nothing about lag.
    if (!Number.isFinite(producedAt) || producedAt <= 0) return;
    this.metrics.handledLag.observe({ topic }, Math.max(0, Date.now() - producedAt) / 1000);
  }
}
