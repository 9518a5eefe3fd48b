import { settlesWithin } from './settles-within';

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is true for a promise that resolves or rejects in time', async () => {
    await expect(settlesWithin(Promise.resolve('done'), 100)).resolves.toBe(true);
    await expect(settlesWithin(Promise.reject(new Error('failed')), 100)).resolves.toBe(true);
  });

  it('is false once the time is up, and absorbs a rejection that comes later', async () => {
    let fail: (error: Error) => void = () => undefined;
    const late = new Promise((_resolve, reject) => (fail = reject));
    const outcome = settlesWithin(late, 100);
    await jest.advanceTimersByTimeAsync(100);
    await expect(outcome).resolves.toBe(false);
    fail(new Error('too late')); // would fail the test run as an unhandled rejection if not absorbed
    await jest.advanceTimersByTimeAsync(0);
  });
});
