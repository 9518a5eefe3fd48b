import { Inject, Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessageEnvelope } from '@orderflow/contracts';
import { GroupCommit } from '@orderflow/persistence';
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

/** One caller's work, waiting for the next shared transaction. */
interface UnitOfWork {
  work: (transaction: MessageTransaction) => Promise<unknown>;
  /** Set for `runOnce`: the work runs only if this consumer had not handled the message yet. */
  eventId?: string;
  /** The caller's async context (principal, log context): the work runs in it, whoever's turn starts the group. */
  inCallerContext: <R>(fn: () => R) => R;
  principal: string | undefined;
  outcome?: HandledOnce<unknown>;
}

/**
 * The one way services change state: the change, the messages it causes (outbox) and, for a
 * consumed message, the record that it was handled (inbox) commit in one database transaction.
 *
 * Work that arrives while a transaction is running shares the next one (GroupCommit): one `BEGIN`,
 * one inbox statement, one outbox statement and one `COMMIT` for all of it, each work after the
 * other in arrival order, so under load the consumers of several partitions and concurrent requests
 * pay those round trips (and the relay its pass) once; alone, a work runs at once in its own. A group
 * that fails runs again one work per transaction, so a failing work fails alone. One group runs at a
 * time per instance, which also keeps its row locks in one order: groups never deadlock each other.
 * So a work must not call `run` itself: it would wait for the group it is part of.
 */
@Injectable()
export class MessageTransactions {
  private readonly units = new GroupCommit<UnitOfWork>((units) => this.commitTogether(units));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async run<T>(work: (transaction: MessageTransaction) => Promise<T>): Promise<T> {
    const outcome = await this.submit(work, undefined);
    return (outcome as { result: T }).result;
  }

  /** Runs `work` unless this consumer already handled `message`; a redelivery has no second effect. */
  runOnce<T>(
    message: Pick<MessageEnvelope, 'eventId'>,
    work: (transaction: MessageTransaction) => Promise<T>,
  ): Promise<HandledOnce<T>> {
    return this.submit(work, message.eventId) as Promise<HandledOnce<T>>;
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

  private async submit(
    work: (transaction: MessageTransaction) => Promise<unknown>,
    eventId: string | undefined,
  ): Promise<HandledOnce<unknown>> {
    // Who asked for the work in hand: its messages name them too (principal-context.ts).
    const unit: UnitOfWork = {
      work,
      eventId,
      inCallerContext: AsyncLocalStorage.snapshot(),
      principal: currentPrincipal(),
    };
    await this.units.submit(unit);
    return unit.outcome!;
  }

  /** One transaction for `units`: the inbox rows of those that name a message, each work in turn, their outbox rows. */
  private async commitTogether(units: UnitOfWork[]): Promise<void> {
    const outgoing: PublishedMessage[] = [];
    const outcomes = await this.dataSource.transaction(async (manager) => {
      const consumed = units.flatMap((unit) => (unit.eventId === undefined ? [] : [{ eventId: unit.eventId, unit }]));
      const recorded = consumed.length > 0 ? await recordFirstDeliveries(manager, this.options.service, consumed) : [];
      const firstDeliveries = new Set(recorded.map(({ unit }) => unit));
      const done: HandledOnce<unknown>[] = [];
      for (const unit of units) {
        if (unit.eventId !== undefined && !firstDeliveries.has(unit)) {
          done.push({ duplicate: true });
          continue;
        }
        const publish = (...messages: OutgoingMessage[]) =>
          outgoing.push(...messages.map((message) => ({ message, principal: unit.principal })));
        done.push({ duplicate: false, result: await unit.inCallerContext(() => unit.work({ manager, publish })) });
      }
      if (outgoing.length > 0) await insertOutboxRows(manager, outgoing);
      return done;
    });
    // Only once committed: a group that failed runs again, one unit at a time.
    units.forEach((unit, index) => (unit.outcome = outcomes[index]));
    if (outgoing.length > 0) this.relay.wake();
  }
}

/** A message a work published, with the principal of that work. */
interface PublishedMessage {
  message: OutgoingMessage;
  principal: string | undefined;
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
async function insertOutboxRows(manager: EntityManager, published: PublishedMessage[]): Promise<void> {
  await manager.query(
    `INSERT INTO outbox_message (topic, message_key, payload, headers)
     SELECT topic, message_key, payload, headers::jsonb
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
       AS message (topic, message_key, payload, headers, position)
     ORDER BY position`,
    [
      published.map(({ message }) => message.topic),
      published.map(({ message }) => message.key),
      published.map(({ message }) => JSON.stringify(message.envelope)),
      published.map(({ message, principal }) => JSON.stringify(messageHeaders(message.envelope, principal))),
    ],
  );
}
