import type { OutboxRelay } from '../outbox/outbox-relay';

/**
 * A relay for specs of MessageTransactions that publish nothing by themselves: no pass after a
 * commit, and waking does nothing, so no pass runs between a commit and the assertions.
 */
export function relayWokenByHand(): OutboxRelay {
  return { wake: () => undefined, publishAfter: () => false } as unknown as OutboxRelay;
}
