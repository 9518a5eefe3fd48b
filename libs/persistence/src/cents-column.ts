// Entities import this file directly: it keeps their unit specs free of the Nest and PGlite modules.
import { ColumnOptions } from 'typeorm';

/** Amounts are integer cents in a bigint column; pg returns bigint as a string, so convert it back. */
export const centsColumn: Pick<ColumnOptions, 'type' | 'transformer'> = {
  type: 'bigint',
  transformer: {
    to: (value: number | null | undefined) => value,
    from: (value: string | null) => (value === null ? null : Number(value)),
  },
};
