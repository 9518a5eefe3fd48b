import { Client, DatabaseError } from 'pg';

const duplicateDatabase = '42P04';
/** Two concurrent CREATE DATABASE can also collide on pg_database's unique index. */
const uniqueViolation = '23505';

/** The server URL pointed at `database` (the URL's own database is the maintenance one, `postgres` by default). */
export function databaseUrl(serverUrl: string, database?: string): string {
  const url = new URL(serverUrl);
  if (database !== undefined) url.pathname = `/${database}`;
  else if (url.pathname === '' || url.pathname === '/') url.pathname = '/postgres';
  return url.toString();
}

async function withMaintenanceClient<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrl(serverUrl), application_name: 'orderflow-persistence' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates database `name` on the server unless it exists. Safe when several instances start at once.
 * Returns true when this call created it.
 */
export async function ensureDatabase(serverUrl: string, name: string): Promise<boolean> {
  return withMaintenanceClient(serverUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      if (error instanceof DatabaseError && (error.code === duplicateDatabase || error.code === uniqueViolation)) {
        return false;
      }
      throw error;
    }
  });
}

/** Drops database `name` if it exists, disconnecting its other sessions first. For tests and tools. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withMaintenanceClient(serverUrl, async (client) => {
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`);
  });
}
