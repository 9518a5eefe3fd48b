import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { openDataSource } from './data-source';
import { DatabaseSettings } from './database-settings';
import { Counter, counterEntities, counterMigrations } from './testing/counter.fixture';

// One initdb (~5 s, in a worker thread) for the whole file; every test works on its own rows.
describe('the embedded database (PGlite)', () => {
  let dataDirectory: string;
  let settings: DatabaseSettings;
  let dataSource: DataSource;

  beforeAll(async () => {
    dataDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'orderflow-pglite-'));
    settings = { kind: 'embedded', directory: path.join(dataDirectory, 'pglite', 'orders') };
    dataSource = await openDataSource(settings, counterEntities, counterMigrations);
  }, 60_000);

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    fs.rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('serializes 20 concurrent read-modify-write transactions: no update is lost', async () => {
    await dataSource.getRepository(Counter).insert({ id: 'rmw', currentValue: 0 });
    let inside = 0;
    let mostInsideAtOnce = 0;
    let started = 0;
    let mostStartedAtOnce = 0;

    await Promise.all(
      Array.from({ length: 20 }, async () => {
        started++;
        mostStartedAtOnce = Math.max(mostStartedAtOnce, started);
        await dataSource.transaction(async (manager) => {
          inside++;
          mostInsideAtOnce = Math.max(mostInsideAtOnce, inside);
          // A plain read (no FOR UPDATE): only serialized transactions keep every increment.
          const counter = await manager.findOneByOrFail(Counter, { id: 'rmw' });
          await new Promise((resolve) => setImmediate(resolve));
          await manager.update(Counter, { id: 'rmw' }, { currentValue: counter.currentValue + 1 });
          inside--;
        });
        started--;
      }),
    );

    expect(mostStartedAtOnce).toBe(20);
    expect(mostInsideAtOnce).toBe(1);
    expect(await dataSource.getRepository(Counter).findOneByOrFail({ id: 'rmw' })).toEqual({
      id: 'rmw',
      currentValue: 20,
    });
  });

  it('supports INSERT ... ON CONFLICT DO NOTHING and SELECT ... FOR UPDATE under concurrency', async () => {
    const insertedRows = await Promise.all(
      Array.from({ length: 10 }, () =>
        dataSource.transaction(async (manager) => {
          const inserted: unknown[] = await manager.query(
            'INSERT INTO counter (id, current_value) VALUES ($1, 0) ON CONFLICT DO NOTHING RETURNING id',
            ['locked'],
          );
          const [row]: { current_value: number }[] = await manager.query(
            'SELECT current_value FROM counter WHERE id = $1 FOR UPDATE',
            ['locked'],
          );
          await manager.query('UPDATE counter SET current_value = $2 WHERE id = $1', ['locked', row.current_value + 1]);
          return inserted.length;
        }),
      ),
    );
    expect(insertedRows.reduce((sum, rows) => sum + rows, 0)).toBe(1);
    expect(await dataSource.getRepository(Counter).findOneByOrFail({ id: 'locked' })).toEqual({
      id: 'locked',
      currentValue: 10,
    });
  });

  it('leaves nothing behind when a transaction rolls back, and the connection stays usable', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.insert(Counter, { id: 'rolled-back', currentValue: 1 });
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');

    expect(await dataSource.getRepository(Counter).countBy({ id: 'rolled-back' })).toBe(0);
    await dataSource.transaction((manager) => manager.insert(Counter, { id: 'after-rollback', currentValue: 2 }));
    expect(await dataSource.getRepository(Counter).countBy({ id: 'after-rollback' })).toBe(1);
  });

  it('refuses a second open of the same directory while the first holds it', async () => {
    await expect(openDataSource(settings, counterEntities, counterMigrations)).rejects.toThrow(/is in use by process/);
  });

  it('keeps its data across a restart and does not run migrations twice', async () => {
    await dataSource.getRepository(Counter).insert({ id: 'durable', currentValue: 7 });
    await dataSource.destroy();

    dataSource = await openDataSource(settings, counterEntities, counterMigrations);

    expect(await dataSource.getRepository(Counter).findOneByOrFail({ id: 'durable' })).toEqual({
      id: 'durable',
      currentValue: 7,
    });
    expect(await dataSource.query('SELECT name FROM migrations')).toEqual([{ name: 'CreateCounter1764160000000' }]);
  }, 30_000);
});
