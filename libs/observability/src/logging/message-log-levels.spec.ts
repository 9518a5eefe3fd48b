import { ExecutionContext } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import pino from 'pino';
import { messageLogLevels } from './message-log-levels';

const context = {
  getType: () => 'rpc',
  getHandler: () => undefined,
  getClass: () => undefined,
  switchToRpc: () => ({ getContext: () => ({}), getData: () => ({}) }),
} as unknown as ExecutionContext;

const options = messageLogLevels;

/** The line MessageLogContext writes when a handler's Observable errors, as JSON. */
function erroredLine(error: Error): Record<string, unknown> {
  const lines: string[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
  const level = options.customLogLevel(context, error) as pino.Level;
  const value = { err: error, responseTime: 3 };
  logger[level](options.customErrorObject(context, error, value), options.customErrorMessage(context, error));
  return JSON.parse(lines[0]);
}

describe('message log levels', () => {
  it('logs a request the handler rejected as not found at info, with its code and no stack', () => {
    const line = erroredLine(new RpcException({ code: 'NOT_FOUND', message: 'no closed window yet' }));
    expect(line).toMatchObject({
      level: 30,
      msg: 'message rejected',
      responseTime: 3,
      rejection: { code: 'NOT_FOUND', message: 'no closed window yet' },
    });
    expect(line).not.toHaveProperty('err');
    expect(JSON.stringify(line)).not.toContain('    at ');
  });

  it('logs a conflict at info and an invalid request at warn', () => {
    expect(erroredLine(new RpcException({ code: 'CONFLICT', message: 'order is already cancelled' })).level).toBe(30);
    const invalid = erroredLine(
      new RpcException({ code: 'INVALID', message: 'the request is invalid', details: ['customerId: bad'] }),
    );
    expect(invalid).toMatchObject({ level: 40, rejection: { code: 'INVALID' } });
  });

  it('keeps a failure of the handler at error, with the error and its stack', () => {
    const internal = erroredLine(new RpcException({ status: 'error', message: 'Internal server error' }));
    expect(internal).toMatchObject({ level: 50, msg: 'message errored', err: { message: 'Internal server error' } });
    expect((internal.err as { stack: string }).stack).toContain('    at ');
    expect(erroredLine(new Error('dead-letter publish failed')).level).toBe(50);
  });

  it('logs a handled message at debug', () => {
    expect(options.customLogLevel(context, undefined)).toBe('debug');
  });
});
