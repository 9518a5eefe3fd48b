import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { openDataSource } from './data-source';
import { DatabaseSettings } from './database-settings';
import { dropDatabase, ensureDatabase } from './postgres-admin';
import { Counter, counterEntities, counterMigrations } from './testing/counter.fixture';
import { TEST_SERVER_URL } from './testing/test-database';

const serverUrl = TEST_SERVER_URL;

async function databaseExists(name: string): Promise<boolean> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return ((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}

describe('a service database on PostgreSQL', () => {
  const database = `orderflow_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const settings: DatabaseSettings = { kind: 'postgres', url: serverUrl, database, poolSize: 10 };
  const opened: DataSource[] = [];

  afterAll(async () => {
    await Promise.all(opened.filter((source) => source.isInitialized).map((source) => source.destroy()));
    await dropDatabase(serverUrl, database);
    expect(await databaseExists(database)).toBe(false);
  });

  it('creates the database once when several instances ensure it at the same moment', async () => {
    const created = await Promise.all(Array.from({ length: 4 }, () => ensureDatabase(serverUrl, database)));
    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await databaseExists(database)).toBe(true);
  });

  it('runs each migration once when instances start together, with snake_case columns', async () => {
    opened.push(
      ...(await Promise.all([1, 2, 3].map(() => openDataSource(settings, counterEntities, counterMigrations)))),
    );
    const [dataSource] = opened;
    expect(await dataSource.query('SELECT name FROM migrations')).toEqual([{ name: 'CreateCounter1764160000000' }]);
    const columns: { column_name: string }[] = await dataSource.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'counter' ORDER BY column_name`,
    );
    expect(columns.map((column) => column.column_name)).toEqual(['current_value', 'id']);
    expect((await dataSource.query('SELECT current_database() AS name'))[0].name).toBe(database);
  });

  it('keeps every increment of 20 concurrent SELECT ... FOR UPDATE transactions on a pool of 10', async () => {
    const [dataSource] = opened;
    await dataSource.getRepository(Counter).insert({ id: 'pg', currentValue: 0 });
    await Promise.all(
      Array.from({ length: 20 }, () =>
        dataSource.transaction(async (manager) => {
          const counter = await manager.findOneOrFail(Counter, {
            where: { id: 'pg' },
            lock: { mode: 'pessimistic_write' },
          });
          await manager.update(Counter, { id: 'pg' }, { currentValue: counter.currentValue + 1 });
        }),
      ),
    );
    expect(await dataSource.getRepository(Counter).findOneByOrFail({ id: 'pg' })).toEqual({
      id: 'pg',
      currentValue: 20,
    });
  });

  it('leaves nothing behind when a transaction rolls back', async () => {
    const [dataSource] = opened;
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.insert(Counter, { id: 'rolled-back', currentValue: 1 });
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');
    expect(await dataSource.getRepository(Counter).countBy({ id: 'rolled-back' })).toBe(0);
  });
});
