import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CancelReason, OrderStatus } from '@orderflow/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { GroupCommit } from '@orderflow/persistence';
import { ProjectedLine } from './order-projection.entity';

/** What one event says about one order; every field optional, merged into what is already known. */
export interface OrderFacts {
  orderId: string;
  occurredAt: string;
  customerId?: string;
  /** A status with the aggregate version that produced it (order events only). */
  status?: { status: OrderStatus; version: number };
  cancelReason?: CancelReason;
  totalCents?: number;
  lines?: ProjectedLine[];
}

export interface ProductFacts {
  sku: string;
  name: string;
  priceCents: number;
  occurredAt: string;
}

/**
 * The projection's only writer. Every event becomes one merge whose result does not depend on the
 * order in which events arrive, nor on how often: customer and cancel reason are set once, status
 * follows the highest aggregate version, priced lines win over unpriced ones, created/updated are the
 * earliest/latest event times. Hence idempotent, tolerant of reordering, and a replay gives the same rows.
 */
@Injectable()
export class OrderProjectionRepository {
  /** Under load, the merges of many handlers share one transaction (see GroupCommit). */
  private readonly orderMerges = new GroupCommit<OrderFacts>((batch) => this.mergeOrders(batch));

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Resolves once the facts are committed, together with whatever other merges were waiting. */
  mergeOrder(facts: OrderFacts): Promise<void> {
    return this.orderMerges.submit(facts);
  }

  /**
   * Merges a batch in one transaction of a few statements, whatever its size: the sku locks of every
   * line (shared), then one multi-row upsert per round (an order's second fact of the batch goes in
   * the second round: one statement may touch a row once), then the product names of the orders that
   * got lines. Facts without lines in a single round are that one statement alone.
   */
  async mergeOrders(batch: OrderFacts[]): Promise<void> {
    const rounds = roundsOf(batch);
    const withLines = batch.filter((facts) => facts.lines);
    if (withLines.length === 0 && rounds.length === 1) {
      await upsertOrders(this.dataSource.manager, rounds[0]);
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      const skus = withLines.flatMap((facts) => facts.lines!.map((line) => line.sku));
      if (skus.length > 0) await lockSkus(manager, skus, 'shared');
      for (const round of rounds) await upsertOrders(manager, round);
      if (withLines.length > 0) {
        const orderIds = [...new Set(withLines.map((facts) => facts.orderId))];
        await refreshProductNames(manager, 'o.order_id = ANY($1::uuid[])', [orderIds]);
      }
    });
  }

  /** A sku is registered once; the orders already holding it get its name now. */
  mergeProduct(facts: ProductFacts): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      // One registration at a time: two products of one order registered together would each refresh
      // its names from a snapshot without the other, and the later write would drop the earlier name
      // (a replay registers every product at once). Registrations are rare; orders never take this lock.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('search-product-registrations'))`);
      await lockSkus(manager, [facts.sku], 'exclusive');
      await manager.query(
        `INSERT INTO product_name (sku, name, price_cents, registered_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (sku) DO NOTHING`,
        [facts.sku, facts.name, facts.priceCents, facts.occurredAt],
      );
      await refreshProductNames(manager, 'o.skus @> ARRAY[$1::text]', [facts.sku]);
    });
  }

  /** Empties the projection (rebuild). */
  async clear(): Promise<void> {
    await this.dataSource.query(`TRUNCATE order_projection, product_name`);
  }
}

/** The batch in rounds holding at most one fact per order, in the order they came. */
function roundsOf(batch: OrderFacts[]): OrderFacts[][] {
  const rounds: OrderFacts[][] = [];
  const seen = new Map<string, number>();
  for (const facts of batch) {
    const round = seen.get(facts.orderId) ?? 0;
    seen.set(facts.orderId, round + 1);
    (rounds[round] ??= []).push(facts);
  }
  return rounds;
}

