import { LoggerService } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import pino from 'pino';

/**
 * JSON lines for start-up, before the app's own logger exists or when it never will (bad configuration,
 * broker or database unreachable): the same `service` and `msg` fields as the app's lines, so a log
 * collector parses every line. Plain pino: nestjs-pino keeps one root logger per process, and that one
 * is the app's. `level` is the app's LOG_LEVEL once the environment passed validation; with a bad
 * environment, `info`, so that everything said about it is seen.
 */
export function startupLogger(
  service: string,
  // Synchronous: its last line may come right before process.exit.
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: true }),
  level: pino.Level = 'info',
): pino.Logger {
  return pino({ base: { service }, messageKey: 'msg', level }, destination);
}

/** Nest's own messages through that logger: the ExceptionHandler of a failed start, the buffered boot lines. */
export function nestLogsThrough(logger: pino.Logger): LoggerService {
  // nestjs-pino's Logger maps Nest's `(message, ...params, context)` calls onto pino's level methods,
  // which are all it calls on the PinoLogger it wraps.
  return new Logger(logger as unknown as PinoLogger, {});
}
