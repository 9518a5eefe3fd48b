/** No answer in time. The request may still take effect: callers treat it as "unknown", and commands are idempotent. */
export class RequestTimeoutError extends Error {
  constructor(
    readonly topic: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer to ${topic} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
  }
}

/**
 * The broker did not take the request: unreachable (restarting, frozen) or no acknowledgement after
 * the producer's retries. An earlier attempt may still have been written, so, as after a timeout, the
 * request may still take effect.
 */
export class RequestUndeliveredError extends Error {
  constructor(
    readonly topic: string,
    reason: string,
  ) {
    super(`${topic} not delivered: ${reason}`);
    this.name = 'RequestUndeliveredError';
  }
}

/** The service failed to handle the request (not a business rejection). */
export class RemoteServiceError extends Error {
  constructor(
    readonly topic: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteServiceError';
  }
}
