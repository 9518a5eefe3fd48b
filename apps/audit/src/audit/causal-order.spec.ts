import { CausalEvent, causalOrder } from './causal-order';

function event(
  eventId: string,
  occurredAt: string,
  causationId: string | null = null,
  aggregateVersion = 1,
): CausalEvent {
  return { eventId, occurredAt: `2026-11-26T12:00:${occurredAt}Z`, causationId, aggregateVersion };
}

const ids = (events: CausalEvent[]) => events.map((item) => item.eventId);

describe('causalOrder', () => {
  it('orders by time', () => {
    expect(ids(causalOrder([event('b', '02.000'), event('a', '01.000'), event('c', '03.000')]))).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('breaks a tie of one millisecond by aggregate version, then keeps the recorded order', () => {
    const events = [
      event('confirmed', '01.000', null, 4),
      event('paid', '01.000', null, 3),
      event('x', '01.000', null, 4),
    ];
    expect(ids(causalOrder(events))).toEqual(['paid', 'confirmed', 'x']);
  });

  it('never puts an event before its cause, even when the clocks disagree', () => {
    const events = [event('effect', '01.000', 'cause'), event('unrelated', '01.500'), event('cause', '02.000')];
    expect(ids(causalOrder(events))).toEqual(['unrelated', 'cause', 'effect']);
  });

  it('follows chains of causes and ignores causes that are not in the list', () => {
    const events = [
      event('c', '01.000', 'b'),
      event('b', '01.100', 'a'),
      event('a', '01.200', 'elsewhere'),
      event('d', '01.300'),
    ];
    expect(ids(causalOrder(events))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps every event when causes form a cycle', () => {
    const events = [event('a', '01.000', 'b'), event('b', '02.000', 'a')];
    expect(ids(causalOrder(events)).sort()).toEqual(['a', 'b']);
  });
});
