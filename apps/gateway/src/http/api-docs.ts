import { applyDecorators } from '@nestjs/common';
import { ApiGatewayTimeoutResponse, ApiProperty, ApiResponse } from '@nestjs/swagger';
import type { HttpErrorBody } from './http-errors';

export class ErrorBodyDoc implements HttpErrorBody {
  @ApiProperty({ example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['items.0.quantity: quantity must not be less than 1'],
    description: 'For 400: one `path: problem` line per bad field.',
  })
  message: string | string[];
}

/** The error answers a route may give, besides 400 (validation), 502 and 504 (a service failed or is late). */
export function ApiErrors(...statuses: (400 | 404 | 409)[]): MethodDecorator {
  const descriptions = { 400: 'Invalid input', 404: 'Not found', 409: 'Conflicts with the current state' };
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: descriptions[status], type: ErrorBodyDoc })),
    ApiResponse({ status: 502, description: 'A service failed', type: ErrorBodyDoc }),
    ApiGatewayTimeoutResponse({
      description: 'A service did not answer in time, or could not be reached; the request may still take effect',
      type: ErrorBodyDoc,
    }),
  );
}
