import { ExecutionContext } from '@nestjs/common';
import { currentPrincipal } from '@orderflow/messaging';
import { defer, lastValueFrom } from 'rxjs';
import { ActAsPrincipalInterceptor } from './act-as-principal.interceptor';
import { Principal } from './principal';

const alice: Principal = {
  subject: 'alice',
  issuer: 'https://issuer.example',
  kind: 'customer',
  roles: [],
  scopes: [],
};

function httpContext(principal?: Principal): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ principal }) }),
  } as unknown as ExecutionContext;
}

/** A handler that reports on whose behalf it ran, after an await as a real one would. */
const handler = {
  handle: () =>
    defer(async () => {
      await new Promise((resolve) => setImmediate(resolve));
      return currentPrincipal();
    }),
};

describe('ActAsPrincipalInterceptor', () => {
  const interceptor = new ActAsPrincipalInterceptor();

  it('handles a request on behalf of its principal, named by its label', async () => {
    await expect(lastValueFrom(interceptor.intercept(httpContext(alice), handler))).resolves.toBe('customer:alice');
  });

  it('handles a request without a principal on behalf of nobody', async () => {
    await expect(lastValueFrom(interceptor.intercept(httpContext(), handler))).resolves.toBeUndefined();
  });
});
