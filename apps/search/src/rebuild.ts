import 'reflect-metadata';
import { Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationError, environmentProblems, ServiceConfigModule } from '@orderflow/config';
import { messageClasses } from '@orderflow/contracts';
import {
  applyRequestQueueTimerFix,
  kafkaClientConfig,
  KafkaEnv,
  kafkaSettings,
  MessageValidationPipe,
} from '@orderflow/messaging';
import { PersistenceModule } from '@orderflow/persistence';
import { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { OrderProjectionRepository } from './search/order-projection.repository';
import { OrderProjector, projectedTopics, ProjectedMessage, ProjectedTopic } from './search/order-projector';
import { searchEnvSchema } from './search.env';
import { searchEntities, searchMigrations } from './search-persistence';

@Module({
  imports: [
    ServiceConfigModule.forRoot(searchEnvSchema),
    PersistenceModule.forService({ service: 'search', entities: searchEntities, migrations: searchMigrations }),
  ],
  providers: [OrderProjectionRepository, OrderProjector],
})
class SearchRebuildModule {}

/**
 * `npm run search:rebuild`: empties the projection, then replays every event it is built from, from
 * the start of the topics, up to the end offsets seen right after emptying it. It reads with a
 * throwaway consumer group and applies events through the same merges as the service, so the search
 * service may keep running (with PostgreSQL): what it applies meanwhile merges with the replay, and
 * everything after those end offsets is its job. The embedded database serves one process: stop the
 * search service first there.
 */
async function rebuild(): Promise<void> {
  const problems = environmentProblems(searchEnvSchema);
  if (problems.length > 0) throw new ConfigValidationError(problems);
  const logger = new Logger('SearchRebuild');
  const context = await NestFactory.createApplicationContext(SearchRebuildModule, { logger: ['error', 'warn', 'log'] });
  const settings = kafkaSettings(context.get<ConfigService<KafkaEnv, true>>(ConfigService), 'search');
  applyRequestQueueTimerFix(); // it has no server transport, where the apps get the fix
  const kafka = new Kafka(kafkaClientConfig(settings, '-rebuild'));
  const admin = kafka.admin();
  const groupId = `search-rebuild-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  const projector = context.get(OrderProjector);
  const validation = new MessageValidationPipe();
  try {
    await admin.connect();
    await context.get(OrderProjectionRepository).clear();
    // Captured after emptying: anything the live service applied before is below these offsets.
    const remaining = new Map<string, bigint>();
    for (const topic of projectedTopics) {
      for (const { partition, offset, low } of await admin.fetchTopicOffsets(topic)) {
        if (BigInt(offset) > BigInt(low)) remaining.set(`${topic}:${partition}`, BigInt(offset) - 1n);
      }
    }
    let applied = 0;
    let skipped = 0;
    if (remaining.size > 0) {
      await consumer.connect();
      await consumer.subscribe({ topics: [...projectedTopics], fromBeginning: true });
      const done = new Promise<void>((resolve, reject) => {
        void consumer
          .run({
            partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently,
            eachMessage: async ({ topic, partition, message }) => {
              const key = `${topic}:${partition}`;
              const last = remaining.get(key);
              if (last === undefined || BigInt(message.offset) > last) return;
              try {
                const value: unknown = JSON.parse(message.value?.toString() ?? 'null');
                const event = await validation.transform(value, {
                  type: 'body',
                  metatype: messageClasses[topic as ProjectedTopic],
                });
                await projector.apply(topic as ProjectedTopic, event as ProjectedMessage[ProjectedTopic]);
                applied += 1;
              } catch (error) {
                // The live consumer dead-lettered it; the replay skips it the same way.
                if (error instanceof SyntaxError || (error as Error).name === 'InvalidMessageError') skipped += 1;
                else throw error;
              }
              if (BigInt(message.offset) >= last) {
                remaining.delete(key);
                if (remaining.size === 0) resolve();
              }
            },
          })
          .catch(reject);
        consumer.on(consumer.events.CRASH, (event) => reject(event.payload.error));
      });
      await done;
    }
    logger.log(`replayed ${applied} events (${skipped} invalid ones skipped) into an emptied projection`);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    await context.close();
  }
}

rebuild().then(
  () => process.exit(0),
  (error: unknown) => {
    const reason =
      error instanceof ConfigValidationError ? error.message : error instanceof Error ? error.stack : error;
    process.stderr.write(`search rebuild failed: ${String(reason)}\n`);
    process.exit(1);
  },
);
