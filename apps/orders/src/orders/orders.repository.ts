import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ListOrdersRequest, Page } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { OrderLifecycle } from './order-lifecycle';
import { OrderLineEntity } from './order-line.entity';
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
    return manager.findOne(OrderEntity, { where: { customerId, idempotencyKey } });
  }

  /** The key no longer stands for this order (its window is over): it may place another. */
  async releaseIdempotencyKey(manager: EntityManager, id: string): Promise<void> {
    await manager.update(OrderEntity, { id }, { idempotencyKey: null, idempotencyFingerprint: null });
  }

  /** Locks the order row until the transaction ends: reactions to one order run one at a time. */
  lockForUpdate(manager: EntityManager, id: string): Promise<OrderEntity | null> {
    return manager.findOne(OrderEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, lifecycle: OrderLifecycle): Promise<void> {
    const { lines, history, ...order } = lifecycle.order;
    await manager.insert(OrderEntity, order);
    await manager.insert(OrderLineEntity, lines);
    await manager.insert(OrderStatusChangeEntity, history);
  }

  async saveChanges(manager: EntityManager, lifecycle: OrderLifecycle): Promise<void> {
    const { id, status, cancelReason, totalCents, refundedCents, awaitingRelease, awaitingRefund, version } =
      lifecycle.order;
    await manager.update(
      OrderEntity,
      { id },
      { status, cancelReason, totalCents, refundedCents, awaitingRelease, awaitingRefund, version },
    );
    if (lifecycle.newHistory.length > 0) await manager.insert(OrderStatusChangeEntity, lifecycle.newHistory);
    for (const item of lifecycle.pricedItems ?? []) {
      await manager.update(OrderLineEntity, { orderId: id, sku: item.sku }, { unitPriceCents: item.unitPriceCents });
    }
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
