import { CustomStrategy, KafkaOptions, Transport } from '@nestjs/microservices';
import { kafkaClientConfig, KafkaSettings, producerDefaults } from './kafka-settings';
import { TopicServerKafka } from './topic-server-kafka';

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

function kafkaServerOptions(
  settings: KafkaSettings,
  overrides: ServerTransportOverrides,
): NonNullable<KafkaOptions['options']> {
  return {
    client: kafkaClientConfig(settings),
    consumer: {
      groupId: overrides.groupId ?? settings.groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 100,
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
        maxWaitTimeInMs: 50,
      },
      producer: producerDefaults,
      run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently },
    },
  };
}
