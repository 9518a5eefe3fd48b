import { MessageHeaders } from '@orderflow/contracts';
import { defer, lastValueFrom } from 'rxjs';
import { asPrincipal, currentPrincipal, principalOf } from './principal-context';

describe('principalOf', () => {
  it('reads the x-principal header as Nest parsed it (a string) or as kafkajs holds it (a Buffer)', () => {
    expect(principalOf({ [MessageHeaders.Principal]: 'customer:alice' })).toBe('customer:alice');
    expect(principalOf({ [MessageHeaders.Principal]: Buffer.from('operator:olga') })).toBe('operator:olga');
  });

  it('is undefined for a message that names nobody', () => {
    expect(principalOf(undefined)).toBeUndefined();
    expect(principalOf({})).toBeUndefined();
    expect(principalOf({ [MessageHeaders.Principal]: '' })).toBeUndefined();
  });
});

describe('asPrincipal', () => {
  const seenAfterAwait = () =>
    defer(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return currentPrincipal();
    });

  it('runs the work on behalf of the principal, across its awaits', async () => {
    await expect(lastValueFrom(asPrincipal('customer:alice', seenAfterAwait))).resolves.toBe('customer:alice');
    expect(currentPrincipal()).toBeUndefined();
  });

  it('keeps two pieces of work running at once apart', async () => {
    const both = await Promise.all([
      lastValueFrom(asPrincipal('customer:alice', seenAfterAwait)),
      lastValueFrom(asPrincipal('customer:bob', seenAfterAwait)),
    ]);
    expect(both).toEqual(['customer:alice', 'customer:bob']);
  });

  it('runs work on behalf of nobody as nobody, even inside the work of someone', async () => {
    const inner = asPrincipal('customer:alice', () => asPrincipal(undefined, seenAfterAwait));
    await expect(lastValueFrom(inner)).resolves.toBeUndefined();
  });
});
