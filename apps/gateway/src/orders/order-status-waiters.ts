import type { OrderStatus } from '@orderflow/contracts';

export type WaitOutcome = 'reached' | 'timed-out' | 'cancelled';

export interface StatusWait {
  /** Settles once: the order reached a wanted status, the time is up, or the wait was cancelled. */
  readonly settled: Promise<WaitOutcome>;
  /** Releases the registration; safe to call more than once and after settling. */
  cancel(): void;
}

/** Too many requests are waiting on this instance; the caller should retry later. */
export class TooManyWaitersError extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} requests are waiting for an order status`);
    this.name = 'TooManyWaitersError';
  }
}

interface Waiter {
  statuses: ReadonlySet<OrderStatus>;
  settle(outcome: WaitOutcome): void;
}

/**
 * In-memory registry of HTTP requests waiting for an order to reach a status, fed by this instance's
 * own `order.status-changed` consumer. Each gateway instance consumes every status change (a group per
 * instance), so whichever instance holds the request can wake it. A missed event costs only latency:
 * the caller reads the order again when its time is up.
 */
export class OrderStatusWaiters {
  private readonly byOrder = new Map<string, Set<Waiter>>();
  private count = 0;

  constructor(private readonly limit = 10_000) {}

  get size(): number {
    return this.count;
  }

  /** Register before reading the order's current state, or a change in between is never seen. */
  wait(orderId: string, statuses: readonly OrderStatus[], timeoutMs: number): StatusWait {
    if (this.count >= this.limit) throw new TooManyWaitersError(this.limit);
    let settle: (outcome: WaitOutcome) => void = () => {};
    const settled = new Promise<WaitOutcome>((resolve) => {
      let isSettled = false;
      const timer = setTimeout(() => settle('timed-out'), timeoutMs);
      const waiter: Waiter = {
        statuses: new Set(statuses),
        settle: (outcome) => settle(outcome),
      };
      settle = (outcome) => {
        if (isSettled) return;
        isSettled = true;
        clearTimeout(timer);
        this.remove(orderId, waiter);
        resolve(outcome);
      };
      this.add(orderId, waiter);
    });
    return { settled, cancel: () => settle('cancelled') };
  }

  /** Wakes the requests waiting for `orderId` to reach `status`; returns how many were woken. */
  notify(orderId: string, status: OrderStatus): number {
    const waiters = [...(this.byOrder.get(orderId) ?? [])].filter((waiter) => waiter.statuses.has(status));
    for (const waiter of waiters) waiter.settle('reached');
    return waiters.length;
  }

  private add(orderId: string, waiter: Waiter): void {
    const waiters = this.byOrder.get(orderId) ?? new Set<Waiter>();
    waiters.add(waiter);
    this.byOrder.set(orderId, waiters);
    this.count += 1;
  }

  private remove(orderId: string, waiter: Waiter): void {
    const waiters = this.byOrder.get(orderId);
    if (!waiters?.delete(waiter)) return;
    this.count -= 1;
    if (waiters.size === 0) this.byOrder.delete(orderId);
  }
}
