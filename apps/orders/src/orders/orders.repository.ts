import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { CancelReason, ListOrdersRequest, OrderStatus, Page } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { OrderLifecycle } from './order-lifecycle';
import { OrderStatusChangeEntity } from './order-status-change.entity';
import { OrderEntity } from './order.entity';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class OrdersRepository {
  constructor(@InjectRepository(OrderEntity) private readonly orders: Repository<OrderEntity>) {}

  findByIdempotencyKey(
    manager: EntityManager,
    customerId: string,
    idempotencyKey: string,
  ): Promise<OrderEntity | null> {
    return selectOrder(manager, 'WHERE customer_id = $1 AND idempotency_key = $2', [customerId, idempotencyKey]);
  }

  /** The key no longer stands for this order (its window is over): it may place another. */
  async releaseIdempotencyKey(manager: EntityManager, id: string): Promise<void> {
    await manager.update(OrderEntity, { id }, { idempotencyKey: null, idempotencyFingerprint: null });
  }

  /** Locks the order row until the transaction ends: reactions to one order run one at a time. */
  lockForUpdate(manager: EntityManager, id: string): Promise<OrderEntity | null> {
    return selectOrder(manager, 'WHERE id = $1 FOR UPDATE', [id]);
  }

  /** The order, its lines and its first status in one statement. */
  async insert(manager: EntityManager, lifecycle: OrderLifecycle): Promise<void> {
    const { order } = lifecycle;
    const { lines } = order;
    await manager.query(
      `WITH new_order AS (
         INSERT INTO customer_order (id, customer_id, status, cancel_reason, total_cents, refunded_cents,
           awaiting_release, awaiting_refund, version, correlation_id, idempotency_key, idempotency_fingerprint,
           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       ), new_lines AS (
         INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price_cents)
         SELECT $1, line_no, sku, quantity, unit_price_cents
         FROM unnest($15::integer[], $16::text[], $17::integer[], $18::bigint[])
           AS line (line_no, sku, quantity, unit_price_cents)
       )
       ${insertHistory(19)}`,
      [
        order.id,
        order.customerId,
        ...sagaStateColumns(order),
        order.correlationId,
        order.idempotencyKey,
        order.idempotencyFingerprint,
        order.createdAt,
        order.updatedAt,
        lines.map((line) => line.lineNo),
        lines.map((line) => line.sku),
        lines.map((line) => line.quantity),
        lines.map((line) => line.unitPriceCents),
        ...historyColumns(lifecycle.newHistory),
      ],
    );
  }

  /** What a reaction changed (the order, its new statuses, the prices of its lines) in one statement. */
  async saveChanges(manager: EntityManager, lifecycle: OrderLifecycle): Promise<void> {
    const { order } = lifecycle;
    const prices = lifecycle.pricedItems ?? [];
    await manager.query(
      `WITH changed_order AS (
         UPDATE customer_order SET status = $2, cancel_reason = $3, total_cents = $4, refunded_cents = $5,
           awaiting_release = $6, awaiting_refund = $7, version = $8, updated_at = now()
         WHERE id = $1
       ), new_history AS (
         ${insertHistory(9)}
       )
       UPDATE order_line SET unit_price_cents = price.unit_price_cents
       FROM unnest($12::text[], $13::bigint[]) AS price (sku, unit_price_cents)
       WHERE order_line.order_id = $1 AND order_line.sku = price.sku`,
      [
        order.id,
        ...sagaStateColumns(order),
        ...historyColumns(lifecycle.newHistory),
        prices.map((item) => item.sku),
        prices.map((item) => item.unitPriceCents),
      ],
    );
  }

  findWithDetails(id: string): Promise<OrderEntity | null> {
    return this.orders.findOne({
      where: { id },
      relations: { lines: true, history: true },
      order: { lines: { lineNo: 'ASC' }, history: { id: 'ASC' } },
    });
  }

  /** Newest first; the cursor is the (createdAt, id) of the last order of the previous page. */
  async page(request: ListOrdersRequest): Promise<Page<OrderEntity>> {
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const query = this.orders
      .createQueryBuilder('o')
      .orderBy('o.created_at', 'DESC')
      .addOrderBy('o.id', 'DESC')
      .take(limit + 1);
    if (request.customerId) query.andWhere('o.customer_id = :customerId', { customerId: request.customerId });
    if (request.status) query.andWhere('o.status = :status', { status: request.status });
    const after = request.cursor ? decodeCursor(request.cursor) : null;
    if (after) {
      query.andWhere(
        new Brackets((where) =>
          where.where('o.created_at < :createdAt', after).orWhere('(o.created_at = :createdAt AND o.id < :id)', after),
        ),
      );
    }
    const found = await query.getMany();
    const ids = found.slice(0, limit).map((order) => order.id);
    const items = ids.length === 0 ? [] : await this.withDetails(ids);
    const last = items.at(-1);
    return { items, nextCursor: found.length > limit && last ? encodeCursor(last) : null };
  }

  private async withDetails(ids: string[]): Promise<OrderEntity[]> {
    const orders = await this.orders.find({
      where: ids.map((id) => ({ id })),
      relations: { lines: true, history: true },
      order: { createdAt: 'DESC', id: 'DESC', lines: { lineNo: 'ASC' }, history: { id: 'ASC' } },
    });
    return orders;
  }
}

