import { envelopeOf } from '@orderflow/contracts';
import { IsString, IsUUID, MaxLength } from 'class-validator';

/** The event of the consumption benchmark: an envelope like every Orderflow event, about 1 KB. */
export class BenchEvent {
  @IsUUID()
  orderId: string;

  @IsString()
  @MaxLength(2_000)
  note: string;
}

export class BenchEventMessage extends envelopeOf(BenchEvent) {}

export const benchEffectTableSql = `CREATE TABLE IF NOT EXISTS bench_effect (
  message_id text PRIMARY KEY,
  order_id uuid NOT NULL,
  note_length integer NOT NULL
)`;
