import { OrderSearchSort, SearchOrdersRequest } from '@orderflow/contracts';

/** A WHERE clause with its positional parameters. */
export interface SqlCondition {
  sql: string;
  parameters: unknown[];
}

interface SortSpec {
  key: string;
  direction: 'ASC' | 'DESC';
  kind: 'time' | 'number';
}

export const sortSpecs: Record<OrderSearchSort, SortSpec> = {
  newest: { key: 'o.created_at', direction: 'DESC', kind: 'time' },
  oldest: { key: 'o.created_at', direction: 'ASC', kind: 'time' },
  'total-desc': { key: 'coalesce(o.total_cents, -1)', direction: 'DESC', kind: 'number' },
  'total-asc': { key: 'coalesce(o.total_cents, -1)', direction: 'ASC', kind: 'number' },
};

export interface SearchCursor {
  sort: OrderSearchSort;
  value: string;
  orderId: string;
}

const MAX_TERMS = 8;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The filters of a search, as SQL over `order_projection o`. `q` is split into words; each word must
 * match (AND) by full text (English stems of product names; skus and customer id as whole words), by
 * substring of a sku or product name (trigram index), or as the order id.
 */
export function searchConditions(request: SearchOrdersRequest, options: { withStatus: boolean }): SqlCondition {
  const clauses: string[] = [];
  const parameters: unknown[] = [];
  const parameter = (value: unknown): string => {
    parameters.push(value);
    return `$${parameters.length}`;
  };
  for (const term of searchTerms(request.q)) {
    const word = parameter(term);
    const alternatives = [
      `o.search_document @@ plainto_tsquery('english', ${word})`,
      `o.search_document @@ plainto_tsquery('simple', ${word})`,
      `o.search_text LIKE ${parameter(`%${escapeLike(term.toLowerCase())}%`)}`,
    ];
    if (UUID.test(term)) alternatives.push(`o.order_id = ${parameter(term.toLowerCase())}::uuid`);
    clauses.push(`(${alternatives.join(' OR ')})`);
  }
  if (options.withStatus && request.status) clauses.push(`o.status = ${parameter(request.status)}`);
  if (request.customerId) clauses.push(`o.customer_id = ${parameter(request.customerId)}`);
  if (request.minTotal !== undefined) clauses.push(`o.total_cents >= ${parameter(request.minTotal)}`);
  if (request.maxTotal !== undefined) clauses.push(`o.total_cents <= ${parameter(request.maxTotal)}`);
  if (request.from) clauses.push(`o.created_at >= ${parameter(request.from)}::timestamptz`);
  if (request.to) clauses.push(`o.created_at < ${parameter(request.to)}::timestamptz`);
  return { sql: clauses.length > 0 ? clauses.join(' AND ') : 'TRUE', parameters };
}

/** Keyset paging: the rows strictly after the cursor in the sort's order, ties broken by order id. */
export function afterCursor(cursor: SearchCursor, firstParameter: number): SqlCondition {
  const spec = sortSpecs[cursor.sort];
  const operator = spec.direction === 'DESC' ? '<' : '>';
  const cast = spec.kind === 'time' ? 'timestamptz' : 'bigint';
  return {
    sql: `(${spec.key}, o.order_id) ${operator} ($${firstParameter}::${cast}, $${firstParameter + 1}::uuid)`,
    parameters: [cursor.value, cursor.orderId],
  };
}

export function orderBy(sort: OrderSearchSort): string {
  const spec = sortSpecs[sort];
  return `${spec.key} ${spec.direction}, o.order_id ${spec.direction}`;
}

export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.trim().split(/\s+/).filter(Boolean))].slice(0, MAX_TERMS);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

export function encodeSearchCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.orderId])).toString('base64url');
}

/** Null when the cursor is not one this API returned for the same sort. */
export function decodeSearchCursor(text: string, sort: OrderSearchSort): SearchCursor | null {
  try {
    const [cursorSort, value, orderId] = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown[];
    if (cursorSort !== sort || typeof value !== 'string' || typeof orderId !== 'string' || !UUID.test(orderId)) {
      return null;
    }
    const valid =
      sortSpecs[sort].kind === 'time' ? !Number.isNaN(new Date(value).getTime()) : /^-?\d{1,18}$/.test(value);
    return valid ? { sort, value, orderId } : null;
  } catch {
    return null;
  }
}
