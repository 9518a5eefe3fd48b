import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import { installedVersion, VERIFIED_VERSIONS } from './verified-versions';

/*
 * kafkajs 2.2.4 keeps a timer firing every millisecond on every broker connection that has had an
 * answer, for as long as the connection lives (tulios/kafkajs#1556 and #1704, unfixed in any release):
 * its RequestQueue re-arms its check for pending requests even when nothing is pending, with a
 * negative delay. Idle apps spent most of their CPU and wake-ups on it (bench/README.md, "Optimisations"),
 * and under load the loop runs beside the real work. This puts back what the check is for: a timer only while a
 * request waits (for the end of broker throttling, or for a free in-flight slot), never otherwise.
 *
 * Applied once per process by `applyRequestQueueTimerFix`, where the server transport is created
 * (TopicServerKafka's constructor), and only to the kafkajs version it was written against
 * (verified-versions.ts); another version is left alone with a warning, and
 * request-queue-timer-fix.spec.ts fails, so an upgrade is a decision to look at it again.
 */

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

export type RequestQueueFixOutcome = { isApplied: true } | { isApplied: false; reason: string };

/**
 * Replaces the method if the installed kafkajs is the verified one and still has it; idempotent. The
 * prototype's method is looked up at each call, so queues made before this are fixed too.
 */
export function fixRequestQueueTimerLoop(kafkajsVersion = installedVersion('kafkajs')): RequestQueueFixOutcome {
  if (kafkajsVersion !== VERIFIED_VERSIONS.kafkajs) {
    return {
      isApplied: false,
      reason: `kafkajs ${kafkajsVersion} is installed and the fix is written for ${VERIFIED_VERSIONS.kafkajs}`,
    };
  }
  let prototype: RequestQueueInternals;
  try {
    prototype = kafkajsRequestQueue().prototype;
  } catch (error) {
    return { isApplied: false, reason: `kafkajs's RequestQueue could not be loaded: ${String(error)}` };
  }
  if (typeof prototype.scheduleCheckPendingRequests !== 'function') {
    return { isApplied: false, reason: "kafkajs's RequestQueue has no scheduleCheckPendingRequests to replace" };
  }
  prototype.scheduleCheckPendingRequests = scheduleCheckWhilePending;
  return { isApplied: true };
}

let outcome: RequestQueueFixOutcome | undefined;

/**
 * The one place the fix is applied: once per process, before the transport's clients connect. When it
 * cannot be, kafkajs runs as shipped (correct, only busier) and this says why, once.
 */
export function applyRequestQueueTimerFix(
  logger: Pick<Logger, 'warn'> = new Logger('KafkajsRequestQueueFix'),
): RequestQueueFixOutcome {
  if (outcome) return outcome;
  outcome = fixRequestQueueTimerLoop();
  if (!outcome.isApplied) {
    logger.warn(
      `the kafkajs request-queue timer fix is not applied (${outcome.reason}): every broker connection keeps a 1 ms timer ` +
        'running (tulios/kafkajs#1556), which costs idle CPU; see libs/messaging/src/kafka/verified-versions.ts',
    );
  }
  return outcome;
}
