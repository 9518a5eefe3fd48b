import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { OrderSearchSort, OrderStatus, SearchOrdersRequest } from '@orderflow/contracts';
import { DataSource } from 'typeorm';
import { ProjectedLine } from './order-projection.entity';
import { afterCursor, orderBy, SearchCursor, searchConditions, sortSpecs } from './order-search-query';

export interface OrderRow {
  order_id: string;
  customer_id: string | null;
  status: OrderStatus;
  cancel_reason: string | null;
  total_cents: string | null;
  lines: ProjectedLine[];
  created_at: Date;
  updated_at: Date;
  sort_value: string;
}

@Injectable()
export class OrderSearchRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `limit + 1` rows, to know whether another page follows. */
  async page(
    request: SearchOrdersRequest,
    sort: OrderSearchSort,
    after: SearchCursor | null,
    limit: number,
  ): Promise<OrderRow[]> {
    const filters = searchConditions(request, { withStatus: true });
    const parameters = [...filters.parameters];
    let where = filters.sql;
    if (after) {
      const keyset = afterCursor(after, parameters.length + 1);
      where += ` AND ${keyset.sql}`;
      parameters.push(...keyset.parameters);
    }
    const spec = sortSpecs[sort];
    const sortValue = spec.kind === 'time' ? `to_json(${spec.key})#>>'{}'` : `(${spec.key})::text`;
    parameters.push(limit + 1);
    return this.dataSource.query(
      `SELECT o.order_id, o.customer_id, o.status, o.cancel_reason, o.total_cents, o.lines, o.created_at,
              o.updated_at, ${sortValue} AS sort_value
       FROM order_projection o WHERE ${where} ORDER BY ${orderBy(sort)} LIMIT $${parameters.length}`,
      parameters,
    );
  }

  /** Orders per status for every filter but `status`. */
  async statusCounts(request: SearchOrdersRequest): Promise<Map<OrderStatus, number>> {
    const filters = searchConditions(request, { withStatus: false });
    const rows: { status: OrderStatus; count: string }[] = await this.dataSource.query(
      `SELECT o.status, count(*) AS count FROM order_projection o WHERE ${filters.sql} GROUP BY o.status`,
      filters.parameters,
    );
    return new Map(rows.map((row) => [row.status, Number(row.count)]));
  }

  async productNames(skus: string[]): Promise<Map<string, string>> {
    if (skus.length === 0) return new Map();
    const rows: { sku: string; name: string }[] = await this.dataSource.query(
      `SELECT sku, name FROM product_name WHERE sku = ANY($1::text[])`,
      [skus],
    );
    return new Map(rows.map((row) => [row.sku, row.name]));
  }
}
