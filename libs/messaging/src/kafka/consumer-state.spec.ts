import { Consumer } from 'kafkajs';
import { KafkaConsumerState } from './consumer-state';

describe('KafkaConsumerState', () => {
  const consumer = {
    events: { GROUP_JOIN: 'join', CRASH: 'crash', STOP: 'stop', DISCONNECT: 'disconnect' },
    on: jest.fn(),
  };

  it('is ready without a consumer for an app that has none', () => {
    expect(new KafkaConsumerState().notReadyReason).toBeNull();
  });

  it('is not ready while an expected consumer has not started (the app listens first), then ready', () => {
    const state = new KafkaConsumerState();
    state.expectConsumer();
    expect(state.notReadyReason).toBe('the consumer has not joined its group yet');
    state.watch(consumer as unknown as Consumer, 'orders');
    expect(state.notReadyReason).toBeNull();
  });

  it('reports a problem of either consumer of a read-side app, and names the first group', () => {
    const consumerWithEvents = () => {
      const listeners = new Map<string, (event: unknown) => void>();
      const fake = {
        events: consumer.events,
        on: (name: string, listener: (event: unknown) => void) => listeners.set(name, listener),
      };
      return {
        fake: fake as unknown as Consumer,
        emit: (name: string, event?: unknown) => listeners.get(name)!(event),
      };
    };
    const [events, requests] = [consumerWithEvents(), consumerWithEvents()];
    const state = new KafkaConsumerState();
    state.watch(events.fake, 'search');
    state.watch(requests.fake, 'search-requests');
    expect(state.groupId).toBe('search');
    requests.emit('crash', { payload: { error: new Error('coordinator gone') } });
    expect(state.notReadyReason).toBe('the consumer crashed: Error: coordinator gone');
    events.emit('join');
    expect(state.notReadyReason).toBe('the consumer crashed: Error: coordinator gone');
    requests.emit('join');
    expect(state.notReadyReason).toBeNull();
    events.emit('stop');
    expect(state.notReadyReason).toBe('the consumer stopped');
  });
});
