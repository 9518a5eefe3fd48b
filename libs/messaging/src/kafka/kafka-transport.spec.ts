import { KafkaOptions } from '@nestjs/microservices';
import { requestGroups } from '@orderflow/contracts';
import { kafkaServerTransports, ServerTransport } from './kafka-transport';
import { KafkaSettings } from './kafka-settings';

const settings = {
  brokers: ['127.0.0.1:1'],
  clientId: 'search',
  groupId: 'search',
  security: {},
} as unknown as KafkaSettings;

function consumerOptionsOf(transport: ServerTransport) {
  return (transport.strategy.strategy as unknown as { options: KafkaOptions['options'] }).options?.consumer;
}

describe('kafkaServerTransports', () => {
  it('gives an app one server for all its handlers, whose fetches return at the first record', () => {
    const [only, ...others] = kafkaServerTransports(settings, { fromBeginning: true });
    expect(others).toEqual([]);
    expect(only.groupId).toBe('search');
    expect(consumerOptionsOf(only)).toMatchObject({ groupId: 'search', maxWaitTimeInMs: 1_000 });
    expect(consumerOptionsOf(only)?.minBytes).toBeUndefined();
  });

  it('gives the read side its events in one group, waiting for a batch, and its requests in another that does not', () => {
    const [events, requests, ...others] = kafkaServerTransports(settings, { fromBeginning: true, requestsApart: true });
    expect(others).toEqual([]);
    expect([events.groupId, requests.groupId]).toEqual(['search', 'search-requests']);
    expect(consumerOptionsOf(events)).toMatchObject({ groupId: 'search', minBytes: 32 * 1024, maxWaitTimeInMs: 250 });
    expect(consumerOptionsOf(requests)).toMatchObject({ groupId: 'search-requests', maxWaitTimeInMs: 1_000 });
    expect(consumerOptionsOf(requests)?.minBytes).toBeUndefined();
  });

  it('states that the servers commit offsets themselves (OffsetCommits), for whoever reads the options', () => {
    for (const transport of kafkaServerTransports(settings, { requestsApart: true })) {
      const options = (transport.strategy.strategy as unknown as { options: KafkaOptions['options'] }).options;
      expect(options?.run).toMatchObject({ autoCommit: false });
    }
  });

  it.each(Object.entries(requestGroups))(
    "takes %s's requests in the group its contract declares (and its ACLs allow)",
    (app, declared) => {
      const [, requests] = kafkaServerTransports({ ...settings, groupId: app }, { requestsApart: true });
      // ServerKafka appends `-server` to the configured group.
      const joined = `${requests.groupId}-server`;
      if (declared!.match === 'exact') expect(joined).toBe(declared!.id);
      else expect(joined.startsWith(declared!.id)).toBe(true);
    },
  );
});
