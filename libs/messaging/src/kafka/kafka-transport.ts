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

/**
 * A read-side event consumer's fetch: the broker holds it until this many bytes or the wait below,
 * so that a busy system hands it batches (one transaction each, `InBatches`) instead of waking it for
 * every event, and a quiet one wakes it at most four times a second rather than at each of the saga's
 * steps, which then have the cores to themselves (bench/README.md, "Optimisations").
 */
const READ_SIDE_FETCH = { minBytes: 32 * 1024, maxWaitTimeInMs: 250 } as const;

export interface ServerTransportOverrides {
  /** A group of its own, e.g. per instance for broadcast subscriptions. */
  groupId?: string;
  /** Where a group without committed offsets starts. Services start from the beginning: nothing sent before their first start is lost. */
  fromBeginning?: boolean;
  /**
   * The read side: its requests in a consumer and group of their own (`<group>-requests`, the
   * contracts' `requestGroups`), its events in one whose fetches wait for a batch (READ_SIDE_FETCH).
   * A fetch waits for its bytes across every partition it asks for, so a request must not share it.
   */
  requestsApart?: boolean;
}

/** One of the app's Nest microservices: its strategy and the group its consumer joins, as configured (Nest appends `-server`). */
export interface ServerTransport {
  strategy: CustomStrategy;
  groupId: string;
}

/**
 * Nest's ServerKafka (as TopicServerKafka) with our options, one per consumer of the app: the first
 * takes its events (and its requests, unless `requestsApart`). Each goes to `app.connectMicroservice`.
 */
export function kafkaServerTransports(
  settings: KafkaSettings,
  overrides: ServerTransportOverrides = {},
): ServerTransport[] {
  const groupId = serverGroupId(settings, overrides);
  if (!overrides.requestsApart) return [{ strategy: kafkaServerTransport(settings, overrides), groupId }];
  const requestsGroupId = `${groupId}-requests`;
  return [
    {
      strategy: { strategy: new TopicServerKafka(kafkaServerOptions(settings, overrides, READ_SIDE_FETCH), 'events') },
      groupId,
    },
    {
      strategy: {
        strategy: new TopicServerKafka(
          kafkaServerOptions(settings, { ...overrides, groupId: requestsGroupId }),
          'requests',
        ),
      },
      groupId: requestsGroupId,
    },
  ];
}

/** One ServerKafka for every handler of the app: `app.connectMicroservice(kafkaServerTransport(...))`. */
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
  fetch: { minBytes?: number; maxWaitTimeInMs: number } = { maxWaitTimeInMs: FETCH_MAX_WAIT_MS },
): NonNullable<KafkaOptions['options']> {
  return {
    client: kafkaClientConfig(settings),
    consumer: {
      groupId: serverGroupId(settings, overrides),
      allowAutoTopicCreation: false,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      ...fetch,
      retry: kafkaRetry,
    },
    producer: producerDefaults,
    subscribe: { fromBeginning: overrides.fromBeginning ?? true },
    // The server commits on an interval itself (OffsetCommits); stated here so that whoever reads these
    // options (the benchmark's raw peers) runs the same way.
    run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently, autoCommit: false },
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
      // The request client commits its replies' offsets on an interval itself (RequestClient).
      run: { partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently, autoCommit: false },
    },
  };
}
