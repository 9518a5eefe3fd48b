import { Request, Response } from 'express';
import { nameProcessToLocalCaller, PROCESS_ID_HEADER } from './process-id-header';

function headersFor(remoteAddress: string): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = { setHeader: (name: string, value: string) => (headers[name] = value) } as unknown as Response;
  nameProcessToLocalCaller({ socket: { remoteAddress } } as Request, response);
  return headers;
}

describe('the X-Process-Id of a health answer', () => {
  it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1'])('names the process to a caller on loopback (%s)', (address) => {
    expect(headersFor(address)).toEqual({ [PROCESS_ID_HEADER]: String(process.pid) });
  });

  it.each(['10.1.2.3', '::ffff:192.168.0.7', 'fe80::1', '128.0.0.1'])('tells no one else (%s)', (address) => {
    expect(headersFor(address)).toEqual({});
  });
});
