import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 keeps a timer firing every millisecond on every broker connection that has had an
 * answer, for as long as the connection lives (tulios/kafkajs#1556 and #1704, unfixed in any release):
 * its RequestQueue re-arms its check for pending requests even when nothing is pending, with a
 * negative delay. Idle apps spent most of their CPU and wake-ups on it (bench/README.md, "Optimisations"),
 * and under load the loop runs beside the real work. This puts back what the check is for: a timer only while a
 * request waits (for the end of broker throttling, or for a free in-flight slot), never otherwise.
 *
 * Applied to the installed kafkajs version it was written against; another version is left alone
 * (request-queue-timer-fix.spec.ts fails then, so an upgrade is a decision to look at it again).
 */
export const FIXED_KAFKAJS_VERSION = '2.2.4';

/** How soon a request waiting for an in-flight slot is looked at again (kafkajs's own interval). */
const PENDING_RECHECK_MS = 10;

/** The parts of kafkajs's internal RequestQueue the fix touches. */
export interface RequestQueueInternals {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const loadFromKafkajs = createRequire(__filename);

export function installedKafkajsVersion(): string {
  return (loadFromKafkajs('kafkajs/package.json') as { version: string }).version;
}

export function kafkajsRequestQueue(): { prototype: RequestQueueInternals } {
  return loadFromKafkajs('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
}

function scheduleCheckWhilePending(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId !== null || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : PENDING_RECHECK_MS,
  );
}

/** Idempotent; returns whether the installed kafkajs is the version the fix is for (and so carries it). */
export function fixRequestQueueTimerLoop(): boolean {
  if (installedKafkajsVersion() !== FIXED_KAFKAJS_VERSION) return false;
  kafkajsRequestQueue().prototype.scheduleCheckPendingRequests = scheduleCheckWhilePending;
  return true;
}
