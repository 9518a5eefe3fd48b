import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { HttpRequest } from '../http/express-types';
import { rateLimitKey } from './rate-limit-key';

/** The probes are never limited: a kubelet must always learn whether the gateway is alive and ready. */
const UNLIMITED_PATH = /^\/health(\/|$)/;

/**
 * @nestjs/throttler's guard, one budget per principal across the whole API (not one per route), on
 * HTTP only: global guards also run before the gateway's Kafka handlers, which are not limited.
 * Over the budget it answers 429 with `Retry-After` (seconds), in the gateway's error body.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return Promise.resolve(true);
    const request = context.switchToHttp().getRequest<HttpRequest>();
    return Promise.resolve(UNLIMITED_PATH.test(request.path));
  }

  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    return Promise.resolve(rateLimitKey(request));
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
