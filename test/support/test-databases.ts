import { Client, Pool } from 'pg';
// Jest's global setup loads this file without the module mapper, so not through @orderflow/persistence.
// eslint-disable-next-line no-restricted-imports
import { databaseUrl, dropDatabase } from '../../libs/persistence/src/postgres-admin';
import { AppName } from '../../tools/system/apps';

export async function dropTestDatabases(serverUrl: string, prefix: string, apps: readonly AppName[]): Promise<void> {
  for (const app of apps) await dropDatabase(serverUrl, `${prefix}_${app}`);
}

/** A client on one service's own database, to check what it stored. */
export async function connectToServiceDatabase(serverUrl: string, prefix: string, app: AppName): Promise<Client> {
  const client = new Client({ connectionString: databaseUrl(serverUrl, `${prefix}_${app}`) });
  await client.connect();
  return client;
}

/**
 * A pool on one service's own database that survives the server going away: a connection the server
 * closed is dropped (not thrown at the test), and the next query opens a new one.
 */
export function serviceDatabasePool(serverUrl: string, prefix: string, app: AppName): Pool {
  const pool = new Pool({ connectionString: databaseUrl(serverUrl, `${prefix}_${app}`), max: 2 });
  pool.on('error', () => undefined);
  return pool;
}
