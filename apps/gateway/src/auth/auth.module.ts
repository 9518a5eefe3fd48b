import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { BearerAuthGuard } from './bearer-auth.guard';
import { BearerTokenVerifier } from './bearer-token.verifier';

/** OpenID Connect bearer tokens on every HTTP route (see bearer-auth.guard.ts and docs/security.md). */
@Global()
@Module({
  providers: [BearerTokenVerifier, { provide: APP_GUARD, useClass: BearerAuthGuard }],
  exports: [BearerTokenVerifier],
})
export class AuthModule {}
