import { KafkaOptions } from '@nestjs/microservices';
import { kafkaClientTransport, kafkaServerTransport } from './kafka-transport';
import { KafkaSettings } from './kafka-settings';

/** The least time kafkajs spends retrying before it gives up: its jitter takes up to 20% off each wait. */
function leastRetryMs(retry: { initialRetryTime?: number; retries?: number } | undefined): number {
  // kafkajs's consumer default when none is given.
  const { initialRetryTime = 300, retries = 5 } = retry ?? {};
  let total = 0;
  for (let attempt = 0; attempt < retries; attempt += 1) total += initialRetryTime * 2 ** attempt * 0.8;
  return total;
}

/** A group coordinator's failover: fenced after broker.session.timeout.ms (9 s), then a new leader (11 s seen). */
const COORDINATOR_FAILOVER_MS = 15_000;

const settings = {
  brokers: ['127.0.0.1:1'],
  clientId: 'orders',
  groupId: 'orders',
  security: {},
} as unknown as KafkaSettings;

describe('the consumers\u2019 retries', () => {
  it.each([
    [
      'the server (event and request handlers)',
      (kafkaServerTransport(settings).strategy as unknown as { options: KafkaOptions['options'] }).options,
    ],
    ['the request client (its replies)', kafkaClientTransport(settings).options],
  ])('outlast a group coordinator\u2019s failover for %s', (_name, options) => {
    expect(leastRetryMs(options?.consumer?.retry)).toBeGreaterThan(COORDINATOR_FAILOVER_MS);
  });
});