/**
 * The hot paths (create, every saga reaction) read and write the order in plain SQL: TypeORM's query
 * building was a tenth of the orders app's CPU (issue 21), and each write was a round trip of its own.
 */
const ORDER_COLUMNS = `id, customer_id, status, cancel_reason, total_cents, refunded_cents, awaiting_release,
  awaiting_refund, correlation_id, idempotency_key, idempotency_fingerprint, version, created_at, updated_at`;

interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  cancel_reason: CancelReason | null;
  total_cents: string | null;
  refunded_cents: string;
  awaiting_release: boolean;
  awaiting_refund: boolean;
  correlation_id: string;
  idempotency_key: string | null;
  idempotency_fingerprint: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function toOrder(row: OrderRow): OrderEntity {
  return Object.assign(new OrderEntity(), {
    id: row.id,
    customerId: row.customer_id,
    status: row.status,
    cancelReason: row.cancel_reason,
    totalCents: row.total_cents === null ? null : Number(row.total_cents),
    refundedCents: Number(row.refunded_cents),
    awaitingRelease: row.awaiting_release,
    awaitingRefund: row.awaiting_refund,
    correlationId: row.correlation_id,
    idempotencyKey: row.idempotency_key,
    idempotencyFingerprint: row.idempotency_fingerprint,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

/** The order `where` (a WHERE clause, and any lock) finds, or null. */
async function selectOrder(manager: EntityManager, where: string, parameters: unknown[]): Promise<OrderEntity | null> {
  const rows: OrderRow[] = await manager.query(`SELECT ${ORDER_COLUMNS} FROM customer_order ${where}`, parameters);
  return rows.length === 0 ? null : toOrder(rows[0]);
}

/**
 * What the saga changes on an order, in the column order both writes list it: status, cancel_reason,
 * total_cents, refunded_cents, awaiting_release, awaiting_refund, version.
 */
function sagaStateColumns(order: OrderEntity): unknown[] {
  const { status, cancelReason, totalCents, refundedCents, awaitingRelease, awaitingRefund, version } = order;
  return [status, cancelReason, totalCents, refundedCents, awaitingRelease, awaitingRefund, version];
}

/**
 * Inserts the statuses of order $1 given by `historyColumns` from parameter `first` on, in their order
 * (the ids the history is read back by follow it).
 */
function insertHistory(first: number): string {
  return `INSERT INTO order_status_change (order_id, status, reason, at)
    SELECT $1, status, reason, at
    FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::timestamptz[]) WITH ORDINALITY
      AS change (status, reason, at, position)
    ORDER BY position`;
}

function historyColumns(history: OrderStatusChangeEntity[]): [OrderStatus[], (CancelReason | null)[], Date[]] {
  return [
    history.map((change) => change.status),
    history.map((change) => change.reason),
    history.map((change) => change.at),
  ];
}

function encodeCursor(order: OrderEntity): string {
  return Buffer.from(JSON.stringify([order.createdAt.toISOString(), order.id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    const date = new Date(createdAt);
    if (Number.isNaN(date.getTime()) || typeof id !== 'string') throw new Error('bad cursor');
    return { createdAt: date, id };
  } catch {
    throw new RequestRejectedError('INVALID', 'cursor is not one this API returned');
  }
}
