import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { EntityClass, MigrationClass, openDataSource } from '../data-source';
import { dropDatabase } from '../postgres-admin';

/** The PostgreSQL server the integration specs use (this machine's and CI's, trust auth). */
export const TEST_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A database of its own for one spec file: created and migrated before its tests, dropped after them.
 * Returns the open data source (call it inside a test or a later `beforeAll`).
 */
export function useTestDatabase(
  label: string,
  entities: EntityClass[],
  migrations: MigrationClass[],
  poolSize = 4,
): () => DataSource {
  const database = `orderflow_test_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    dataSource = await openDataSource(
      { kind: 'postgres', url: TEST_SERVER_URL, database, poolSize },
      entities,
      migrations,
    );
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await dropDatabase(TEST_SERVER_URL, database);
  });
  return () => {
    if (!dataSource) throw new Error(`the test database ${database} is not open yet`);
    return dataSource;
  };
}

/**
 * `useTestDatabase` on the embedded database (PGlite, what `npm start` runs on), in a temporary
 * directory removed after the spec file. Its initdb takes seconds, hence the hook's timeout.
 */
export function useEmbeddedTestDatabase(
  label: string,
  entities: EntityClass[],
  migrations: MigrationClass[],
): () => DataSource {
  let directory: string | undefined;
  let dataSource: DataSource | undefined;
  beforeAll(async () => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), `orderflow-pglite-${label}-`));
    dataSource = await openDataSource(
      { kind: 'embedded', directory: path.join(directory, label) },
      entities,
      migrations,
    );
  }, 60_000);
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    if (directory) fs.rmSync(directory, { recursive: true, force: true });
  });
  return () => {
    if (!dataSource) throw new Error(`the embedded test database ${label} is not open yet`);
    return dataSource;
  };
}
