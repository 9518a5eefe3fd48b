import { Controller, ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Allow, Public } from './access-rules';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BearerChallengeError } from './bearer-challenge';
import type { BearerTokenVerifier } from './bearer-token.verifier';
import type { AuthenticatedRequest, Principal } from './principal';

@Controller()
class RoutesController {
  @Get('open')
  @Public()
  open(): void {}

  @Get('products')
  @Allow(['operator'], ['products:write'])
  products(): void {}

  @Get('forgotten')
  forgotten(): void {}
}

const customer: Principal = {
  subject: 'u-1',
  issuer: 'i',
  kind: 'customer',
  customerId: 'alice',
  roles: [],
  scopes: [],
};
const operator: Principal = { subject: 'o-1', issuer: 'i', kind: 'operator', roles: ['operator'], scopes: [] };
const client = (scopes: string[]): Principal => ({ subject: 'c', issuer: 'i', kind: 'client', roles: [], scopes });

/** The guard with a stub verifier: the token text names the principal it stands for. */
function guardFor(principals: Record<string, Principal>) {
  const verifier = {
    verify: (token: string) =>
      principals[token] ? Promise.resolve(principals[token]) : Promise.reject(BearerChallengeError.invalidToken('bad')),
  } as unknown as BearerTokenVerifier;
  return new BearerAuthGuard(new Reflector(), verifier);
}

function request(handler: keyof RoutesController, authorization?: string) {
  const http: AuthenticatedRequest & { header(name: string): string | undefined } = {
    header: (name) => (name === 'authorization' ? authorization : undefined),
  };
  const context = {
    getType: () => 'http',
    getHandler: () => RoutesController.prototype[handler],
    getClass: () => RoutesController,
    switchToHttp: () => ({ getRequest: () => http }),
  } as unknown as ExecutionContext;
  return { context, http };
}

async function refusalOf(promise: Promise<unknown>): Promise<{ status: number; challenge: string }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof BearerChallengeError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return { status: error.status, challenge: error.challenge };
}

describe('BearerAuthGuard', () => {
  const guard = guardFor({
    'customer-token': customer,
    'operator-token': operator,
    'writer-token': client(['products:write']),
  });

  it('lets anyone through an open route', async () => {
    await expect(guard.canActivate(request('open').context)).resolves.toBe(true);
  });

  it('asks for a token without an error attribute when none is sent, or another scheme is', async () => {
    for (const authorization of [undefined, '', 'Basic YWxpY2U6c2VjcmV0']) {
      expect(await refusalOf(guard.canActivate(request('products', authorization).context))).toEqual({
        status: 401,
        challenge: 'Bearer realm="orderflow"',
      });
    }
  });

  it('answers invalid_token for a malformed or unverifiable token', async () => {
    expect(await refusalOf(guard.canActivate(request('products', 'Bearer a b').context))).toMatchObject({
      status: 401,
      challenge: 'Bearer realm="orderflow", error="invalid_token", error_description="the token is malformed"',
    });
    expect((await refusalOf(guard.canActivate(request('products', 'Bearer forged').context))).status).toBe(401);
  });

  it('sets the principal and lets a granted role or scope through', async () => {
    const asOperator = request('products', 'Bearer operator-token');
    await expect(guard.canActivate(asOperator.context)).resolves.toBe(true);
    expect(asOperator.http.principal).toBe(operator);
    await expect(guard.canActivate(request('products', 'bearer writer-token').context)).resolves.toBe(true);
  });

  it('answers 403 insufficient_scope to a valid token without the right, naming the scope a client lacks', async () => {
    expect(await refusalOf(guard.canActivate(request('products', 'Bearer customer-token').context))).toMatchObject({
      status: 403,
      challenge: expect.stringContaining('error="insufficient_scope"'),
    });
    const readOnly = guardFor({ t: client(['products:read']) });
    expect((await refusalOf(readOnly.canActivate(request('products', 'Bearer t').context))).challenge).toContain(
      'scope="products:write"',
    );
  });

  it('refuses everyone on a route that declares no access', async () => {
    expect((await refusalOf(guard.canActivate(request('forgotten', 'Bearer operator-token').context))).status).toBe(
      403,
    );
  });

  it('leaves Kafka handlers alone', async () => {
    const context = { getType: () => 'rpc' } as unknown as ExecutionContext;
    await expect(guard.canActivate(context)).resolves.toBe(true);
  });
});
