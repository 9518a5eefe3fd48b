import { ConfigService } from '@nestjs/config';

export const RETENTION_SETTINGS = Symbol('RETENTION_SETTINGS');

/** The retention part of a data-owning app's validated environment (libs/config's databaseEnv). */
export interface RetentionEnv {
  OUTBOX_RETENTION_MS: number;
  INBOX_RETENTION_MS: number;
  INBOX_RETENTION_MARGIN_MS: number;
  MESSAGE_PRUNE_INTERVAL_MS: number;
  MESSAGE_PRUNE_BATCH_SIZE: number;
}

export interface RetentionSettings {
  /** Published outbox rows are kept this long (for looking into what left), then pruned. */
  outboxRetentionMs: number;
  /** Handled-message records are kept this long; 0 keeps them for ever (topics retained for ever). */
  inboxRetentionMs: number;
  /** How much longer than the longest retention of a consumed topic the inbox must remember. */
  inboxRetentionMarginMs: number;
  pruneIntervalMs: number;
  /** Rows per DELETE: each batch is a short statement of its own, so no lock is held for long. */
  pruneBatchSize: number;
}

export function retentionSettings(config: ConfigService<RetentionEnv, true>): RetentionSettings {
  return {
    outboxRetentionMs: config.get('OUTBOX_RETENTION_MS', { infer: true }),
    inboxRetentionMs: config.get('INBOX_RETENTION_MS', { infer: true }),
    inboxRetentionMarginMs: config.get('INBOX_RETENTION_MARGIN_MS', { infer: true }),
    pruneIntervalMs: config.get('MESSAGE_PRUNE_INTERVAL_MS', { infer: true }),
    pruneBatchSize: config.get('MESSAGE_PRUNE_BATCH_SIZE', { infer: true }),
  };
}
