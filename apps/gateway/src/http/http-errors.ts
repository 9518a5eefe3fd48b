import {
  RemoteServiceError,
  RequestRejectedError,
  RequestTimeoutError,
  RequestUndeliveredError,
} from '@orderflow/messaging';
import { BearerChallengeError, IdentityProviderUnavailableError } from '../auth/bearer-challenge';
import { TooManyWaitersError } from '../orders/order-status-waiters';

/** What the client receives. Never a stack trace: unexpected errors are logged, not sent. */
export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
}

export interface HttpError {
  status: number;
  body: HttpErrorBody;
  /** A bug or an outage rather than a client mistake: log it with its stack. */
  isUnexpected: boolean;
  /** Response headers the answer needs, e.g. `WWW-Authenticate` on a 401 or 403. */
  headers?: Record<string, string>;
}

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Nest's HttpException, recognised by shape so that this mapping stays free of Nest (and unit-testable). */
interface HttpExceptionLike {
  getStatus(): number;
  getResponse(): string | object;
}

/** What Express's body parser throws, e.g. `type: 'entity.parse.failed'` for a body that is not JSON. */
interface BodyParserError {
  type: string;
  status: number;
  expose: boolean;
}

/** Maps anything a handler throws to the HTTP answer. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof BearerChallengeError) {
    return { ...answer(error.status, error.message), headers: { 'WWW-Authenticate': error.challenge } };
  }
  if (error instanceof IdentityProviderUnavailableError) {
    return { ...answer(503, error.message), isUnexpected: true };
  }
  if (error instanceof RequestRejectedError) return fromRejection(error);
  if (error instanceof RequestTimeoutError) {
    return answer(504, `${serviceOf(error.topic)} did not answer in time; the request may still take effect`);
  }
  if (error instanceof RequestUndeliveredError) {
    return answer(504, `${serviceOf(error.topic)} could not be reached; the request may still take effect`);
  }
  if (error instanceof RemoteServiceError) {
    return { ...answer(502, `${serviceOf(error.topic)} failed to handle the request`), isUnexpected: true };
  }
  if (error instanceof TooManyWaitersError) return answer(503, 'too many requests are waiting; retry later');
  // Nest's Express adapter wraps the body parser's error in a BadRequestException (as its cause).
  if (isJsonParseFailure(error) || (error instanceof Error && isJsonParseFailure(error.cause))) {
    return answer(400, ['body: must be valid JSON']);
  }
  if (isHttpException(error)) return fromHttpException(error);
  if (isBodyParserError(error)) {
    return answer(error.status, error.expose && error instanceof Error ? error.message : reasonOf(error.status));
  }
  return { ...answer(500, 'Internal server error'), isUnexpected: true };
}

function fromRejection(error: RequestRejectedError): HttpError {
  switch (error.code) {
    case 'INVALID':
      // Always a list, like the gateway's own validation errors.
      return answer(400, error.details?.length ? error.details : [error.message]);
    case 'NOT_FOUND':
      return answer(404, error.message);
    case 'CONFLICT':
      return answer(409, error.message);
    default: {
      const _exhaustive: never = error.code;
      return { ...answer(500, 'Internal server error'), isUnexpected: true };
    }
  }
}

function fromHttpException(error: HttpExceptionLike): HttpError {
  const status = error.getStatus();
  const response = error.getResponse();
  if (typeof response === 'string') return answer(status, response);
  const { message, error: phrase } = response as Partial<HttpErrorBody>;
  return {
    status,
    body: { statusCode: status, error: phrase ?? reasonOf(status), message: message ?? reasonOf(status) },
    isUnexpected: status >= 500,
  };
}

function answer(status: number, message: string | string[]): HttpError {
  return { status, body: { statusCode: status, error: reasonOf(status), message }, isUnexpected: false };
}

function reasonOf(status: number): string {
  return reasonPhrases[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

/** `orders.create` → orders, `inventory.products.get` → inventory. */
function serviceOf(topic: string): string {
  return topic.split('.')[0] ?? topic;
}

function isHttpException(error: unknown): error is HttpExceptionLike {
  const candidate = error as Partial<HttpExceptionLike> | null;
  return typeof candidate?.getStatus === 'function' && typeof candidate.getResponse === 'function';
}

function isJsonParseFailure(error: unknown): boolean {
  return isBodyParserError(error) && error.type === 'entity.parse.failed';
}

function isBodyParserError(error: unknown): error is BodyParserError & Error {
  const candidate = error as Partial<BodyParserError> | null;
  return (
    typeof candidate?.type === 'string' &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}
