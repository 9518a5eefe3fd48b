// Declared once in libs/contracts, which the AsyncAPI documents describe them from; the publisher and
// the replay tool read them from here.
export { DeadLetterHeaders, type DeadLetterReason } from '@orderflow/contracts';
