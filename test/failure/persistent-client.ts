import type { Credentials } from '../support/http';

/** Why the client sent a request again: a 5xx answer, or no answer at all. */
export interface Retry {
  /** `HTTP 504`, `network ECONNREFUSED`, `timeout`, ... */
  cause: string;
  status?: number;
  /** The start of a 5xx answer's body, to tell what the server said. */
  answer?: string;
}

export interface PersistentAnswer<Body> {
  status: number;
  body: Body;
  retries: number;
  /** One entry per retry, in order. */
  retryLog: Retry[];
}

/**
 * What a careful HTTP client does while the gateway is being killed: on a network error or a 5xx it
 * retries the same request (same Idempotency-Key) until the deadline, and says why it retried.
 */
export async function persistently<Body>(
  url: string,
  init: { method: string; body?: unknown; headers?: Record<string, string>; credentials?: Credentials },
  accept: (status: number) => boolean,
  deadlineMs = 120_000,
): Promise<PersistentAnswer<Body>> {
  const deadline = Date.now() + deadlineMs;
  const retryLog: Retry[] = [];
  for (;;) {
    let retry: Retry;
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
      if (accept(response.status)) {
        const body = (text ? JSON.parse(text) : undefined) as Body;
        return { status: response.status, body, retries: retryLog.length, retryLog };
      }
      if (response.status < 500) throw new ClientError(`${init.method} ${url}: ${response.status} ${text}`);
      retry = { cause: `HTTP ${response.status}`, status: response.status, answer: text.slice(0, 300) };
    } catch (error) {
      if (error instanceof ClientError) throw error;
      retry = { cause: causeOf(error) };
    }
    retryLog.push(retry);
    if (Date.now() > deadline) throw new Error(`${init.method} ${url}: no answer before the deadline`);
    await new Promise((wake) => setTimeout(wake, 200 + Math.min(retryLog.length, 10) * 100));
  }
}

/** A 4xx the caller did not accept: the request itself is wrong, retrying would not help. */
class ClientError extends Error {}

/** `timeout` (no answer within the client's limit) or `network <code>` (refused, reset, ...). */
function causeOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return `network ${code ?? (error instanceof Error ? error.message : String(error))}`;
}
