export const CORRELATION_ID_HEADER = 'x-correlation-id';
export const REQUEST_ID_HEADER = 'x-request-id';

/** Printable and short: anything else from outside is replaced by a fresh id. */
const ACCEPTED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The id that ties together every log of one request across services. */
export function acceptedId(value: unknown): string | undefined {
  const text = Array.isArray(value) ? value[0] : Buffer.isBuffer(value) ? value.toString() : value;
  return typeof text === 'string' && ACCEPTED_ID.test(text) ? text : undefined;
}
