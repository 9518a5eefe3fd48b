import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { MessageHeaders } from '@orderflow/contracts';
import { randomUUID } from 'node:crypto';

/** The correlation id a request carries in its headers; a fresh one where a caller sent none. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const headers = context.switchToRpc().getContext<KafkaContext>().getMessage().headers ?? {};
  const value = headers[MessageHeaders.CorrelationId];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 128) : randomUUID();
});
