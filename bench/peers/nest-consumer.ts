import 'reflect-metadata';
import { Controller, Injectable, Module, Type } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { commonEnv, databaseEnv, kafkaEnv, ServiceConfigModule } from '@orderflow/config';
import {
  InBatches,
  MessageTransactions,
  MessagingModule,
  messagingEntities,
  messagingMigrations,
  ValidPayload,
  ValidPayloads,
} from '@orderflow/messaging';
import { LoggingModule } from '@orderflow/observability';
import { PersistenceModule } from '@orderflow/persistence';
import { runService } from '@orderflow/runtime';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { z } from 'zod';
import { BenchTopics } from '../bench-topics';
import { BenchEventMessage, benchEffectTableSql } from './bench-event';
import { argument, CompletionCounter } from './peer-protocol';

const counter = new CompletionCounter(Number(argument('count')));
const isFullPath = process.argv.includes('--full');
/** Handlers that take each fetched batch in one call (`InBatches`) instead of one message per call. */
const inBatches = process.argv.includes('--batches');
const schema = z.object({ ...commonEnv, ...kafkaEnv, ...databaseEnv, HTTP_PORT: z.coerce.number().int() });

/** Transport alone: Nest's ServerKafka with our options and interceptor, a handler that does nothing. */
@Controller()
class NoopController {
  @EventPattern(BenchTopics.Events)
  handle(_event: unknown): void {
    counter.seen();
  }
}

/** Transport alone, a batch per call: the same, with `InBatches`. */
@Controller()
class NoopBatchController {
  @EventPattern(BenchTopics.Events, InBatches)
  handle(events: unknown[]): void {
    counter.seen(events.length);
  }
}

class BenchEffectTable1764100009000 implements MigrationInterface {
  name = 'BenchEffectTable1764100009000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(benchEffectTableSql);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE bench_effect');
  }
}

@Injectable()
class BenchEffects {
  constructor(private readonly transactions: MessageTransactions) {}

  async apply(message: BenchEventMessage): Promise<void> {
    await this.transactions.runOnce(message, ({ manager }) =>
      manager.query('INSERT INTO bench_effect (message_id, order_id, note_length) VALUES ($1, $2, $3)', [
        message.eventId,
        message.payload.orderId,
        message.payload.note.length,
      ]),
    );
  }
}

/** The full path, a batch per call: every message validated, then the effects and inbox rows in one transaction. */
@Injectable()
class BenchBatchEffects {
  constructor(private readonly transactions: MessageTransactions) {}

  async apply(messages: BenchEventMessage[]): Promise<void> {
    await this.transactions.runOnceEach(messages, (firstDeliveries, { manager }) =>
      manager.query(
        `INSERT INTO bench_effect (message_id, order_id, note_length)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::int[])`,
        [
          firstDeliveries.map((message) => message.eventId),
          firstDeliveries.map((message) => message.payload.orderId),
          firstDeliveries.map((message) => message.payload.note.length),
        ],
      ),
    );
  }
}

@Controller()
class FullPathBatchController {
  constructor(private readonly effects: BenchBatchEffects) {}

  @EventPattern(BenchTopics.Events, InBatches)
  async handle(@ValidPayloads(BenchEventMessage) messages: BenchEventMessage[]): Promise<void> {
    await this.effects.apply(messages);
    counter.seen(messages.length);
  }
}

/** The full path: contracts validation, then the effect and the inbox row in one transaction. */
@Controller()
class FullPathController {
  constructor(private readonly effects: BenchEffects) {}

  @EventPattern(BenchTopics.Events)
  async handle(@ValidPayload() message: BenchEventMessage): Promise<void> {
    await this.effects.apply(message);
    counter.seen();
  }
}

function controller(): Type<unknown> {
  if (isFullPath) return inBatches ? FullPathBatchController : FullPathController;
  return inBatches ? NoopBatchController : NoopController;
}

function benchModule(): Type<unknown> {
  @Module({
    imports: [
      ServiceConfigModule.forRoot(schema),
      // The apps' JSON logger; not the rest of observability (its metrics interceptor is not the transport).
      LoggingModule.forService('bench_consumer'),
      MessagingModule.forService({ service: 'bench_consumer', transactions: isFullPath }),
      ...(isFullPath
        ? [
            PersistenceModule.forService({
              service: 'bench_consumer',
              entities: [...messagingEntities],
              migrations: [...messagingMigrations, BenchEffectTable1764100009000],
            }),
          ]
        : []),
    ],
    controllers: [controller()],
    providers: isFullPath ? [inBatches ? BenchBatchEffects : BenchEffects] : [],
  })
  class BenchConsumerModule {}
  return BenchConsumerModule;
}

void runService({
  service: 'bench_consumer',
  module: benchModule(),
  env: schema,
  consumer: { groupId: argument('group'), fromBeginning: true },
});
