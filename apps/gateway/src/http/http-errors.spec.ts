import {
  RemoteServiceError,
  RequestRejectedError,
  RequestTimeoutError,
  RequestUndeliveredError,
} from '@orderflow/messaging';
import { BearerChallengeError, IdentityProviderUnavailableError } from '../auth/bearer-challenge';
import { TooManyWaitersError } from '../orders/order-status-waiters';
import { toHttpError } from './http-errors';

/** Stands in for Nest's HttpException (same shape; Jest cannot load Nest's ES modules). */
class FakeHttpException extends Error {
  constructor(
    private readonly response: string | object,
    private readonly status: number,
  ) {
    super('http exception');
  }
  getStatus(): number {
    return this.status;
  }
  getResponse(): string | object {
    return this.response;
  }
}

describe('toHttpError', () => {
  it('maps an INVALID rejection to 400 with its details', () => {
    const error = new RequestRejectedError('INVALID', 'the request is invalid', [
      'items: each sku may appear only once',
    ]);
    expect(toHttpError(error)).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: ['items: each sku may appear only once'] },
      isUnexpected: false,
    });
  });

  it('lists the message of an INVALID rejection without details', () => {
    const error = new RequestRejectedError('INVALID', 'cursor is not one this API returned');
    expect(toHttpError(error).body.message).toEqual(['cursor is not one this API returned']);
  });

  it('maps NOT_FOUND to 404 and CONFLICT to 409', () => {
    expect(toHttpError(RequestRejectedError.notFound('order x does not exist'))).toMatchObject({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'order x does not exist' },
    });
    expect(toHttpError(RequestRejectedError.conflict('order x is already cancelled'))).toMatchObject({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'order x is already cancelled' },
    });
  });

  it('maps a request timeout to 504, naming the service and warning that it may still take effect', () => {
    const mapped = toHttpError(new RequestTimeoutError('orders.create', 5000));
    expect(mapped.status).toBe(504);
    expect(mapped.body.message).toBe('orders did not answer in time; the request may still take effect');
  });

  it('maps a request the broker did not take to 504: it may still have been written', () => {
    const mapped = toHttpError(new RequestUndeliveredError('orders.create', 'Connection error: connect ECONNREFUSED'));
    expect(mapped).toMatchObject({ status: 504, isUnexpected: false });
    expect(mapped.body.message).toBe('orders could not be reached; the request may still take effect');
  });

  it('maps a failing service to 502 without its internals', () => {
    const mapped = toHttpError(new RemoteServiceError('inventory.products.get', 'inventory.products.get failed'));
    expect(mapped).toMatchObject({ status: 502, isUnexpected: true });
    expect(mapped.body.message).toBe('inventory failed to handle the request');
  });

  it('answers 503 when this instance holds too many waiting requests', () => {
    expect(toHttpError(new TooManyWaitersError(10))).toMatchObject({ status: 503, isUnexpected: false });
  });

  it('keeps the body of an HttpException, such as a validation failure', () => {
    const validation = new FakeHttpException(
      { statusCode: 400, error: 'Bad Request', message: ['items.0.quantity: quantity must not be less than 1'] },
      400,
    );
    expect(toHttpError(validation)).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: ['items.0.quantity: quantity must not be less than 1'] },
      isUnexpected: false,
    });
    expect(toHttpError(new FakeHttpException('Cannot GET /nope', 404)).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Cannot GET /nope',
    });
  });

  it('answers 400 to a body that is not JSON', () => {
    const parseFailure = Object.assign(new SyntaxError('Unexpected token } in JSON at position 1'), {
      type: 'entity.parse.failed',
      status: 400,
      expose: true,
    });
    expect(toHttpError(parseFailure)).toMatchObject({ status: 400, body: { message: ['body: must be valid JSON'] } });
    const wrappedByNest = Object.assign(new FakeHttpException('Unexpected end of JSON input', 400), {
      cause: parseFailure,
    });
    expect(toHttpError(wrappedByNest)).toMatchObject({ status: 400, body: { message: ['body: must be valid JSON'] } });
  });

  it('answers a refused token with RFC 6750 challenges: 401 without an error when none was sent, 403 for too little', () => {
    expect(toHttpError(BearerChallengeError.missing())).toEqual({
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'a bearer token is required' },
      isUnexpected: false,
      headers: { 'WWW-Authenticate': 'Bearer realm="orderflow"' },
    });
    expect(toHttpError(BearerChallengeError.invalidToken('the token has expired')).headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="orderflow", error="invalid_token", error_description="the token has expired"',
    });
    const forbidden = toHttpError(
      BearerChallengeError.insufficientScope('a client may not do this', ['products:write']),
    );
    expect(forbidden).toMatchObject({ status: 403, body: { error: 'Forbidden' } });
    expect(forbidden.headers?.['WWW-Authenticate']).toBe(
      'Bearer realm="orderflow", error="insufficient_scope", error_description="a client may not do this", scope="products:write"',
    );
  });

  it('answers 503 when the identity provider cannot be reached, which is no fault of the caller', () => {
    expect(toHttpError(new IdentityProviderUnavailableError(new Error('connect ECONNREFUSED')))).toMatchObject({
      status: 503,
      isUnexpected: true,
    });
  });

  it('hides anything unexpected behind a generic 500', () => {
    const mapped = toHttpError(new TypeError('cannot read properties of undefined (reading "id")'));
    expect(mapped).toEqual({
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error' },
      isUnexpected: true,
    });
    expect(JSON.stringify(mapped.body)).not.toContain('undefined');
  });
});
