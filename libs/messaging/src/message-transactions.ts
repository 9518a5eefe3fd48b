import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessageEnvelope } from '@orderflow/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { currentPrincipal } from './handling/principal-context';
import { messageHeaders, OutgoingMessage } from './outgoing-message';
import { OutboxRelay } from './outbox/outbox-relay';

/** What a unit of work sees: the transaction's entity manager and the outbox of that transaction. */
export interface MessageTransaction {
  manager: EntityManager;
  /** Queued in the outbox; published only if the transaction commits. */
  publish(...messages: OutgoingMessage[]): void;
}

export type HandledOnce<T> = { duplicate: false; result: T } | { duplicate: true };

/**
 * The one way services change state: the change, the messages it causes (outbox) and, for a
 * consumed message, the record that it was handled (inbox) commit in one database transaction.
 */
@Injectable()
export class MessageTransactions {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async run<T>(work: (transaction: MessageTransaction) => Promise<T>): Promise<T> {
    const outgoing: OutgoingMessage[] = [];
    // Who asked for the work in hand: its messages name them too (principal-context.ts).
    const principal = currentPrincipal();
    const result = await this.dataSource.transaction(async (manager) => {
      const value = await work({ manager, publish: (...messages) => outgoing.push(...messages) });
      if (outgoing.length > 0) await insertOutboxRows(manager, outgoing, principal);
      return value;
    });
    if (outgoing.length > 0) this.relay.wake();
    return result;
  }

  /** Runs `work` unless this consumer already handled `message`; a redelivery has no second effect. */
  async runOnce<T>(
    message: Pick<MessageEnvelope, 'eventId'>,
    work: (transaction: MessageTransaction) => Promise<T>,
  ): Promise<HandledOnce<T>> {
    return this.run(async (transaction) => {
      const firstDelivery = await recordFirstDeliveries(transaction.manager, this.options.service, [message]);
      if (firstDelivery.length === 0) return { duplicate: true } as const;
      return { duplicate: false, result: await work(transaction) } as const;
    });
  }

  /**
   * `runOnce` for the messages of an `InBatches` handler, in one transaction: one inbox statement
   * for all of them, then `work` with those this consumer had not handled yet (in their order, each
   * event id once); `work` is not called when every message is a redelivery.
   */
  async runOnceEach<M extends Pick<MessageEnvelope, 'eventId'>>(
    messages: readonly M[],
    work: (firstDeliveries: M[], transaction: MessageTransaction) => Promise<void>,
  ): Promise<M[]> {
    if (messages.length === 0) return [];
    return this.run(async (transaction) => {
      const firstDeliveries = await recordFirstDeliveries(transaction.manager, this.options.service, messages);
      if (firstDeliveries.length > 0) await work(firstDeliveries, transaction);
      return firstDeliveries;
    });
  }
}

/**
 * The inbox rows of `messages` that this consumer had not recorded yet, recorded now, in one statement:
 * the messages to handle, in their order, each event id once (a batch may hold a redelivery of itself).
 */
async function recordFirstDeliveries<M extends Pick<MessageEnvelope, 'eventId'>>(
  manager: EntityManager,
  consumer: string,
  messages: readonly M[],
): Promise<M[]> {
  const inserted: { message_id: string }[] = await manager.query(
    `INSERT INTO inbox_message (consumer, message_id, handled_at)
     SELECT $1, message_id, now() FROM unnest($2::text[]) AS message_id
     ON CONFLICT DO NOTHING RETURNING message_id`,
    [consumer, messages.map((message) => message.eventId)],
  );
  const firstDeliveries = new Set(inserted.map((row) => row.message_id));
  return messages.filter((message) => firstDeliveries.delete(message.eventId));
}

/**
 * One statement for all of a transaction's messages, in the order they were published (the ids the
 * relay sends them by). Plain SQL: building TypeORM's insert was a visible share of the CPU on this path.
 */
async function insertOutboxRows(
  manager: EntityManager,
  messages: OutgoingMessage[],
  principal: string | undefined,
): Promise<void> {
  await manager.query(
    `INSERT INTO outbox_message (topic, message_key, payload, headers)
     SELECT topic, message_key, payload, headers::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
       AS message (topic, message_key, payload, headers, position)
     ORDER BY position`,
    [
      messages.map((message) => message.topic),
      messages.map((message) => message.key),
      messages.map((message) => JSON.stringify(message.envelope)),
      messages.map((message) => JSON.stringify(messageHeaders(message.envelope, principal))),
    ],
  );
}
