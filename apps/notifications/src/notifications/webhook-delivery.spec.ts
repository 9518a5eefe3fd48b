import type { NotificationView } from '@orderflow/contracts';
import { PostJson, WebhookDelivery, WebhookStore } from './webhook-delivery';

const notification: NotificationView = {
  id: 'f0d4c1a2-3b4c-4d5e-8f60-718293a4b5c6',
  customerId: 'alice',
  orderId: '0b7c8d4e-5f60-4a71-8b92-a3b4c5d6e7f8',
  kind: 'ORDER_CONFIRMED',
  message: 'Your order is confirmed.',
  webhook: 'PENDING',
  createdAt: '2026-11-26T12:00:00.000Z',
};

const options = { url: 'http://hooks.example/orders', maxAttempts: 5, backoffMs: 100, timeoutMs: 1000 };

function setUp(answers: (number | Error)[]) {
  const recorded: [number, string][] = [];
  const store: WebhookStore = {
    recordAttempt: async (_id, attempts, status) => {
      recorded.push([attempts, status]);
    },
  };
  const posted: { body: unknown; headers: Record<string, string> }[] = [];
  const post: PostJson = async (_url, body, headers) => {
    posted.push({ body, headers });
    const answer = answers.shift() ?? 500;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  const warnings: string[] = [];
  const delivery = new WebhookDelivery(store, options, { warn: (text) => warnings.push(text) }, post, sleep);
  return { delivery, recorded, posted, waits, warnings };
}

describe('WebhookDelivery', () => {
  it('posts the notification once when the webhook accepts it', async () => {
    const { delivery, recorded, posted, waits } = setUp([204]);
    await delivery.deliver({ notification, attempts: 0 });
    expect(recorded).toEqual([[1, 'DELIVERED']]);
    expect(posted).toEqual([{ body: notification, headers: { 'Idempotency-Key': notification.id } }]);
    expect(waits).toEqual([]);
  });

  it('retries failures with exponential backoff, recording each attempt', async () => {
    const { delivery, recorded, waits } = setUp([503, new Error('ECONNREFUSED'), 200]);
    await delivery.deliver({ notification, attempts: 0 });
    expect(recorded).toEqual([
      [1, 'PENDING'],
      [2, 'PENDING'],
      [3, 'DELIVERED'],
    ]);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up as FAILED after the last attempt', async () => {
    const { delivery, recorded, posted } = setUp([500, 500, 500, 500, 500, 500]);
    await delivery.deliver({ notification, attempts: 0 });
    expect(posted).toHaveLength(5);
    expect(recorded.at(-1)).toEqual([5, 'FAILED']);
  });

  it('fails at once on a client error that retrying cannot fix, but retries 429', async () => {
    const rejected = setUp([400]);
    await rejected.delivery.deliver({ notification, attempts: 0 });
    expect(rejected.recorded).toEqual([[1, 'FAILED']]);

    const throttled = setUp([429, 200]);
    await throttled.delivery.deliver({ notification, attempts: 0 });
    expect(throttled.recorded).toEqual([
      [1, 'PENDING'],
      [2, 'DELIVERED'],
    ]);
  });

  it('resumes after a restart with the attempts already spent', async () => {
    const { delivery, recorded, posted, waits } = setUp([500, 200]);
    await delivery.deliver({ notification, attempts: 3 });
    expect(posted).toHaveLength(2);
    expect(recorded).toEqual([
      [4, 'PENDING'],
      [5, 'DELIVERED'],
    ]);
    expect(waits).toEqual([800]);
  });

  it('marks FAILED without posting when every attempt was spent before a restart', async () => {
    const { delivery, recorded, posted } = setUp([]);
    await delivery.deliver({ notification, attempts: 5 });
    expect(posted).toHaveLength(0);
    expect(recorded).toEqual([[5, 'FAILED']]);
  });

  it('delivers in the background, once per notification even if scheduled twice', async () => {
    const { delivery, posted } = setUp([200]);
    delivery.schedule({ notification, attempts: 0 });
    delivery.schedule({ notification, attempts: 0 });
    await delivery.idle();
    expect(posted).toHaveLength(1);
  });

  it('stops without marking anything when shut down mid-delivery', async () => {
    const recorded: string[] = [];
    const store: WebhookStore = { recordAttempt: async (_id, _n, status) => void recorded.push(status) };
    const post: PostJson = (_url, _body, _headers, signal) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    const delivery = new WebhookDelivery(store, options, { warn: () => {} }, post);
    delivery.schedule({ notification, attempts: 0 });
    await delivery.stop();
    expect(recorded).toEqual([]);
    delivery.schedule({ notification, attempts: 0 });
    await delivery.idle();
    expect(recorded).toEqual([]);
  });
});
