import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LocalPostgres, startLocalPostgres } from './local-postgres';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

// `npm start`'s database: created on first use, kept across starts, stopped by its own stop().
describe('the local PostgreSQL server of npm start', () => {
  let dataDir: string;
  let server: LocalPostgres | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'orderflow-local-postgres-'));
    // As root the server runs as `postgres`, which must reach the directory.
    chmodSync(dataDir, 0o755);
  });

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps what was written when it is stopped and started again, and asks for its password', async () => {
    server = await startLocalPostgres(dataDir);
    await query(server.url, 'CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$still here$$)');
    await server.stop();
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);

    server = await startLocalPostgres(dataDir);
    expect(await query(server.url, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
    const withoutPassword = new URL(server.url);
    withoutPassword.password = 'wrong';
    await expect(query(withoutPassword.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  }, 120_000);
});
