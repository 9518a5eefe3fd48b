import { ColumnOptions } from 'typeorm';

// Local copy until a shared cents column lives in @orderflow/persistence (apps may not import each other).
/** Integer cents in a bigint column; pg returns bigint as a string, so convert it back. */
export const centsColumn: Pick<ColumnOptions, 'type' | 'transformer'> = {
  type: 'bigint',
  transformer: {
    to: (value: number | null | undefined) => value,
    from: (value: string | null) => (value === null ? null : Number(value)),
  },
};
