import { schemaVersions } from '@orderflow/contracts';
import { inspectMessage } from './message-inspection';
import { asCurrentVersion, declaredVersion, unreadableVersion, versionProblem } from './message-versions';

const envelope = (fields: object = {}) => ({ type: 'inventory.rejected', payload: {}, ...fields });

describe('declaredVersion', () => {
  it('is 1 for a message that names none, as producers from before versions send', () => {
    expect(declaredVersion('inventory.rejected', { value: envelope(), headers: {} })).toEqual({ version: 1 });
  });

  it('reads the envelope, the header, or both when they agree', () => {
    expect(declaredVersion('inventory.rejected', { value: envelope({ schemaVersion: 2 }) })).toEqual({ version: 2 });
    const header = { 'x-schema-version': '2' };
    expect(declaredVersion('inventory.rejected', { value: envelope(), headers: header })).toEqual({ version: 2 });
    expect(declaredVersion('inventory.rejected', { value: envelope({ schemaVersion: 2 }), headers: header })).toEqual({
      version: 2,
    });
  });

  it('reads a request from its header alone: its value is the payload, whatever fields it has', () => {
    const request = {
      value: { orderId: 'o-1', schemaVersion: 'a payload field' },
      headers: { 'x-schema-version': '1' },
    };
    expect(declaredVersion('orders.get', request)).toEqual({ version: 1 });
  });

  it.each([
    ['a header that is not a whole number', envelope(), { 'x-schema-version': '2.5' }, 'is not a whole number'],
    ['a header of zero', envelope(), { 'x-schema-version': '0' }, 'is not a whole number'],
    ['an envelope version that is text', envelope({ schemaVersion: '2' }), {}, 'is not a whole number'],
    ['an envelope version below 1', envelope({ schemaVersion: 0 }), {}, 'is not a whole number'],
    ['a header and an envelope that disagree', envelope({ schemaVersion: 1 }), { 'x-schema-version': '2' }, 'says 2'],
  ])('refuses %s', (_name, value, headers, problem) => {
    const declared = declaredVersion('inventory.rejected', { value, headers });
    expect(declared).toEqual({ problem: expect.stringContaining(problem) });
  });
});

describe('unreadableVersion', () => {
  it('reads the current version and the one before it', () => {
    expect(unreadableVersion('t', 3, 3)).toBeUndefined();
    expect(unreadableVersion('t', 2, 3)).toBeUndefined();
  });

  it('refuses a newer version and one older than the previous, saying which it reads', () => {
    expect(unreadableVersion('t', 4, 3)).toBe(
      't version 4 is newer than this consumer reads (3); replay it once its consumers are deployed',
    );
    expect(unreadableVersion('t', 1, 3)).toBe('t version 1 is too old: this consumer reads 2 (upcast) and 3');
  });
});

describe('versionProblem', () => {
  it('leaves topics without a schema version alone', () => {
    expect(versionProblem('bench.events', { value: { schemaVersion: 99 } })).toBeUndefined();
  });

  it('is what inspection dead-letters a message for, after its type is checked', () => {
    const future = { value: envelope({ schemaVersion: schemaVersions['inventory.rejected'] + 1 }) };
    expect(inspectMessage('inventory.rejected', future)).toMatchObject({ reason: 'UNSUPPORTED_VERSION' });
    const foreign = { value: { ...future.value, type: 'payment.charged' } };
    expect(inspectMessage('inventory.rejected', foreign)).toMatchObject({ reason: 'UNKNOWN_TYPE' });
  });
});

describe('asCurrentVersion', () => {
  it('returns a message of the current version as it is', () => {
    const value = envelope({ schemaVersion: 2, payload: { lines: [] } });
    expect(asCurrentVersion('inventory.rejected', { value })).toBe(value);
  });

  it('upcasts a message of the previous version into a new envelope of the current one', () => {
    const value = envelope({ payload: { orderId: 'o-1', reason: 'UNKNOWN_SKU', skus: ['NOPE'] } });
    expect(asCurrentVersion('inventory.rejected', { value })).toEqual({
      type: 'inventory.rejected',
      schemaVersion: 2,
      payload: { orderId: 'o-1', reason: 'UNKNOWN_SKU', lines: [{ sku: 'NOPE' }] },
    });
    expect(value.payload).toEqual({ orderId: 'o-1', reason: 'UNKNOWN_SKU', skus: ['NOPE'] });
  });
});
