import { Inject, Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { InjectDataSource } from '@nestjs/typeorm';
import { MessageEnvelope } from '@orderflow/contracts';
import { GroupCommit } from '@orderflow/persistence';
import type { PoolClient, QueryResult } from 'pg';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { MESSAGING_OPTIONS, MessagingOptions } from './messaging.options';
import { currentPrincipal } from './handling/principal-context';
import { messageHeaders, OutgoingMessage } from './outgoing-message';
import { OutboxRelay } from './outbox/outbox-relay';
import { beginAndRecordFirstDeliveries, insertOutboxRowsAndCommit, OutboxRowText } from './transaction-statements';

/** What a unit of work sees: the transaction's entity manager and the outbox of that transaction. */
export interface MessageTransaction {
  manager: EntityManager;
  /** Queued in the outbox; published only if the transaction commits. */
  publish(...messages: OutgoingMessage[]): void;
}

export type HandledOnce<T> = { duplicate: false; result: T } | { duplicate: true };

/** One caller's work, waiting for the next shared transaction. */
interface UnitOfWork {
  /**
   * Runs in the shared transaction. `recorded` holds the ids of the group's messages that this
   * consumer had not handled before; a unit takes its own out of it, so a message named twice in one
   * group is handled once.
   */
  work: (transaction: MessageTransaction, recorded: Set<string>) => Promise<unknown>;
  /** The messages the work consumes (`runOnce`, `runOnceEach`): their inbox rows go in with the group's. */
  eventIds: readonly string[];
  /** The caller's async context (principal, log context): the work runs in it, whoever's turn starts the group. */
  inCallerContext: <R>(fn: () => R) => R;
  principal: string | undefined;
  outcome?: unknown;
}

/**
 * The one way services change state: the change, the messages it causes (outbox) and, for a
 * consumed message, the record that it was handled (inbox) commit in one database transaction.
 *
 * Work that arrives while a transaction is running shares the next one (GroupCommit), each work after
 * the other in arrival order, so under load the consumers of several partitions and concurrent
 * requests pay the transaction's own round trips (and the relay its pass) once; alone, a work runs at
 * once in its own. Those round trips are two: `BEGIN` with one inbox statement for all of the group's
 * messages, and one outbox statement with `COMMIT` (transaction-statements.ts); between them, the
 * works' own statements. A group that fails runs again one work per transaction, so a failing work
 * fails alone. One group runs at a time per instance, which also keeps its row locks in one order:
 * groups never deadlock each other. So a work must not call `run` itself: it would wait for the group
 * it is part of.
 */
@Injectable()
export class MessageTransactions {
  private readonly units = new GroupCommit<UnitOfWork>((units) => this.commitTogether(units));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  run<T>(work: (transaction: MessageTransaction) => Promise<T>): Promise<T> {
    return this.submit([], (transaction) => work(transaction));
  }

  /** Runs `work` unless this consumer already handled `message`; a redelivery has no second effect. */
  runOnce<T>(
    message: Pick<MessageEnvelope, 'eventId'>,
    work: (transaction: MessageTransaction) => Promise<T>,
  ): Promise<HandledOnce<T>> {
    return this.submit([message.eventId], async (transaction, recorded): Promise<HandledOnce<T>> => {
      if (!recorded.delete(message.eventId)) return { duplicate: true };
      return { duplicate: false, result: await work(transaction) };
    });
  }

  /**
   * `runOnce` for the messages of an `InBatches` handler, in one transaction: `work` with those this
   * consumer had not handled yet (in their order, each event id once); `work` is not called when every
   * message is a redelivery.
   */
  runOnceEach<M extends Pick<MessageEnvelope, 'eventId'>>(
    messages: readonly M[],
    work: (firstDeliveries: M[], transaction: MessageTransaction) => Promise<void>,
  ): Promise<M[]> {
    if (messages.length === 0) return Promise.resolve([]);
    return this.submit(
      messages.map((message) => message.eventId),
      async (transaction, recorded) => {
        const firstDeliveries = messages.filter((message) => recorded.delete(message.eventId));
        if (firstDeliveries.length > 0) await work(firstDeliveries, transaction);
        return firstDeliveries;
      },
    );
  }

  private async submit<T>(
    eventIds: readonly string[],
    work: (transaction: MessageTransaction, recorded: Set<string>) => Promise<T>,
  ): Promise<T> {
    // Who asked for the work in hand: its messages name them too (principal-context.ts).
    const unit: UnitOfWork = {
      work,
      eventIds,
      inCallerContext: AsyncLocalStorage.snapshot(),
      principal: currentPrincipal(),
    };
    await this.units.submit(unit);
    return unit.outcome as T;
  }

  /** One transaction for `units`: the inbox rows of their messages, each work in turn, their outbox rows. */
  private async commitTogether(units: UnitOfWork[]): Promise<void> {
    const outgoing: PublishedMessage[] = [];
    // Through TypeORM's runner: the works use its entity manager, and it listens for the connection's
    // errors while the transaction holds it (a database that goes away meanwhile).
    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    let relayHasConnection = false;
    try {
      const recorded = await this.beginAndRecord(client, units);
      // TypeORM's flag (read-only in its interface, a plain field of the runner): a `save` in a work
      // joins this transaction instead of opening and committing one of its own.
      markTransactionActive(runner, true);
      const outcomes: unknown[] = [];
      for (const unit of units) {
        const publish = (...messages: OutgoingMessage[]) =>
          outgoing.push(...messages.map((message) => ({ message, principal: unit.principal })));
        outcomes.push(await unit.inCallerContext(() => unit.work({ manager: runner.manager, publish }, recorded)));
      }
      const committed = client.query(insertOutboxRowsAndCommit(outgoing.map(outboxRowText)));
      // The relay's pass queued behind the commit on this connection, unless one is running (then woken).
      const handedOver =
        outgoing.length > 0 && this.relay.publishAfter(committed, { client, release: () => runner.release() });
      await committed;
      relayHasConnection = handedOver;
      // Only once committed: a group that failed runs again, one unit at a time.
      units.forEach((unit, index) => (unit.outcome = outcomes[index]));
      if (outgoing.length > 0 && !handedOver) this.relay.wake();
    } catch (error) {
      // A connection that cannot even roll back is broken: the pool drops it rather than reuse it.
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      markTransactionActive(runner, false);
      if (!relayHasConnection) await runner.release();
    }
  }

  /** Opens the transaction; the ids of the units' messages that this consumer records now. */
  private async beginAndRecord(client: PoolClient, units: UnitOfWork[]): Promise<Set<string>> {
    const eventIds = units.flatMap((unit) => unit.eventIds);
    if (eventIds.length === 0) {
      await client.query('BEGIN');
      return new Set();
    }
    const [, inserted] = (await client.query(
      beginAndRecordFirstDeliveries(this.options.service, eventIds),
    )) as unknown as [QueryResult, QueryResult<{ message_id: string }>];
    return new Set(inserted.rows.map((row) => row.message_id));
  }
}

function markTransactionActive(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
}

/** A message a work published, with the principal of that work. */
interface PublishedMessage {
  message: OutgoingMessage;
  principal: string | undefined;
}

function outboxRowText({ message, principal }: PublishedMessage): OutboxRowText {
  return {
    topic: message.topic,
    key: message.key,
    payload: JSON.stringify(message.envelope),
    headers: JSON.stringify(messageHeaders(message.envelope, principal)),
  };
}
