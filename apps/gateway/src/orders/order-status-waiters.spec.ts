import { OrderStatusWaiters, TooManyWaitersError } from './order-status-waiters';

describe('OrderStatusWaiters', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('wakes a waiter when its order reaches a wanted status', async () => {
    const waiters = new OrderStatusWaiters();
    const wait = waiters.wait('order-1', ['CONFIRMED', 'CANCELLED'], 5000);
    expect(waiters.notify('order-1', 'CONFIRMED')).toBe(1);
    await expect(wait.settled).resolves.toBe('reached');
    expect(waiters.size).toBe(0);
  });

  it('ignores other orders and statuses it does not wait for', async () => {
    const waiters = new OrderStatusWaiters();
    const wait = waiters.wait('order-1', ['CONFIRMED'], 5000);
    expect(waiters.notify('order-2', 'CONFIRMED')).toBe(0);
    expect(waiters.notify('order-1', 'STOCK_RESERVED')).toBe(0);
    expect(waiters.size).toBe(1);
    waiters.notify('order-1', 'CONFIRMED');
    await expect(wait.settled).resolves.toBe('reached');
  });

  it('wakes every request waiting for the same order', async () => {
    const waiters = new OrderStatusWaiters();
    const first = waiters.wait('order-1', ['CANCELLED'], 5000);
    const second = waiters.wait('order-1', ['CONFIRMED', 'CANCELLED'], 5000);
    expect(waiters.notify('order-1', 'CANCELLED')).toBe(2);
    await expect(Promise.all([first.settled, second.settled])).resolves.toEqual(['reached', 'reached']);
  });

  it('times out and forgets the waiter', async () => {
    const waiters = new OrderStatusWaiters();
    const wait = waiters.wait('order-1', ['CONFIRMED'], 1000);
    jest.advanceTimersByTime(999);
    expect(waiters.size).toBe(1);
    jest.advanceTimersByTime(1);
    await expect(wait.settled).resolves.toBe('timed-out');
    expect(waiters.size).toBe(0);
    expect(waiters.notify('order-1', 'CONFIRMED')).toBe(0);
  });

  it('cleans up a cancelled wait and its timer', async () => {
    const waiters = new OrderStatusWaiters();
    const wait = waiters.wait('order-1', ['CONFIRMED'], 1000);
    wait.cancel();
    wait.cancel();
    await expect(wait.settled).resolves.toBe('cancelled');
    expect(waiters.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('settles once: a late wake-up after the timeout changes nothing', async () => {
    const waiters = new OrderStatusWaiters();
    const wait = waiters.wait('order-1', ['CONFIRMED'], 10);
    jest.advanceTimersByTime(10);
    waiters.notify('order-1', 'CONFIRMED');
    await expect(wait.settled).resolves.toBe('timed-out');
  });

  it('refuses new waiters beyond its limit', () => {
    const waiters = new OrderStatusWaiters(2);
    waiters.wait('a', ['CONFIRMED'], 1000);
    const second = waiters.wait('b', ['CONFIRMED'], 1000);
    expect(() => waiters.wait('c', ['CONFIRMED'], 1000)).toThrow(TooManyWaitersError);
    second.cancel();
    expect(() => waiters.wait('c', ['CONFIRMED'], 1000)).not.toThrow();
  });
});
