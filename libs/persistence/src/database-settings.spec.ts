import path from 'node:path';
import { ConfigValidationError } from '@orderflow/config';
import { databaseSettings } from './database-settings';

describe('databaseSettings', () => {
  it('uses the embedded database under DATA_DIR/pglite/<service> when DATABASE_URL is unset', () => {
    expect(databaseSettings({ DATA_DIR: '/var/orderflow' }, 'orders')).toEqual({
      kind: 'embedded',
      directory: path.join('/var/orderflow', 'pglite', 'orders'),
    });
  });

  it('resolves the default DATA_DIR against the working directory', () => {
    expect(databaseSettings({}, 'audit')).toEqual({
      kind: 'embedded',
      directory: path.resolve('.data', 'pglite', 'audit'),
    });
  });

  it('names the database orderflow_<service> with the default pool size when only DATABASE_URL is set', () => {
    expect(databaseSettings({ DATABASE_URL: 'postgres://db:5432/postgres' }, 'inventory')).toEqual({
      kind: 'postgres',
      url: 'postgres://db:5432/postgres',
      database: 'orderflow_inventory',
      poolSize: 10,
    });
  });

  it('takes DATABASE_NAME and DATABASE_POOL_SIZE from the environment', () => {
    const settings = databaseSettings(
      { DATABASE_URL: 'postgresql://db/postgres', DATABASE_NAME: 'orders_eu', DATABASE_POOL_SIZE: '4' },
      'orders',
    );
    expect(settings).toMatchObject({ database: 'orders_eu', poolSize: 4 });
  });

  it('names each bad variable', () => {
    const attempt = () => databaseSettings({ DATABASE_URL: 'mysql://db', DATABASE_POOL_SIZE: '0' }, 'orders');
    expect(attempt).toThrow(ConfigValidationError);
    expect(attempt).toThrow(/DATABASE_URL/);
    expect(attempt).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('refuses a service name that cannot name a database', () => {
    expect(() => databaseSettings({}, 'Order-Service')).toThrow(/lower-case identifier/);
  });
});
