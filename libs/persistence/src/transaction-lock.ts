import { EntityManager } from 'typeorm';

/**
 * Holds an advisory lock on (`space`, `key`) until the transaction of `manager` ends: work on one key
 * (e.g. an order) runs one transaction at a time, with no row to lock yet. `space` keeps a caller's
 * keys apart from other locks of the same database.
 */
export async function lockKeyForTransaction(manager: EntityManager, space: number, key: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [space, key]);
}
