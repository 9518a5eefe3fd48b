import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessageEnvelope } from '@orderflow/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { currentPrincipal } from './handling/principal-context';
import { messageHeaders, OutgoingMessage } from './outgoing-message';
import { OutboxMessageEntity } from './outbox/outbox-message.entity';
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
      if (outgoing.length > 0) {
        await manager.insert(
          OutboxMessageEntity,
          outgoing.map((message) => toOutboxRow(message, principal)),
        );
      }
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

function toOutboxRow(message: OutgoingMessage, principal: string | undefined): Partial<OutboxMessageEntity> {
  return {
    topic: message.topic,
    messageKey: message.key,
    payload: JSON.stringify(message.envelope),
    headers: messageHeaders(message.envelope, principal),
  };
}
