/**
 * What the messaging lib reports about the messages it writes. An app that wants the figures
 * (libs/observability's Prometheus metrics) provides an implementation under `MESSAGE_METRICS`;
 * without one, nothing is counted.
 */
export interface MessageMetricsHooks {
  /** Messages a producer of ours wrote (outbox relay, dead-letter publisher). */
  produced(topic: string, count: number): void;
  /** One failed attempt of a handler, before any retry. */
  handlerFailed(topic: string, error: unknown): void;
  /** A message moved to `<topic>.dlq`. */
  deadLettered(topic: string, reason: string): void;
  /** Rows a prune pass deleted from the outbox or the inbox. */
  pruned(table: MessageTable, rows: number): void;
}

/** The tables every data-owning service keeps for its messages. */
export type MessageTable = 'outbox' | 'inbox';

export const MESSAGE_METRICS = 'orderflow:message-metrics';
