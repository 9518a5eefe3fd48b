import { join } from 'node:path';
import { repositoryRoot } from './repository-root';

/**
 * Where `npm start` keeps its data (logs, the local database, the local broker): `.data`, or
 * ORDERFLOW_DATA_DIR, which the memory benchmark sets to start the system as on a fresh machine.
 */
export function startDataDir(): string {
  return process.env.ORDERFLOW_DATA_DIR ?? join(repositoryRoot(), '.data');
}

/** Where the local broker lives: `npm start`'s, `npm run kafka:start`'s, and where the tools find its credentials. */
export function startKafkaDir(): string {
  return join(startDataDir(), 'kafka');
}
