import { ClientKafka } from '@nestjs/microservices';
import { MessageHeaders, Topics } from '@orderflow/contracts';
import { KafkaJSNonRetriableError } from 'kafkajs';
import { defer, lastValueFrom, of, throwError } from 'rxjs';
import { asPrincipal } from '../handling/principal-context';
import { KafkaSettings } from '../kafka/kafka-settings';
import { RequestClient } from './request-client';
import { RemoteServiceError, RequestUndeliveredError } from './request-errors';

const settings: KafkaSettings = {
  brokers: ['127.0.0.1:9092'],
  clientId: 'gateway-test',
  groupId: 'gateway',
  instanceId: 'test',
  partitionsConsumedConcurrently: 1,
  topicPartitions: 1,
  requestTimeoutMs: 1_000,
  replicationFactor: 1,
  maxAttempts: 1,
  retryBackoffMs: 1,
  shutdownTimeoutMs: 1_000,
  security: {},
};

describe('RequestClient', () => {
  afterEach(() => jest.restoreAllMocks());

  it('names the principal of the work in hand in x-principal, an explicit one first, and nobody outside any work', async () => {
    // No broker here: ClientKafka's send answers at once.
    const send = jest.spyOn(ClientKafka.prototype, 'send').mockReturnValue(of({ ok: true }) as never);
    const client = new RequestClient(settings);
    const request = (principal?: string) =>
      client.request(Topics.OrdersGet, { orderId: 'o-1' }, { correlationId: 'c-1', principal });

    await lastValueFrom(asPrincipal('customer:alice', () => defer(() => request())));
    await request('operator:olga');
    await request();

    const headers = send.mock.calls.map(([, record]) => (record as { headers: Record<string, string> }).headers);
    expect(headers[0]).toMatchObject({
      [MessageHeaders.CorrelationId]: 'c-1',
      [MessageHeaders.Principal]: 'customer:alice',
    });
    expect(headers[1]).toMatchObject({ [MessageHeaders.Principal]: 'operator:olga' });
    expect(headers[2]).not.toHaveProperty(MessageHeaders.Principal);
  });

  it('tells a request the broker did not take (the producer gave up) from a service that failed', async () => {
    const send = jest.spyOn(ClientKafka.prototype, 'send');
    const client = new RequestClient(settings);
    const request = () => client.request(Topics.OrdersGet, { orderId: 'o-1' }, { correlationId: 'c-1' });

    send.mockReturnValue(throwError(() => new KafkaJSNonRetriableError('Connection error: connect ECONNREFUSED')));
    await expect(request()).rejects.toBeInstanceOf(RequestUndeliveredError);
    send.mockReturnValue(throwError(() => ({ status: 'error', message: 'Internal server error' })));
    await expect(request()).rejects.toBeInstanceOf(RemoteServiceError);
  });
});
