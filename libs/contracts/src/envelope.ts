import { Type } from 'class-transformer';
import {
  IsDefined,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Min,
  ValidateNested,
} from 'class-validator';

/** Headers every Orderflow message carries (Kafka header values arrive as strings). */
export const MessageHeaders = {
  CorrelationId: 'x-correlation-id',
  MessageId: 'x-message-id',
  MessageType: 'x-message-type',
  /** The schema version of the message type (an integer from 1); absent means 1. */
  SchemaVersion: 'x-schema-version',
  /**
   * Who asked, as the gateway proved it (`kind:subject`, e.g. `customer:alice`), on a request and on
   * every message it causes; absent for work nobody asked for over HTTP. Trusted because only the
   * gateway may write requests, and a service copies it only from a message it consumed.
   */
  Principal: 'x-principal',
} as const;

/**
 * The envelope around every command and event: who caused it, what it is about, and which version
 * of its aggregate it describes, so that a handler can drop duplicates and stale messages.
 */
export class MessageEnvelope<Payload = unknown> {
  /** Unique per message; the inbox records it so that a redelivered message has no second effect. */
  @IsUUID()
  eventId: string;

  @IsString()
  @Length(1, 100)
  type: string;

  @IsISO8601({ strict: true })
  occurredAt: string;

  /** Follows one request from the HTTP call through every message it causes. */
  @IsString()
  @Length(1, 128)
  correlationId: string;

  /** The eventId of the message that caused this one; absent for messages caused by an HTTP call. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  causationId?: string;

  @IsString()
  @Length(1, 128)
  aggregateId: string;

  @IsInt()
  @Min(0)
  aggregateVersion: number;

  /**
   * The schema version of `type` the payload follows (`schemaVersions`); absent means 1, so messages
   * of producers that predate it stay valid.
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  schemaVersion?: number;

  payload: Payload;
}

export type PayloadClass<Payload> = new () => Payload;
export type EnvelopeClass<Payload> = new () => MessageEnvelope<Payload>;

/** An envelope class whose payload is validated as `payloadClass`. */
export function envelopeOf<Payload extends object>(payloadClass: PayloadClass<Payload>): EnvelopeClass<Payload> {
  class Envelope extends MessageEnvelope<Payload> {
    @IsDefined()
    @ValidateNested()
    @Type(() => payloadClass)
    override payload: Payload;
  }
  Object.defineProperty(Envelope, 'name', { value: `${payloadClass.name}Envelope` });
  return Envelope;
}
