import pg from 'pg';
import { DataSource, MigrationExecutor } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';
import { DatabaseSettings } from './database-settings';
import { startEmbeddedPostgres } from './embedded-postgres';
import { databaseUrl, ensureDatabase } from './postgres-admin';
import { SnakeNamingStrategy } from './snake-naming.strategy';

// TypeORM's own option types use Function for entity and migration classes.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function;
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type MigrationClass = Function;

/** A database ready to connect to: the service's own Postgres database, or a running embedded one. */
export interface DatabaseConnection {
  url: string;
  poolSize: number;
  /** A stand-in for the `pg` module, set for the embedded database so that closing the pool also stops it. */
  driver?: typeof pg;
  /** Releases what prepareDatabase started (the embedded database); idempotent, a no-op for Postgres. */
  close(): Promise<void>;
}

/** An arbitrary constant: the session-level advisory lock that serializes migrations across instances. */
const migrationLockKey = 720_431_001;

/**
 * Makes the database ready: creates the service's Postgres database when missing, or starts the embedded one.
 * The embedded database stops when the pool of the DataSource built on this connection is closed.
 */
export async function prepareDatabase(settings: DatabaseSettings): Promise<DatabaseConnection> {
  switch (settings.kind) {
    case 'postgres':
      await ensureDatabase(settings.url, settings.database);
      return { url: databaseUrl(settings.url, settings.database), poolSize: settings.poolSize, close: async () => {} };
    case 'embedded': {
      const embedded = await startEmbeddedPostgres(settings.directory);
      // One connection: PGlite is one session, and two transactions must never share it.
      return { url: embedded.url, poolSize: 1, driver: closingWithPool(embedded.close), close: embedded.close };
    }
    default: {
      const unknownKind: never = settings;
      throw new Error(`Unknown database settings ${JSON.stringify(unknownKind)}`);
    }
  }
}

/** The TypeORM options every Orderflow service uses. Schema changes come from migrations only. */
export function createDataSourceOptions(
  connection: DatabaseConnection,
  entities: EntityClass[],
  migrations: MigrationClass[],
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: connection.url,
    poolSize: connection.poolSize,
    driver: connection.driver,
    // Bounds both connecting and waiting for a free pooled connection: a query issued outside a running
    // transaction while the pool is exhausted fails loudly instead of hanging for ever.
    connectTimeoutMS: 30_000,
    // An embedded connection is cheap to keep; never let the pool close it while idle.
    extra: connection.driver ? { idleTimeoutMillis: 0 } : undefined,
    entities,
    migrations,
    synchronize: false,
    // Migrations run in initializeDataSource, under a lock, one transaction each.
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    logging: ['error', 'warn', 'migration'],
  };
}

/**
 * Connects and runs pending migrations. Instances starting together take turns on a Postgres advisory
 * lock, so a migration runs once and the others find it done. On failure the DataSource is destroyed.
 */
export async function initializeDataSource(dataSource: DataSource): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  try {
    const queryRunner = dataSource.createQueryRunner();
    try {
      await queryRunner.query('SELECT pg_advisory_lock($1)', [migrationLockKey]);
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = 'each';
      await executor.executePendingMigrations();
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [migrationLockKey]);
    } finally {
      await queryRunner.release();
    }
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}

/** Outside Nest (tools, tests): a migrated DataSource for these settings. `destroy()` closes everything. */
export async function openDataSource(
  settings: DatabaseSettings,
  entities: EntityClass[],
  migrations: MigrationClass[],
): Promise<DataSource> {
  const connection = await prepareDatabase(settings);
  const dataSource = new DataSource(createDataSourceOptions(connection, entities, migrations));
  try {
    return await initializeDataSource(dataSource);
  } catch (error) {
    // initialize() does not clean up when connecting itself fails.
    await connection.close();
    throw error;
  }
}

/** The `pg` module with a Pool whose end() also runs `onEnd`. */
function closingWithPool(onEnd: () => Promise<void>): typeof pg {
  class EmbeddedPool extends pg.Pool {
    override end(): Promise<void>;
    override end(callback: () => void): void;
    override end(callback?: (error?: Error) => void): Promise<void> | void {
      const ended = super.end().finally(onEnd);
      if (!callback) return ended;
      ended.then(() => callback(), callback);
    }
  }
  return Object.assign(Object.create(pg) as typeof pg, { Pool: EmbeddedPool });
}
