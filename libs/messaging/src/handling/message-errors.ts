import { ReplyErrorCode, ReplyErrorReason } from '@orderflow/contracts';

/** A message that can never be handled as it is: it goes to the dead-letter topic at once, or back to the caller. */
export class InvalidMessageError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid message: ${problems.join('; ')}`);
    this.name = 'InvalidMessageError';
  }
}

/**
 * A business answer to a request, not a failure: unknown id, conflicting state, bad input.
 * Services throw it without knowing the transport; request-reply handlers send it back as `ReplyError`.
 */
export class RequestRejectedError extends Error {
  constructor(
    readonly code: ReplyErrorCode,
    message: string,
    readonly details?: string[],
    readonly reason?: ReplyErrorReason,
  ) {
    super(message);
    this.name = 'RequestRejectedError';
  }

  static notFound(message: string): RequestRejectedError {
    return new RequestRejectedError('NOT_FOUND', message);
  }

  static conflict(message: string): RequestRejectedError {
    return new RequestRejectedError('CONFLICT', message);
  }

  /** The request's idempotency key came before with another request (a CONFLICT to callers that predate it). */
  static idempotencyKeyReused(message: string): RequestRejectedError {
    return new RequestRejectedError('CONFLICT', message, undefined, 'IDEMPOTENCY_KEY_REUSED');
  }
}
