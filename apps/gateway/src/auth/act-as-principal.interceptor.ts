import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { asPrincipal } from '@orderflow/messaging';
import { Observable } from 'rxjs';
import { AuthenticatedRequest, principalLabel } from './principal';

/**
 * An HTTP request is handled on behalf of its principal: every Kafka request it sends carries the
 * `x-principal` header, and the services carry it onto every message that request causes. Runs after
 * the guards, so the bearer-token guard has set `request.principal`; none on the open routes.
 */
@Injectable()
export class ActAsPrincipalInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return asPrincipal(principal ? principalLabel(principal) : undefined, () => next.handle());
  }
}
