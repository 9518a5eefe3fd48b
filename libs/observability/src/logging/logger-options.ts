import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { acceptedId, REQUEST_ID_HEADER } from './correlation-id';
import { handledMessageLogFields } from './message-log-context';

export interface LoggingSettings {
  service: string;
  level: string;
  /** Human-readable lines (pino-pretty) instead of JSON: only for a developer at a terminal. */
  pretty: boolean;
}

export function loggingSettings(
  service: string,
  env: { LOG_LEVEL?: string; NODE_ENV?: string },
  isTerminal = Boolean(process.stdout.isTTY),
): LoggingSettings {
  return {
    service,
    level: env.LOG_LEVEL ?? 'info',
    pretty: isTerminal && (env.NODE_ENV ?? 'development') === 'development',
  };
}

/** nestjs-pino's options: JSON lines with the service name, a correlation id for HTTP and Kafka alike. */
export function loggerParams(settings: LoggingSettings): Params {
  return {
    pinoHttp: {
      level: settings.level,
      base: { service: settings.service },
      messageKey: 'msg',
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], remove: true },
      ...(settings.pretty ? { transport: { target: 'pino-pretty', options: { singleLine: true } } } : {}),
      // The caller's X-Request-Id (or a new one), written back on the request so the gateway's own
      // middleware reuses it: one id in the logs, the response header and the Kafka headers.
      genReqId: (request: IncomingMessage, response: ServerResponse) => {
        const id = acceptedId(request.headers[REQUEST_ID_HEADER]) ?? randomUUID();
        request.headers[REQUEST_ID_HEADER] = id;
        response.setHeader('X-Request-Id', id);
        return id;
      },
      customProps: (request: IncomingMessage) => ({ correlationId: request.headers[REQUEST_ID_HEADER] }),
      // Probes and scrapes every few seconds would drown the useful lines.
      autoLogging: { ignore: (request: IncomingMessage) => /^\/(health|metrics)\b/.test(request.url ?? '') },
      // The Kafka message being handled, if any, on every line (MessageLogContext writes the closing one).
      mixin: handledMessageLogFields,
    },
  };
}
