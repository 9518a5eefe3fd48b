import { RpcException } from '@nestjs/microservices';
import { isReplyError, ReplyError, ReplyErrorCode } from '@orderflow/contracts';
import { getRpcInfo, MicroserviceParams } from 'nestjs-pino';
import type { LevelWithSilent } from 'pino';

/**
 * A rejection is an answer, not a failure of this service: a routine miss or the caller's mistake.
 * INVALID is a warning: the gateway validates first, so a service that sees it hints at a caller bug.
 */
const rejectionLevels = {
  NOT_FOUND: 'info',
  CONFLICT: 'info',
  INVALID: 'warn',
} as const satisfies Record<ReplyErrorCode, LevelWithSilent>;

/** The `ReplyError` a request handler answered with (messaging's interceptor wraps it in an RpcException). */
export function rejectionOf(error: unknown): ReplyError | undefined {
  const answer = error instanceof RpcException ? error.getError() : undefined;
  return isReplyError(answer) ? answer : undefined;
}

/**
 * How MessageLogContext closes each Kafka message handled (in nestjs-pino's microservice terms): a line
 * at `debug` (every message is counted in /metrics; the line is for debugging); a rejected request at
 * info or warn with its code and message and no stack; anything else at error with the error and its
 * stack. The hook sees the RpcException before any exception filter does.
 */
export const messageLogLevels = {
  customLogLevel: (_context, error) => {
    if (!error) return 'debug';
    const rejection = rejectionOf(error);
    return rejection ? rejectionLevels[rejection.code] : 'error';
  },
  customErrorMessage: (context, error) => `${getRpcInfo(context).type} ${rejectionOf(error) ? 'rejected' : 'errored'}`,
  customErrorObject: (_context, error, value) => {
    const rejection = rejectionOf(error);
    if (!rejection) return value;
    const { err: _error, ...rest } = value as Record<string, unknown>;
    return { ...rest, rejection: { code: rejection.code, message: rejection.message } };
  },
} satisfies MicroserviceParams;
