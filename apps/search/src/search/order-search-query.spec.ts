import {
  afterCursor,
  decodeSearchCursor,
  encodeSearchCursor,
  orderBy,
  searchConditions,
  searchTerms,
} from './order-search-query';

describe('order search query', () => {
  it('matches no filter as everything', () => {
    expect(searchConditions({}, { withStatus: true })).toEqual({ sql: 'TRUE', parameters: [] });
  });

  it('needs every word to match, by full text or as a substring with LIKE wildcards escaped', () => {
    const { sql, parameters } = searchConditions({ q: ' Blue  50%_off ' }, { withStatus: true });
    expect(sql.match(/\(o\.search_document/g)).toHaveLength(2);
    expect(sql).toContain(' AND ');
    expect(parameters).toEqual(['Blue', '%blue%', '50%_off', '%50\\%\\_off%']);
  });

  it('matches a whole order id exactly', () => {
    const id = '0B7C8D4E-5F60-4A71-8B92-A3B4C5D6E7F8';
    const { sql, parameters } = searchConditions({ q: id }, { withStatus: true });
    expect(sql).toContain('o.order_id = $3::uuid');
    expect(parameters[2]).toBe(id.toLowerCase());
  });

  it('leaves the status out of the per-status counts, and binds every other filter', () => {
    const request = {
      status: 'PAID' as const,
      customerId: 'alice',
      minTotal: 100,
      maxTotal: 200,
      from: '2026-01-01T00:00:00Z',
      to: '2026-02-01T00:00:00Z',
    };
    expect(searchConditions(request, { withStatus: true }).parameters).toEqual([
      'PAID',
      'alice',
      100,
      200,
      request.from,
      request.to,
    ]);
    const counts = searchConditions(request, { withStatus: false });
    expect(counts.sql).not.toContain('o.status');
    expect(counts.parameters).not.toContain('PAID');
  });

  it('pages by keyset in the direction of the sort', () => {
    expect(orderBy('newest')).toBe('o.created_at DESC, o.order_id DESC');
    const cursor = { sort: 'total-asc' as const, value: '1500', orderId: '0b7c8d4e-5f60-4a71-8b92-a3b4c5d6e7f8' };
    expect(afterCursor(cursor, 4)).toEqual({
      sql: '(coalesce(o.total_cents, -1), o.order_id) > ($4::bigint, $5::uuid)',
      parameters: ['1500', cursor.orderId],
    });
  });

  it('accepts its own cursors for the same sort only', () => {
    const cursor = {
      sort: 'newest' as const,
      value: '2026-11-26T12:00:00.000Z',
      orderId: '0b7c8d4e-5f60-4a71-8b92-a3b4c5d6e7f8',
    };
    const text = encodeSearchCursor(cursor);
    expect(decodeSearchCursor(text, 'newest')).toEqual(cursor);
    expect(decodeSearchCursor(text, 'oldest')).toBeNull();
    expect(decodeSearchCursor('garbage', 'newest')).toBeNull();
  });

  it('splits a query into at most eight distinct words', () => {
    expect(searchTerms('a b a c')).toEqual(['a', 'b', 'c']);
    expect(searchTerms('1 2 3 4 5 6 7 8 9')).toHaveLength(8);
    expect(searchTerms(undefined)).toEqual([]);
  });
});
