import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { GatewayEnv } from '../gateway.env';
import { RateLimitGuard } from './rate-limit.guard';

const MINUTE_MS = 60_000;

/**
 * Per-principal rate limiting, counted in this instance's memory: with N gateway replicas a principal
 * gets up to N times RATE_LIMIT_PER_MINUTE. Import it after the module of the bearer-token guard, so
 * that its guard runs second and finds the principal (global guards run in the order of their modules).
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<GatewayEnv, true>) => ({
        throttlers: [{ ttl: MINUTE_MS, limit: config.get('RATE_LIMIT_PER_MINUTE', { infer: true }) }],
        errorMessage: 'too many requests: retry after the number of seconds in Retry-After',
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
