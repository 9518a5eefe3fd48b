import { z } from 'zod';
import { httpEnv } from './env-schemas';
import { startupHttpPort, startupPort } from './startup-port';

const withDefault = z.object({ HTTP_PORT: httpEnv.HTTP_PORT.default(3101) });
const withoutDefault = z.object({ HTTP_PORT: httpEnv.HTTP_PORT });

describe('startupHttpPort', () => {
  it('is the HTTP_PORT the app was given', () => {
    expect(startupHttpPort(withDefault, { HTTP_PORT: '3999' })).toBe(3999);
  });

  it("is the app's default port when HTTP_PORT is unset or bad", () => {
    expect(startupHttpPort(withDefault, {})).toBe(3101);
    expect(startupHttpPort(withDefault, { HTTP_PORT: 'http' })).toBe(3101);
    expect(startupHttpPort(withDefault, { HTTP_PORT: '70000' })).toBe(3101);
  });

  it('is undefined when HTTP_PORT is bad and the app has no default', () => {
    expect(startupHttpPort(withoutDefault, { HTTP_PORT: 'http' })).toBeUndefined();
    expect(startupHttpPort(withoutDefault, {})).toBeUndefined();
  });
});

describe('startupPort of MANAGEMENT_PORT', () => {
  const schema = z.object({
    HTTP_PORT: httpEnv.HTTP_PORT.default(3101),
    MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4101),
  });

  it('is the MANAGEMENT_PORT the app was given, else its default', () => {
    expect(startupPort(schema, 'MANAGEMENT_PORT', { MANAGEMENT_PORT: '4999' })).toBe(4999);
    expect(startupPort(schema, 'MANAGEMENT_PORT', { MANAGEMENT_PORT: 'x' })).toBe(4101);
  });

  it('is undefined for an app without a management port', () => {
    expect(startupPort(withDefault, 'MANAGEMENT_PORT', { MANAGEMENT_PORT: '4999' })).toBeUndefined();
  });
});
