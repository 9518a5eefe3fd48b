import type { Credentials } from '../support/http';

/**
 * What a careful HTTP client does while the gateway is being killed: on a network error or a 5xx it
 * retries the same request (same Idempotency-Key) until the deadline.
 */
export async function persistently<Body>(
  url: string,
  init: { method: string; body?: unknown; headers?: Record<string, string>; credentials?: Credentials },
  accept: (status: number) => boolean,
  deadlineMs = 120_000,
): Promise<{ status: number; body: Body; retries: number }> {
  const deadline = Date.now() + deadlineMs;
  let retries = 0;
  for (;;) {
    try {
      const token = await init.credentials?.();
      const response = await fetch(url, {
        method: init.method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (accept(response.status))
        return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Body, retries };
      if (response.status < 500) throw new Error(`${init.method} ${url}: ${response.status} ${text}`);
    } catch (error) {
      if (error instanceof Error && / [1-4]\d\d /.test(error.message)) throw error;
    }
    retries += 1;
    if (Date.now() > deadline) throw new Error(`${init.method} ${url}: no answer before the deadline`);
    await new Promise((wake) => setTimeout(wake, 200 + Math.min(retries, 10) * 100));
  }
}
