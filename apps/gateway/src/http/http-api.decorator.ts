import { applyDecorators, UsePipes } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { REQUEST_ID_HEADER } from './request-id';
import { RequestValidationPipe } from './request-validation.pipe';

/**
 * Marks an HTTP controller of the public API. Validation is bound here rather than globally so that
 * it never runs on the gateway's Kafka handlers, which validate envelopes with `@ValidPayload()`.
 */
export function HttpApi(): ClassDecorator {
  return applyDecorators(
    UsePipes(RequestValidationPipe),
    ApiHeader({
      name: REQUEST_ID_HEADER,
      required: false,
      description: 'Correlation id (1-128 of A-Z a-z 0-9 . _ : -); generated when absent, always echoed back.',
    }),
  );
}
