import { escapeLiteral } from 'pg';

/**
 * The statements that open and close a MessageTransactions transaction, each one simple query with
 * its neighbour: `BEGIN` with the inbox insert, the outbox insert with `COMMIT`. A `BEGIN` or `COMMIT`
 * of its own is a round trip, and each is a socket write, a wake-up of the database backend and a
 * response to read: together they were a tenth of the saga services' CPU (bench/README.md, "Where the
 * time goes now"). A simple query carries no parameters, so the values are literals, quoted by pg's
 * `escapeLiteral` (as libpq's `PQescapeLiteral`); nothing else is put into them.
 */

/** Opens the transaction and records the inbox rows of `messageIds` for `consumer`; returns those it recorded now. */
export function beginAndRecordFirstDeliveries(consumer: string, messageIds: readonly string[]): string {
  return `BEGIN;
    INSERT INTO inbox_message (consumer, message_id, handled_at)
    SELECT ${escapeLiteral(consumer)}, message_id, now() FROM unnest(${textArray(messageIds)}) AS message_id
    ON CONFLICT DO NOTHING RETURNING message_id`;
}

/** One outbox row, as its columns' text. */
export interface OutboxRowText {
  topic: string;
  key: string;
  payload: string;
  headers: string;
}

/**
 * Queues `rows` in the outbox, in their order (the ids the relay sends them by), and commits. With no
 * rows, just the commit.
 */
export function insertOutboxRowsAndCommit(rows: readonly OutboxRowText[]): string {
  if (rows.length === 0) return 'COMMIT';
  return `INSERT INTO outbox_message (topic, message_key, payload, headers)
    SELECT topic, message_key, payload, headers::jsonb
    FROM unnest(${textArray(rows.map((row) => row.topic))}, ${textArray(rows.map((row) => row.key))},
      ${textArray(rows.map((row) => row.payload))}, ${textArray(rows.map((row) => row.headers))})
      WITH ORDINALITY AS message (topic, message_key, payload, headers, position)
    ORDER BY position;
    COMMIT`;
}

function textArray(values: readonly string[]): string {
  return `ARRAY[${values.map(escapeLiteral).join(',')}]::text[]`;
}
