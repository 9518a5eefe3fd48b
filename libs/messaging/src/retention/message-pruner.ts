import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MESSAGE_METRICS, MessageMetricsHooks, MessageTable } from '../metrics/message-metrics';
import { RETENTION_SETTINGS, RetentionSettings } from './retention-settings';

/** A pass stops after this many batches per table and goes on at the next interval. */
const MAX_BATCHES_PER_PASS = 100;

/**
 * The rows of one table older than a cut-off, a batch at a time. Each DELETE is a statement of its
 * own (no transaction around the pass) and skips rows another transaction holds, so it never waits
 * for a handler and a handler waits at most for one batch.
 */
const pruneStatements: Record<MessageTable, string> = {
  outbox: `DELETE FROM outbox_message WHERE id IN (
      SELECT id FROM outbox_message
      WHERE published_at < now() - $1::bigint * interval '1 millisecond'
      LIMIT $2 FOR UPDATE SKIP LOCKED)`,
  inbox: `DELETE FROM inbox_message WHERE (consumer, message_id) IN (
      SELECT consumer, message_id FROM inbox_message
      WHERE handled_at < now() - $1::bigint * interval '1 millisecond'
      LIMIT $2 FOR UPDATE SKIP LOCKED)`,
};

export type PrunedRows = Record<MessageTable, number>;

/**
 * Keeps the outbox and the inbox bounded: published outbox rows after a short grace period, inbox
 * records once no redelivery of their message is possible (InboxRetentionCheck proved at start-up
 * that the configured retention outlasts every consumed topic's). Runs in the background on every
 * instance; instances pruning at once skip each other's rows.
 */
@Injectable()
export class MessagePruner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MessagePruner.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<PrunedRows>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
    @Optional() @Inject(MESSAGE_METRICS) private readonly metrics?: MessageMetricsHooks,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running)
        void this.prune().catch((error: unknown) => this.logger.warn(`prune pass failed: ${String(error)}`));
    }, this.settings.pruneIntervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over both tables; the rows it deleted. Passes asked for while one runs share it. */
  prune(): Promise<PrunedRows> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<PrunedRows> {
    const pruned: PrunedRows = {
      outbox: await this.pruneTable('outbox', this.settings.outboxRetentionMs),
      inbox: this.settings.inboxRetentionMs === 0 ? 0 : await this.pruneTable('inbox', this.settings.inboxRetentionMs),
    };
    if (pruned.outbox + pruned.inbox > 0) {
      this.logger.debug(`pruned ${pruned.outbox} outbox and ${pruned.inbox} inbox rows`);
    }
    return pruned;
  }

  private async pruneTable(table: MessageTable, olderThanMs: number): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
      const [, deleted] = (await this.dataSource.query(pruneStatements[table], [
        olderThanMs,
        this.settings.pruneBatchSize,
      ])) as [unknown, number];
      total += deleted;
      this.metrics?.pruned(table, deleted);
      if (deleted < this.settings.pruneBatchSize) break;
      // Between batches the pool's connections go to the handlers first.
      await new Promise((resume) => setImmediate(resume));
    }
    return total;
  }
}
