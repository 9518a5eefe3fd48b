import { AsyncLocalStorage } from 'node:async_hooks';
import { MessageHeaders } from '@orderflow/contracts';
import { Observable } from 'rxjs';

const principals = new AsyncLocalStorage<string | undefined>();

/** Kafka header values reach a handler as strings (Nest's parser) or Buffers (kafkajs). */
type HeaderValue = string | Buffer | (string | Buffer)[] | undefined;

/** The principal a consumed message names in its `x-principal` header; undefined when it names none. */
export function principalOf(headers: Record<string, unknown> | undefined): string | undefined {
  const header = headers?.[MessageHeaders.Principal] as HeaderValue;
  const value = Array.isArray(header) ? header[0] : header;
  const text = Buffer.isBuffer(value) ? value.toString('utf8') : value;
  return typeof text === 'string' && text.length > 0 ? text.slice(0, 256) : undefined;
}

/**
 * The principal on whose behalf the current work runs: the caller of an HTTP request at the gateway,
 * the `x-principal` of the message a handler is handling. Every request sent (RequestClient) and every
 * message written to the outbox (MessageTransactions) while it runs carries it, the way a saga's
 * events carry the correlation id of the request that started it, without every handler passing it on.
 */
export function currentPrincipal(): string | undefined {
  return principals.getStore();
}

/**
 * Runs `work` on behalf of `principal` (none: on behalf of nobody, not of the surrounding work).
 * `work` is called inside: Nest binds a handler's async scope when `CallHandler.handle()` is called,
 * so it must be called here, not before.
 */
export function asPrincipal<T>(principal: string | undefined, work: () => Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => runAsPrincipal(principal, () => work().subscribe(subscriber)));
}

/** Calls `work` at once on behalf of `principal`, for a caller that builds its own Observable. */
export function runAsPrincipal<T>(principal: string | undefined, work: () => T): T {
  return principals.run(principal, work);
}
