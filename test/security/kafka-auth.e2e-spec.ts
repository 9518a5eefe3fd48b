import { randomUUID } from 'node:crypto';
import { Topics } from '@orderflow/contracts';
import { Kafka, KafkaConfig, logLevel, Partitioners } from 'kafkajs';
import { scramSasl } from '../../tools/kafka/credentials';
import { eventually } from '../support/eventually';
import { SystemUnderTest } from '../support/system-under-test';

/** The broker's error types along an error and its causes (kafkajs wraps what the broker said). */
function errorTypes(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const { type, cause, originalError, errors } = error as {
    type?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown[];
  };
  return [
    ...(typeof type === 'string' ? [type] : []),
    ...[cause, originalError, ...(errors ?? [])].filter((inner) => inner !== error).flatMap(errorTypes),
  ];
}

async function failureOf(attempt: () => Promise<unknown>): Promise<unknown> {
  try {
    await attempt();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal, but it succeeded');
}

describe('Kafka: authenticated principals and least-privilege ACLs', () => {
  const system = new SystemUnderTest();
  const brokers = system.environment.brokers.split(',');
  const credentials = system.kafkaCredentials;
  if (!credentials) throw new Error('these tests need the local broker with SASL (KAFKA_BROKERS unset)');
  const notifications = credentials.participants.notifications;
  const clients: { disconnect(): Promise<void> }[] = [];

  /** A client that gives up at once: a refusal is the answer, not something to retry. */
  function kafka(extra: Partial<KafkaConfig>): Kafka {
    return new Kafka({
      clientId: `kafka-auth-${randomUUID().slice(0, 8)}`,
      brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 0 },
      ...extra,
    });
  }

  async function topicsSeenAs(extra: Partial<KafkaConfig>): Promise<string[]> {
    const admin = kafka(extra).admin();
    clients.push(admin);
    await admin.connect();
    return admin.listTopics();
  }

  afterAll(async () => {
    for (const client of clients) await client.disconnect().catch(() => undefined);
    await system.close();
  });

  it('serves a principal with its password', async () => {
    expect(await topicsSeenAs({ sasl: scramSasl(notifications) })).toEqual(
      expect.arrayContaining([Topics.OrderConfirmed, Topics.NotificationsList]),
    );
  });

  it('refuses a client without credentials', async () => {
    const error = await failureOf(() => topicsSeenAs({}));
    expect(String(error)).toMatch(/Connection|closed|ECONNRESET|disconnected/i);
  });

  it('refuses a wrong password', async () => {
    const error = await failureOf(() =>
      topicsSeenAs({ sasl: scramSasl({ ...notifications, password: `${notifications.password}x` }) }),
    );
    expect(error).toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    expect(String(error)).toMatch(/SCRAM.*authentication failed/i);
  });

  it('shows a principal only the topics it may use', async () => {
    const seen = await topicsSeenAs({ sasl: scramSasl(notifications) });
    expect(seen).not.toContain(Topics.PaymentsCharge);
    expect(seen).not.toContain(Topics.InventoryReserve);
  });

  it('does not let the notifications principal produce to payments.charge', async () => {
    const producer = kafka({ sasl: scramSasl(notifications) }).producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    clients.push(producer);
    await producer.connect();
    const error = await failureOf(() =>
      producer.send({ topic: Topics.PaymentsCharge, messages: [{ key: randomUUID(), value: '{"forged":true}' }] }),
    );
    expect(errorTypes(error)).toContain('TOPIC_AUTHORIZATION_FAILED');
  });

  it('does not let the notifications principal read payments.charge', async () => {
    const consumer = kafka({ sasl: scramSasl(notifications) }).consumer({
      groupId: 'notifications-server',
      allowAutoTopicCreation: false,
    });
    clients.push(consumer);
    await consumer.connect();
    // Refused at the topic's metadata, before any group join: the running notifications service is left alone.
    const error = await failureOf(() => consumer.subscribe({ topics: [Topics.PaymentsCharge], fromBeginning: true }));
    expect(errorTypes(error)).toContain('TOPIC_AUTHORIZATION_FAILED');
    const admin = kafka({ sasl: scramSasl(notifications) }).admin();
    clients.push(admin);
    await admin.connect();
    expect(errorTypes(await failureOf(() => admin.fetchTopicOffsets(Topics.PaymentsCharge)))).toContain(
      'TOPIC_AUTHORIZATION_FAILED',
    );
  });

  it("does not let an app join another app's consumer group", async () => {
    // kafkajs tries each broker for the group's coordinator and only logs what each answered, then
    // reports "Failed to find group coordinator": the broker's answer is read from its debug log.
    const answers: string[] = [];
    const consumer = kafka({
      sasl: scramSasl(notifications),
      logLevel: logLevel.DEBUG,
      logCreator:
        () =>
        ({ log }) =>
          void answers.push(...errorTypes(log.error)),
    }).consumer({
      groupId: 'payments-server',
      allowAutoTopicCreation: false,
      retry: { retries: 0, restartOnFailure: async () => false },
    });
    clients.push(consumer);
    const crashes: unknown[] = [];
    consumer.on(consumer.events.CRASH, ({ payload }) => void crashes.push(payload.error));
    await consumer.connect();
    // A topic it may read: only the group stands in the way.
    await consumer.subscribe({ topics: [Topics.OrderConfirmed] });
    void consumer.run({ eachMessage: async () => undefined }).catch((error: unknown) => crashes.push(error));
    await eventually(
      () => {
        expect(crashes).not.toHaveLength(0);
        expect([...crashes.flatMap(errorTypes), ...answers]).toContain('GROUP_AUTHORIZATION_FAILED');
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  });
});
