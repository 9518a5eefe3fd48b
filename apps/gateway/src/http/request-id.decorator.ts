import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { HttpRequest } from './express-types';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

/** The request's correlation id, to pass as `correlationId` in every Kafka request it causes. */
export const RequestId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const request = context.switchToHttp().getRequest<HttpRequest>();
  request.requestId ??= requestIdFrom(request.header(REQUEST_ID_HEADER));
  return request.requestId;
});
