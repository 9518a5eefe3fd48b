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

/** The service failed (not a business rejection), or the request could not be sent. */
export class RemoteServiceError extends Error {
  constructor(
    readonly topic: string,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteServiceError';
  }
}
