import { FactoryProvider } from '@nestjs/common';
import { MessageMetricsHooks, MessageTable } from '@orderflow/messaging';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const handlerBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Finer around one second, where the read models' freshness target lies. */
const handledLagBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 5, 10, 30, 60];

/**
 * Every metric of one app, in its own registry (tests can build several apps in one process).
 * Names follow Prometheus conventions: `_total` counters, `_seconds` histograms, base units.
 */
export class OrderflowMetrics implements MessageMetricsHooks {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'orderflow_http_requests_total',
    help: 'HTTP requests answered, by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'orderflow_http_request_duration_seconds',
    help: 'Time to answer an HTTP request',
    labelNames: ['method', 'route'] as const,
    buckets: handlerBuckets,
    registers: [this.registry],
  });

  readonly messagesConsumed = new Counter({
    name: 'orderflow_messages_consumed_total',
    help: 'Kafka messages delivered to a handler of this app, by topic and kind (request or message)',
    labelNames: ['topic', 'kind'] as const,
    registers: [this.registry],
  });

  readonly messagesProduced = new Counter({
    name: 'orderflow_messages_produced_total',
    help: 'Kafka messages written by this app, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly handlerDuration = new Histogram({
    name: 'orderflow_message_handler_duration_seconds',
    help: 'Time a Kafka handler call took (one message, or the batch of an InBatches handler), by topic and outcome (ok, rejected, error)',
    labelNames: ['topic', 'outcome'] as const,
    buckets: handlerBuckets,
    registers: [this.registry],
  });

  readonly handledLag = new Histogram({
    name: 'orderflow_message_handled_lag_seconds',
    help: 'Time from a message being produced (its record timestamp) until a handler of this app finished it, by topic: how far behind the log the app works; for a read model, how long until an event is readable',
    labelNames: ['topic'] as const,
    buckets: handledLagBuckets,
    registers: [this.registry],
  });

  readonly handlerFailures = new Counter({
    name: 'orderflow_message_handler_failures_total',
    help: 'Kafka handler runs that threw, by topic and error name',
    labelNames: ['topic', 'error'] as const,
    registers: [this.registry],
  });

  readonly deadLetters = new Counter({
    name: 'orderflow_dead_lettered_messages_total',
    help: 'Messages this app moved to <topic>.dlq, by original topic and reason',
    labelNames: ['topic', 'reason'] as const,
    registers: [this.registry],
  });

  readonly rowsPruned = new Counter({
    name: 'orderflow_message_rows_pruned_total',
    help: 'Outbox and inbox rows the background pruner deleted, by table',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, prefix: 'orderflow_' });
  }

  produced(topic: string, count: number): void {
    this.messagesProduced.inc({ topic }, count);
  }

  handlerFailed(topic: string, error: unknown): void {
    this.handlerFailures.inc({ topic, error: errorName(error) });
  }

  deadLettered(topic: string, reason: string): void {
    this.deadLetters.inc({ topic, reason });
  }

  pruned(table: MessageTable, rows: number): void {
    this.rowsPruned.inc({ table }, rows);
  }

  /** A gauge whose value is read when Prometheus scrapes (outbox backlog, consumer lag). */
  scrapedGauge<Label extends string>(
    name: string,
    help: string,
    labelNames: readonly Label[],
    collect: (gauge: Gauge<Label>) => Promise<void>,
  ): Gauge<Label> {
    return new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }
}

/**
 * A registry per app instance, made when Nest creates the app: a start that failed and is tried again
 * in the same process (runService) must not meet the metrics of the attempt before ("A metric with
 * the name ... has already been registered", for ever).
 */
export function orderflowMetricsProvider(
  service: string,
): Omit<FactoryProvider<OrderflowMetrics>, 'useFactory'> & { useFactory: () => OrderflowMetrics } {
  return { provide: OrderflowMetrics, useFactory: () => new OrderflowMetrics(service) };
}

export function errorName(error: unknown): string {
  if (error instanceof Error) return error.constructor.name || error.name;
  return typeof error;
}