/**
 * Merges each fact into its order's row (see OrderProjectionRepository for the rules): one statement
 * for the whole round. A fact with lines always has at least one (the contracts require it), so
 * `EXCLUDED.lines <> '[]'` tells a fact with lines from one without.
 */
async function upsertOrders(manager: EntityManager, round: OrderFacts[]): Promise<void> {
  const rows = round.map((facts) => ({
    order_id: facts.orderId,
    customer_id: facts.customerId ?? null,
    status: facts.status?.status ?? null,
    status_version: facts.status?.version ?? null,
    cancel_reason: facts.cancelReason ?? null,
    total_cents: facts.totalCents ?? null,
    lines: facts.lines ?? null,
    skus: facts.lines?.map((line) => line.sku).sort() ?? null,
    occurred_at: facts.occurredAt,
  }));
  await manager.query(
    `INSERT INTO order_projection AS o
           (order_id, customer_id, status, status_version, cancel_reason, total_cents, lines, skus, sku_text,
            created_at, updated_at)
         SELECT f.order_id, f.customer_id, coalesce(f.status, 'PENDING'), coalesce(f.status_version, 0),
                f.cancel_reason, f.total_cents, coalesce(f.lines, '[]'), coalesce(f.skus, '{}'),
                coalesce(array_to_string(f.skus, ' '), ''), f.occurred_at, f.occurred_at
         FROM jsonb_to_recordset($1::jsonb) AS f(order_id uuid, customer_id text, status text,
              status_version integer, cancel_reason text, total_cents bigint, lines jsonb, skus text[],
              occurred_at timestamptz)
         ON CONFLICT (order_id) DO UPDATE SET
           customer_id = coalesce(o.customer_id, EXCLUDED.customer_id),
           status = CASE WHEN EXCLUDED.status_version > o.status_version THEN EXCLUDED.status ELSE o.status END,
           status_version = greatest(o.status_version, EXCLUDED.status_version),
           cancel_reason = coalesce(o.cancel_reason, EXCLUDED.cancel_reason),
           total_cents = coalesce(EXCLUDED.total_cents, o.total_cents),
           lines = CASE
             WHEN EXCLUDED.lines <> '[]'::jsonb AND (o.lines = '[]'::jsonb OR NOT EXISTS (
               SELECT 1 FROM jsonb_array_elements(EXCLUDED.lines) AS line WHERE line->>'unitPriceCents' IS NULL))
             THEN EXCLUDED.lines ELSE o.lines END,
           skus = CASE WHEN cardinality(o.skus) = 0 THEN EXCLUDED.skus ELSE o.skus END,
           sku_text = CASE WHEN cardinality(o.skus) = 0 THEN EXCLUDED.sku_text ELSE o.sku_text END,
           created_at = least(o.created_at, EXCLUDED.created_at),
           updated_at = greatest(o.updated_at, EXCLUDED.updated_at)`,
    [JSON.stringify(rows)],
  );
}

/**
 * An order's lines and a product's name may be written at the same time by two consumers: a lock per
 * sku, taken in sku order, makes the later of the two see the other, so no name is missed. Orders take
 * it shared (two orders of one sku never wait for each other: under load they did, and queued every
 * event behind them), a product registration takes it exclusive.
 */
async function lockSkus(manager: EntityManager, skus: string[], mode: 'shared' | 'exclusive'): Promise<void> {
  const lock = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  await manager.query(`SELECT ${lock}(hashtext('search-sku:' || sku)) FROM unnest($1::text[]) AS sku ORDER BY sku`, [
    [...new Set(skus)].sort(),
  ]);
}

async function refreshProductNames(manager: EntityManager, where: string, parameters: unknown[]): Promise<void> {
  await manager.query(
    `UPDATE order_projection o
     SET product_names = coalesce(
       (SELECT string_agg(p.name, ' ' ORDER BY p.sku) FROM product_name p WHERE p.sku = ANY(o.skus)), '')
     WHERE ${where}`,
    parameters,
  );
}
