import { IncomingMessage, ServerResponse } from 'node:http';
import { acceptedId } from './correlation-id';
import { loggerParams, loggingSettings } from './logger-options';

describe('logging options', () => {
  it('writes JSON unless a developer watches a terminal', () => {
    expect(loggingSettings('orders', { NODE_ENV: 'production' }, true).pretty).toBe(false);
    expect(loggingSettings('orders', { NODE_ENV: 'development' }, false).pretty).toBe(false);
    expect(loggingSettings('orders', { NODE_ENV: 'development', LOG_LEVEL: 'debug' }, true)).toEqual({
      service: 'orders',
      level: 'debug',
      pretty: true,
    });
  });

  it("reuses the caller's X-Request-Id for HTTP and replaces an unsafe one", () => {
    const params = loggerParams(loggingSettings('gateway', { NODE_ENV: 'production' }, false));
    const options = params.pinoHttp as { genReqId: (request: IncomingMessage, response: ServerResponse) => string };
    const response = { setHeader: jest.fn() } as unknown as ServerResponse;
    const kept = { headers: { 'x-request-id': 'abc-123' } } as unknown as IncomingMessage;
    expect(options.genReqId(kept, response)).toBe('abc-123');
    const unsafe = { headers: { 'x-request-id': 'bad\r\nheader' } } as unknown as IncomingMessage;
    const replaced = options.genReqId(unsafe, response);
    expect(replaced).toMatch(/^[0-9a-f-]{36}$/);
    expect(unsafe.headers['x-request-id']).toBe(replaced);
    expect(acceptedId(['first', 'second'])).toBe('first');
  });
});
