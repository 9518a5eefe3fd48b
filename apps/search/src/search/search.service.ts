import { Injectable } from '@nestjs/common';
import {
  OrderSearchHit,
  OrderSearchResult,
  OrderStatus,
  OrderStatuses,
  SearchOrdersRequest,
} from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { OrderRow, OrderSearchRepository } from './order-search.repository';
import { decodeSearchCursor, encodeSearchCursor } from './order-search-query';

const DEFAULT_PAGE_SIZE = 20;

@Injectable()
export class SearchService {
  constructor(private readonly orders: OrderSearchRepository) {}

  async search(request: SearchOrdersRequest): Promise<OrderSearchResult> {
    if (request.minTotal !== undefined && request.maxTotal !== undefined && request.minTotal > request.maxTotal) {
      throw new RequestRejectedError('INVALID', 'the request is invalid', ['minTotal: must not exceed maxTotal']);
    }
    const sort = request.sort ?? 'newest';
    const limit = request.limit ?? DEFAULT_PAGE_SIZE;
    const after = request.cursor ? decodeSearchCursor(request.cursor, sort) : null;
    if (request.cursor && !after) {
      throw new RequestRejectedError('INVALID', 'cursor is not one this API returned for this sort');
    }
    const [found, counts] = await Promise.all([
      this.orders.page(request, sort, after, limit),
      this.orders.statusCounts(request),
    ]);
    const rows = found.slice(0, limit);
    const names = await this.orders.productNames([...new Set(rows.flatMap((row) => row.lines.map((l) => l.sku)))]);
    const statusCounts = Object.fromEntries(OrderStatuses.map((status) => [status, counts.get(status) ?? 0])) as Record<
      OrderStatus,
      number
    >;
    const last = rows.at(-1);
    return {
      items: rows.map((row) => toHit(row, names)),
      nextCursor:
        found.length > limit && last
          ? encodeSearchCursor({ sort, value: last.sort_value, orderId: last.order_id })
          : null,
      total: request.status
        ? statusCounts[request.status]
        : Object.values(statusCounts).reduce((sum, count) => sum + count, 0),
      statusCounts,
    };
  }
}

function toHit(row: OrderRow, names: Map<string, string>): OrderSearchHit {
  return {
    orderId: row.order_id,
    customerId: row.customer_id,
    status: row.status,
    cancelReason: row.cancel_reason as OrderSearchHit['cancelReason'],
    totalCents: row.total_cents === null ? null : Number(row.total_cents),
    lines: row.lines.map((line) => ({ ...line, name: names.get(line.sku) ?? null })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
