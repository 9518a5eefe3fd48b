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
});
