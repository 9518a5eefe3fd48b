import type { NotificationView, WebhookDelivery as WebhookStatus } from '@orderflow/contracts';

export interface WebhookDeliveryOptions {
  url: string;
  maxAttempts: number;
  /** The wait after the first failed attempt; doubled after each next one. */
  backoffMs: number;
  timeoutMs: number;
}

/** A notification whose webhook is PENDING, with the attempts already spent on it (before a restart too). */
export interface PendingWebhook {
  notification: NotificationView;
  attempts: number;
}

export interface WebhookStore {
  recordAttempt(id: string, attempts: number, status: Exclude<WebhookStatus, 'NOT_CONFIGURED'>): Promise<void>;
}

/** POSTs JSON; resolves with the HTTP status, rejects when there is no answer (network, timeout, abort). */
export type PostJson = (
  url: string,
  body: unknown,
  headers: Record<string, string>,
  signal: AbortSignal,
) => Promise<number>;

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface DeliveryLogger {
  warn(message: string): void;
}

type AttemptOutcome = 'delivered' | 'retry' | 'rejected';

/**
 * Delivers notifications to the webhook in the background, at least once: up to `maxAttempts` POSTs
 * with exponential backoff, each attempt recorded, so that a restart resumes where it stopped
 * (PENDING rows are scheduled again at start-up). Receivers deduplicate on `Idempotency-Key`, the
 * notification id. A 4xx other than 408/429 will not get better with retries: FAILED at once.
 */
export class WebhookDelivery {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: WebhookStore,
    private readonly options: WebhookDeliveryOptions,
    private readonly logger: DeliveryLogger,
    private readonly post: PostJson = postJson,
    private readonly sleep: Sleep = abortableSleep,
  ) {}

  /** Starts delivering unless this notification is already being delivered here. Never throws. */
  schedule(pending: PendingWebhook): void {
    const { id } = pending.notification;
    if (this.stopping.signal.aborted || this.inFlight.has(id)) return;
    const delivery = this.deliver(pending)
      .catch((error: unknown) =>
        // Left PENDING: the next start-up tries again.
        this.logger.warn(`webhook for notification ${id} interrupted: ${String(error)}`),
      )
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, delivery);
  }

  /** Resolves when every delivery started so far has finished or stopped. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  /** Aborts waits and requests in progress; their notifications stay PENDING for the next start-up. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  async deliver({ notification, attempts: spent }: PendingWebhook): Promise<void> {
    const { maxAttempts, backoffMs } = this.options;
    if (spent >= maxAttempts) return this.store.recordAttempt(notification.id, spent, 'FAILED');
    for (let attempt = spent + 1; attempt <= maxAttempts; attempt++) {
      const outcome = await this.attempt(notification);
      if (this.stopping.signal.aborted && outcome !== 'delivered') return;
      const status =
        outcome === 'delivered'
          ? 'DELIVERED'
          : outcome === 'rejected' || attempt === maxAttempts
            ? 'FAILED'
            : 'PENDING';
      await this.store.recordAttempt(notification.id, attempt, status);
      if (status !== 'PENDING') return;
      await this.sleep(backoffMs * 2 ** (attempt - 1), this.stopping.signal).catch(() => undefined);
      if (this.stopping.signal.aborted) return;
    }
  }

  private async attempt(notification: NotificationView): Promise<AttemptOutcome> {
    const signal = AbortSignal.any([this.stopping.signal, AbortSignal.timeout(this.options.timeoutMs)]);
    const headers = { 'Idempotency-Key': notification.id };
    try {
      const status = await this.post(this.options.url, notification, headers, signal);
      if (status >= 200 && status < 300) return 'delivered';
      this.logger.warn(`webhook answered ${status} for notification ${notification.id}`);
      return status >= 400 && status < 500 && status !== 408 && status !== 429 ? 'rejected' : 'retry';
    } catch (error) {
      this.logger.warn(`webhook unreachable for notification ${notification.id}: ${String(error)}`);
      return 'retry';
    }
  }
}

async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
  await response.body?.cancel();
  return response.status;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
