import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { throwError } from 'rxjs';
import type { HttpRequest, HttpResponse } from './express-types';
import { toHttpError } from './http-errors';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id';

/** Every HTTP error in one shape; Kafka handlers' errors are left to the messaging interceptor. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpErrorFilter.name);

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType() !== 'http') return throwError(() => exception);
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const response = http.getResponse<HttpResponse>();
    const { status, body, isUnexpected, headers } = toHttpError(exception);
    // Errors raised before the request-id middleware (a body that is not JSON) still carry an id.
    if (!response.getHeader(REQUEST_ID_HEADER)) {
      response.setHeader(REQUEST_ID_HEADER, requestIdFrom(request.header(REQUEST_ID_HEADER)));
    }
    if (isUnexpected) {
      const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(
        `${request.method} ${request.originalUrl} → ${status} [${String(response.getHeader(REQUEST_ID_HEADER))}]: ${detail}`,
      );
    }
    for (const [name, value] of Object.entries(headers ?? {})) response.setHeader(name, value);
    response.status(status).json(body);
    return undefined;
  }
}
