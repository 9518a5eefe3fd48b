import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConsumerLag } from './consumer-lag';
import { MessageTableSize, MessageTableSizes } from './message-table-sizes';
import { OrderflowMetrics } from './orderflow-metrics';
import { OutboxBacklog, OutboxBacklogReading } from './outbox-backlog';

/** Gauges computed when Prometheus scrapes: read from the database and the broker, never kept in memory. */
@Injectable()
export class ScrapedGauges implements OnModuleInit {
  private readonly logger = new Logger(ScrapedGauges.name);

  constructor(
    private readonly metrics: OrderflowMetrics,
    private readonly outbox: OutboxBacklog,
    private readonly lag: ConsumerLag,
    private readonly tableSizes: MessageTableSizes,
  ) {}

  onModuleInit(): void {
    this.outboxGauge(
      'orderflow_outbox_unpublished_messages',
      'Committed outbox messages not yet published to Kafka',
      'unpublished',
    );
    this.outboxGauge(
      'orderflow_outbox_oldest_unpublished_age_seconds',
      'Age of the oldest unpublished outbox message (0 when none)',
      'oldestAgeSeconds',
    );
    this.tableSizeGauge(
      'orderflow_message_table_bytes',
      'Size on disk of the outbox and inbox tables, indexes included (the pruner keeps them bounded)',
      'bytes',
    );
    this.tableSizeGauge(
      'orderflow_message_table_rows_estimated',
      "Rows of the outbox and inbox tables, PostgreSQL's planner estimate",
      'estimatedRows',
    );
    this.metrics.scrapedGauge(
      'orderflow_consumer_lag_messages',
      "Messages behind the end of each partition for this service's consumer group (same on every instance: use max)",
      ['group', 'topic', 'partition'],
      async (gauge) => {
        gauge.reset();
        const reading = await this.lagOrNothing();
        for (const { topic, partition, lag } of reading?.partitions ?? []) {
          gauge.set({ group: reading!.group, topic, partition: String(partition) }, lag);
        }
      },
    );
    this.metrics.scrapedGauge(
      'orderflow_dead_letter_messages',
      'Messages held in <topic>.dlq for each topic this service consumes (read from the broker)',
      ['topic'],
      async (gauge) => {
        gauge.reset();
        const reading = await this.lagOrNothing();
        for (const { topic, messages } of reading?.deadLetters ?? []) gauge.set({ topic }, messages);
      },
    );
  }

  /** One figure of each message table's size; none for an app without them (the gateway). */
  private tableSizeGauge(name: string, help: string, figure: 'bytes' | 'estimatedRows'): void {
    this.metrics.scrapedGauge(name, help, ['table'], async (gauge) => {
      gauge.reset();
      const sizes: MessageTableSize[] = await this.tableSizes.read().catch(() => []);
      for (const size of sizes) gauge.set({ table: size.table }, size[figure]);
    });
  }

  /** One figure of the outbox backlog, reset first so that a failed read leaves no stale value. */
  private outboxGauge(name: string, help: string, figure: keyof OutboxBacklogReading): void {
    this.metrics.scrapedGauge(name, help, [], async (gauge) => {
      gauge.reset();
      const reading = await this.outbox.read().catch(() => null);
      if (reading) gauge.set(reading[figure]);
    });
  }

  private async lagOrNothing() {
    try {
      return await this.lag.read();
    } catch (error) {
      // The broker being away is what the readiness probe reports; the scrape still answers.
      this.logger.debug(`consumer lag unavailable: ${String(error)}`);
      return undefined;
    }
  }
}
