import { Logger } from '@nestjs/common';
import { fixRequestQueueTimerLoop, kafkajsRequestQueue, RequestQueueFixOutcome } from './request-queue-timer-fix';
import { installedVersion, VERIFIED_VERSIONS } from './verified-versions';

interface TestableRequestQueue {
  pending: unknown[];
  inflight: Map<number, unknown>;
  push(request: { entry: Entry; expectResponse: boolean; sendRequest: () => void }): void;
  fulfillRequest(response: { correlationId: number; payload: Buffer; size: number }): void;
  maybeThrottle(milliseconds: number): void;
  checkPendingRequests(): void;
  destroy(): void;
}

interface Entry {
  correlationId: number;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  resolve: jest.Mock;
  reject: jest.Mock;
}

const silentLogger = { debug: () => undefined, warn: () => undefined, error: () => undefined, info: () => undefined };

function requestQueue(maxInFlightRequests: number | null = null): TestableRequestQueue {
  const RequestQueue = kafkajsRequestQueue() as unknown as new (options: object) => TestableRequestQueue;
  return new RequestQueue({
    maxInFlightRequests,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: silentLogger,
  });
}

function request(correlationId: number) {
  const entry: Entry = {
    correlationId,
    apiKey: 1,
    apiName: 'Fetch',
    apiVersion: 11,
    resolve: jest.fn(),
    reject: jest.fn(),
  };
  return { entry, expectResponse: true, sendRequest: jest.fn() };
}

function answer(queue: TestableRequestQueue, correlationId: number): void {
  queue.fulfillRequest({ correlationId, payload: Buffer.alloc(0), size: 0 });
}

describe('the kafkajs request-queue timer fix', () => {
  let queue: TestableRequestQueue;

  beforeAll(() => {
    expect(fixRequestQueueTimerLoop()).toEqual({ isApplied: true });
  });

  beforeEach(() => jest.useFakeTimers());

  afterEach(() => {
    queue?.destroy();
    jest.useRealTimers();
  });

  it('is written for the installed kafkajs (an upgrade must decide whether it is still needed)', () => {
    expect(installedVersion('kafkajs')).toBe(VERIFIED_VERSIONS.kafkajs);
  });

  it('leaves no timer running once every request is answered', () => {
    queue = requestQueue();
    const first = request(1);
    queue.push(first);
    answer(queue, 1);
    expect(first.entry.resolve).toHaveBeenCalled();

    const checks = jest.spyOn(queue, 'checkPendingRequests');
    jest.advanceTimersByTime(1_000);

    expect(jest.getTimerCount()).toBe(0);
    expect(checks).not.toHaveBeenCalled();
  });

  it('sends a request held back by broker throttling as soon as the throttle ends', () => {
    queue = requestQueue();
    queue.maybeThrottle(50);
    const held = request(1);
    queue.push(held);
    expect(held.sendRequest).not.toHaveBeenCalled();

    jest.advanceTimersByTime(49);
    expect(held.sendRequest).not.toHaveBeenCalled();
    jest.advanceTimersByTime(2);
    expect(held.sendRequest).toHaveBeenCalledTimes(1);

    answer(queue, 1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends a request waiting for an in-flight slot when the slot frees', () => {
    queue = requestQueue(1);
    const first = request(1);
    const second = request(2);
    queue.push(first);
    queue.push(second);
    expect(second.sendRequest).not.toHaveBeenCalled();

    answer(queue, 1);
    expect(second.sendRequest).toHaveBeenCalledTimes(1);
    answer(queue, 2);
    expect(second.entry.resolve).toHaveBeenCalled();
    expect(queue.pending).toHaveLength(0);
    jest.runOnlyPendingTimers(); // the recheck armed while the second waited finds nothing and stays off
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('applying the kafkajs request-queue timer fix', () => {
  /** A fresh copy of the module (its once-per-process state), seeing the given kafkajs version. */
  function freshFix(kafkajsVersion: string): {
    applyRequestQueueTimerFix(logger: Pick<Logger, 'warn'>): RequestQueueFixOutcome;
  } {
    let fix: ReturnType<typeof freshFix> | undefined;
    jest.isolateModules(() => {
      jest.doMock('./verified-versions', () => ({
        ...jest.requireActual<object>('./verified-versions'),
        installedVersion: () => kafkajsVersion,
      }));
      fix = jest.requireActual<ReturnType<typeof freshFix>>('./request-queue-timer-fix');
    });
    return fix!;
  }

  afterEach(() => jest.dontMock('./verified-versions'));

  it('leaves another kafkajs version as shipped, and says why once, however often it is asked', () => {
    const { applyRequestQueueTimerFix } = freshFix('2.2.5');
    const logger = { warn: jest.fn() };
    const original = kafkajsRequestQueue().prototype.scheduleCheckPendingRequests;

    expect(applyRequestQueueTimerFix(logger)).toEqual({
      isApplied: false,
      reason: `kafkajs 2.2.5 is installed and the fix is written for ${VERIFIED_VERSIONS.kafkajs}`,
    });
    applyRequestQueueTimerFix(logger);

    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain('the kafkajs request-queue timer fix is not applied');
    expect(logger.warn.mock.calls[0][0]).toContain('kafkajs 2.2.5 is installed');
    expect(kafkajsRequestQueue().prototype.scheduleCheckPendingRequests).toBe(original);
  });

  it('applies it to the verified version without a word', () => {
    const { applyRequestQueueTimerFix } = freshFix(VERIFIED_VERSIONS.kafkajs);
    const logger = { warn: jest.fn() };
    expect(applyRequestQueueTimerFix(logger)).toEqual({ isApplied: true });
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
