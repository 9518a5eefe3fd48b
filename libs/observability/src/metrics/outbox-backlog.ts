import { Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface OutboxBacklogReading {
  /** Committed messages the relay has not published yet. */
  unpublished: number;
  /** Age of the oldest of them, in seconds (0 when there is none). */
  oldestAgeSeconds: number;
}

const CACHE_MS = 1_000;

/**
 * Reads the outbox table directly through the app's DataSource: a growing backlog means the relay
 * cannot reach Kafka (or is stuck), which both the readiness probe and an alert should know.
 * `null` for apps without an outbox (the gateway).
 */
@Injectable()
export class OutboxBacklog {
  private cached?: { at: number; reading: Promise<OutboxBacklogReading | null> };

  constructor(@Optional() private readonly dataSource?: DataSource) {}

  read(): Promise<OutboxBacklogReading | null> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > CACHE_MS) {
      this.cached = { at: now, reading: this.query() };
    }
    return this.cached.reading;
  }

  private async query(): Promise<OutboxBacklogReading | null> {
    if (!this.dataSource?.isInitialized || !this.hasOutbox()) return null;
    const [row] = await this.dataSource.query<{ unpublished: number; oldest: number | string | null }[]>(
      `SELECT count(*)::int AS unpublished, EXTRACT(EPOCH FROM now() - min(created_at)) AS oldest
       FROM outbox_message WHERE published_at IS NULL`,
    );
    return { unpublished: Number(row.unpublished), oldestAgeSeconds: Math.max(0, Number(row.oldest ?? 0)) };
  }

  private hasOutbox(): boolean {
    return this.dataSource!.entityMetadatas.some((metadata) => metadata.tableName === 'outbox_message');
  }
}
