import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CancelReason, OrderStatus } from '@orderflow/contracts';
import { DataSource, EntityManager } from 'typeorm';
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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Facts without lines (status changes, totals: most events) are one statement, atomic on its own,
   * so one round trip. Lines also take the sku locks and refresh the product names, in a transaction.
   */
  async mergeOrder(facts: OrderFacts): Promise<void> {
    if (!facts.lines) {
      await upsertOrder(this.dataSource.manager, facts, null);
      return;
    }
    const skus = facts.lines.map((line) => line.sku).sort();
    await this.dataSource.transaction(async (manager) => {
      await lockSkus(manager, skus, 'shared');
      await upsertOrder(manager, facts, skus);
      await refreshProductNames(manager, 'o.order_id = $1', [facts.orderId]);
    });
  }

  /** A sku is registered once; the orders already holding it get its name now. */
  mergeProduct(facts: ProductFacts): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
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

/** Merges one event's facts into the order's row (see OrderProjectionRepository for the rules). */
async function upsertOrder(manager: EntityManager, facts: OrderFacts, skus: string[] | null): Promise<void> {
  await manager.query(
    `INSERT INTO order_projection AS o
           (order_id, customer_id, status, status_version, cancel_reason, total_cents, lines, skus, sku_text,
            created_at, updated_at)
         VALUES ($1, $2, coalesce($3, 'PENDING'), coalesce($4::integer, 0), $5, $6, coalesce($7::jsonb, '[]'),
                 coalesce($8::text[], '{}'), coalesce(array_to_string($8::text[], ' '), ''), $9, $9)
         ON CONFLICT (order_id) DO UPDATE SET
           customer_id = coalesce(o.customer_id, EXCLUDED.customer_id),
           status = CASE WHEN EXCLUDED.status_version > o.status_version THEN EXCLUDED.status ELSE o.status END,
           status_version = greatest(o.status_version, EXCLUDED.status_version),
           cancel_reason = coalesce(o.cancel_reason, EXCLUDED.cancel_reason),
           total_cents = coalesce(EXCLUDED.total_cents, o.total_cents),
           lines = CASE WHEN $7::jsonb IS NOT NULL AND (o.lines = '[]'::jsonb OR $10) THEN EXCLUDED.lines ELSE o.lines END,
           skus = CASE WHEN cardinality(o.skus) = 0 THEN EXCLUDED.skus ELSE o.skus END,
           sku_text = CASE WHEN cardinality(o.skus) = 0 THEN EXCLUDED.sku_text ELSE o.sku_text END,
           created_at = least(o.created_at, EXCLUDED.created_at),
           updated_at = greatest(o.updated_at, EXCLUDED.updated_at)`,
    [
      facts.orderId,
      facts.customerId ?? null,
      facts.status?.status ?? null,
      facts.status?.version ?? null,
      facts.cancelReason ?? null,
      facts.totalCents ?? null,
      facts.lines ? JSON.stringify(facts.lines) : null,
      skus,
      facts.occurredAt,
      facts.lines?.every((line) => line.unitPriceCents !== null) ?? false,
    ],
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
