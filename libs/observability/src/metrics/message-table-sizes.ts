import { Injectable, Optional } from '@nestjs/common';
import { MessageTable } from '@orderflow/messaging';
import { DataSource } from 'typeorm';

export interface MessageTableSize {
  table: MessageTable;
  bytes: number;
  /** PostgreSQL's planner estimate (pg_class.reltuples, kept by autovacuum): cheap, never a scan. */
  estimatedRows: number;
}

const tables: Record<MessageTable, string> = { outbox: 'outbox_message', inbox: 'inbox_message' };

/** How large the outbox and inbox are on disk, for the gauges that show the pruner keeping up. */
@Injectable()
export class MessageTableSizes {
  constructor(@Optional() private readonly dataSource?: DataSource) {}

  async read(): Promise<MessageTableSize[]> {
    if (!this.dataSource?.isInitialized) return [];
    const rows = await this.dataSource.query<{ name: string; bytes: string; estimated_rows: number }[]>(
      `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes, greatest(c.reltuples, 0) AS estimated_rows
       FROM pg_class c WHERE c.relname = ANY($1) AND c.relkind = 'r' AND pg_table_is_visible(c.oid)`,
      [Object.values(tables)],
    );
    return (Object.keys(tables) as MessageTable[]).flatMap((table) => {
      const row = rows.find((candidate) => candidate.name === tables[table]);
      return row ? [{ table, bytes: Number(row.bytes), estimatedRows: Number(row.estimated_rows) }] : [];
    });
  }
}
