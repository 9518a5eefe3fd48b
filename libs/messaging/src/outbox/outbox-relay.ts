import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Message } from 'kafkajs';
import type { PoolClient, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import { KafkaConnection } from '../kafka/kafka-connection';
import { awaitShutdownStep } from '../shutdown-step';
import { MESSAGE_METRICS, MessageMetricsHooks } from '../metrics/message-metrics';

const BATCH_SIZE = 500;
/** The safety net: rows left by a crash between commit and publish, or by a failed send. */
const POLL_INTERVAL_MS = 1_000;
/** Only one relay of a service publishes at a time, so messages leave in the order they were written. */
const RELAY_LOCK_ID = 7_340_271;

interface OutboxRow {
  id: string;
  topic: string;
  message_key: string;
  payload: string;
  headers: Record<string, string>;
}

/**
 * Publishes committed outbox rows with the idempotent producer and marks them published.
 * Right after a commit, on the committing connection (`publishAfter`), or woken, and on a timer
 * (nothing is left behind). A crash between send and mark publishes a row twice; consumers' inboxes
 * make that harmless.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private wokenWhileRunning = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly kafka: KafkaConnection,
    @Optional() @Inject(MESSAGE_METRICS) private readonly metrics?: MessageMetricsHooks,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    this.timer.unref();
    this.wake();
  }

  /** Asks for a flush; calls made while one runs coalesce into one more pass. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wokenWhileRunning = true;
      return;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
  }

  /**
   * A pass on the connection whose commit of outbox rows is in flight (`committed`): the claim is
   * queued on it behind the commit, so pg sends it the moment the commit is answered, and the rows
   * leave without a wake-up, a connection from the pool or a gap between commit and claim (at idle,
   * a few ms on every hop of the saga). Only when no pass is running, as passes run one at a time;
   * false otherwise, and the caller wakes the relay. The claim is the usual one, under the same lock,
   * so rows still leave in the order they were written.
   *
   * If the commit succeeds, the connection is the relay's from then on (it releases it after the
   * pass). If the commit fails, nothing is sent, and the connection stays the caller's: its ROLLBACK,
   * queued behind the claim, also rolls back a claim that ran after a failed COMMIT.
   */
  publishAfter(committed: Promise<unknown>, connection: { client: PoolClient; release(): Promise<void> }): boolean {
    if (this.stopped || this.running) return false;
    const claim = claimOn(connection.client);
    this.wokenWhileRunning = false;
    this.running = this.passAfter(committed, claim, connection).finally(() => (this.running = undefined));
    return true;
  }

  /** Publishes everything committed so far; used at shutdown and by tests. */
  async flush(): Promise<void> {
    // A pass of its own, so that no other starts beside it (wake and publishAfter see it running).
    while (this.running) await this.running;
    this.wake();
    await this.running;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    const flush = this.flush().catch((error: unknown) =>
      this.logger.error(`final outbox flush failed: ${String(error)}`),
    );
    // Bounded: a broker that is electing leaders makes every send retry for seconds. What is not
    // published stays in the outbox for the next relay of this service: nothing is lost by stopping.
    await awaitShutdownStep(flush, {
      settings: this.kafka.settings,
      share: 'later-step',
      logger: this.logger,
      overrun: 'the final outbox flush did not finish',
      then: 'the rest stays in the outbox',
    });
    this.stopped = true;
  }

  private async passAfter(
    committed: Promise<unknown>,
    claim: Claim,
    connection: { client: PoolClient; release(): Promise<void> },
  ): Promise<void> {
    const [commit] = await Promise.allSettled([committed, claim]);
    if (commit.status === 'rejected') return;
    await this.drain(this.publishClaimed(connection.client, claim, () => connection.release()));
  }

  /** Passes until nothing is left; `firstPass` is one already under way (`publishAfter`'s). */
  private async drain(firstPass?: Promise<number>): Promise<void> {
    try {
      if (firstPass && (await firstPass) < BATCH_SIZE && !this.wokenWhileRunning) return;
      do {
        this.wokenWhileRunning = false;
        while ((await this.publishBatch()) === BATCH_SIZE);
      } while (this.wokenWhileRunning);
    } catch (error) {
      this.logger.warn(`outbox publish failed, retrying on the next pass: ${String(error)}`);
    }
  }

  /**
   * One transaction of two round trips: BEGIN with the claim of a batch in write order (one simple
   * query: the claim's only values are constants); send it; COMMIT.
   */
  private async publishBatch(): Promise<number> {
    // Through TypeORM's runner: it listens for the connection's errors while the relay holds it (a
    // database that goes away meanwhile), which a bare pool client leaves unhandled, crashing the app.
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    return this.publishClaimed(client, claimOn(client), () => runner.release());
  }

  /**
   * Sends what `claim` took, in write order, commits the claim (marks them published) and releases the
   * connection. A failed claim or send rolls the claim back, so nothing is marked that was not sent.
   * Returns how many were sent.
   */
  private async publishClaimed(client: PoolClient, claim: Claim, release: () => Promise<void>): Promise<number> {
    try {
      const [, { rows: claimed }] = await claim;
      // Another instance is publishing: no row is claimed, and it or the next timer pass takes them.
      if (claimed.length > 0) {
        const batches = groupByTopic(claimed.sort(byId));
        await this.kafka.sendBatch(batches);
        for (const { topic, messages } of batches) this.metrics?.produced(topic, messages.length);
      }
      await client.query('COMMIT');
      return claimed.length;
    } catch (error) {
      // A connection that cannot even roll back is broken: the pool drops it rather than reuse it.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await release();
    }
  }
}

/** A claim in flight: the result of `BEGIN` and that of the claim, the claimed rows. */
type Claim = Promise<[QueryResult, QueryResult<OutboxRow>]>;

/** Queues the claim on `client`, behind whatever it is already running. */
function claimOn(client: PoolClient): Claim {
  return client.query(BEGIN_AND_CLAIM_BATCH) as unknown as Claim;
}

/**
 * Opens the transaction, takes the relay lock and, only if it got it, marks the oldest unpublished rows
 * published and returns them. The lock is tried once, before the rows are read (a volatile CTE is not
 * inlined, and its value gates the read). The statement's snapshot may predate the lock: a row the
 * lock's previous holder published meanwhile is re-checked by the UPDATE against its committed version
 * and skipped.
 */
const BEGIN_AND_CLAIM_BATCH = `
  BEGIN;
  WITH relay AS (SELECT pg_try_advisory_xact_lock(${RELAY_LOCK_ID}) AS locked)
  UPDATE outbox_message SET published_at = now()
  WHERE published_at IS NULL
    AND id IN (
      SELECT id FROM outbox_message
      WHERE published_at IS NULL AND (SELECT locked FROM relay)
      ORDER BY id LIMIT ${BATCH_SIZE})
  RETURNING id, topic, message_key, payload, headers`;

/** RETURNING promises no order; ids are bigints as strings. */
function byId(a: OutboxRow, b: OutboxRow): number {
  return a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function groupByTopic(rows: OutboxRow[]): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const row of rows) {
    const messages = byTopic.get(row.topic) ?? [];
    messages.push({ key: row.message_key, value: row.payload, headers: row.headers });
    byTopic.set(row.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
