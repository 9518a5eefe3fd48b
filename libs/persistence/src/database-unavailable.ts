/**
 * Socket errors and SQLSTATEs that say the database could not be reached or went away (class 08
 * connection exceptions; 57P01-57P03: shut down, crashed, not yet accepting connections), as opposed
 * to a statement the database refused. Such a failure says nothing about the message being handled:
 * the same work succeeds once the database is back.
 */
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03']);
/**
 * node-postgres reports a connection lost mid-query by these messages, without a code; and one lost
 * between two statements of a transaction (the server shut it down while idle) by refusing the next
 * statement: "Client has encountered a connection error and is not queryable".
 */
const CONNECTION_LOST_MESSAGES = [
  /connection terminated/i,
  /connection is closed/i,
  /terminating connection/i,
  /connection error and is not queryable/i,
];

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (
      typeof code === 'string' &&
      (UNREACHABLE_SOCKET_CODES.has(code) || SERVER_GONE_STATES.has(code) || code.startsWith('08'))
    ) {
      return true;
    }
    if (typeof message === 'string' && CONNECTION_LOST_MESSAGES.some((pattern) => pattern.test(message))) return true;
    // TypeORM keeps the driver's error as driverError; VError and standard errors as cause.
    current =
      (current as { driverError?: unknown; cause?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}
