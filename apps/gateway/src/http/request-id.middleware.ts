import { Injectable, NestMiddleware } from '@nestjs/common';
import type { HttpRequest, HttpResponse } from './express-types';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

/** The correlation id of a request: the caller's `X-Request-Id` or a new one, echoed in the response. */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(request: HttpRequest, response: HttpResponse, next: () => void): void {
    request.requestId = requestIdFrom(request.header(REQUEST_ID_HEADER));
    response.setHeader(REQUEST_ID_HEADER, request.requestId);
    next();
  }
}
