import { CustomStrategy, KafkaOptions, Transport } from '@nestjs/microservices';
import { kafkaClientConfig, kafkaRetry, KafkaSettings, producerDefaults } from './kafka-settings';
import { TopicServerKafka } from './topic-server-kafka';

/**
 * How long the broker may hold an empty fetch. It answers as soon as a record arrives, so this adds
 * no latency under traffic; it only sets how often an idle consumer asks again. Shorter waits kept
 * the broker and every app busy with no traffic at all (each fetch lists every subscribed partition:
 * kafkajs has no fetch sessions; bench/README.md, "Optimisations"). The cost
 * of a longer wait: a rebalance is noticed (heartbeat after the fetch) and a stop completes up to
 * this much later.
 */
const FETCH_MAX_WAIT_MS = 1_000;

export interface ServerTransportOverrides {
  /** A group of its own, e.g. per instance for broadcast subscriptions. */
  groupId?: string;
  /** Where a group without committed offsets starts. Services start from the beginning: nothing sent before their first start is lost. */
  fromBeginning?: boolean;
}

/** Nest's ServerKafka (as TopicServerKafka) with our options: `app.connectMicroservice(kafkaServerTransport(...))`. */
export function kafkaServerTransport(
  settings: KafkaSettings,
  overrides: ServerTransportOverrides = {},
): CustomStrategy {
  return { strategy: new TopicServerKafka(kafkaServerOptions(settings, overrides)) };
}

/** The group the server consumer joins, as configured (Nest appends `-server`). */
export function serverGroupId(settings: KafkaSettings, overrides: ServerTransportOverrides = {}): string {
  return overrides.groupId ?? settings.groupId;
}

function kafkaServerOptions(
  settings: KafkaSettings,
  overrides: ServerTransportOverrides,
): NonNullable<KafkaOptions['options']> {
  return {
    client: kafkaClientConfig(settings),
    consumer: {
      groupId: serverGroupId(settings, overrides),
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
      retry: kafkaRetry,
    },
    producer: producerDefaults,
    subscribe: { fromBeginning: overrides.fromBeginning ?? true },
    run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently },
  };
}

/** The options for Nest's ClientKafka that sends requests and reads replies. */
export function kafkaClientTransport(settings: KafkaSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: kafkaClientConfig(settings),
      consumer: {
        groupId: settings.groupId,
        allowAutoTopicCreation: false,
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        maxWaitTimeInMs: FETCH_MAX_WAIT_MS,
        retry: kafkaRetry,
      },
      producer: producerDefaults,
      run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently },
    },
  };
}
