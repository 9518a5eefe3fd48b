import { databaseUrl } from './postgres-admin';

describe('databaseUrl', () => {
  it('points the server URL at the given database, keeping credentials and parameters', () => {
    expect(databaseUrl('postgres://app:s3cret@db:5432/postgres?sslmode=require', 'orderflow_orders')).toBe(
      'postgres://app:s3cret@db:5432/orderflow_orders?sslmode=require',
    );
  });

  it('uses the postgres maintenance database when the URL names none', () => {
    expect(databaseUrl('postgres://db:5432')).toBe('postgres://db:5432/postgres');
    expect(databaseUrl('postgres://db:5432/admin')).toBe('postgres://db:5432/admin');
  });
});
