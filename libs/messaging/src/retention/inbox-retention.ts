import { ConfigProblem } from '@orderflow/config';
import { RetentionSettings } from './retention-settings';

/** A consumed topic's `retention.ms` as the broker reports it; -1 is "for ever". */
export interface TopicRetention {
  topic: string;
  retentionMs: number;
}

/**
 * Why the inbox would forget a message that can still be delivered again: a consumer group that loses
 * its offsets, or a reset to the earliest offset, reads a topic again as far back as its retention
 * reaches, and every message read then must still be found in the inbox. Undefined when it is safe.
 */
export function inboxRetentionProblem(
  settings: Pick<RetentionSettings, 'inboxRetentionMs' | 'inboxRetentionMarginMs'>,
  topics: readonly TopicRetention[],
): ConfigProblem | undefined {
  if (settings.inboxRetentionMs === 0 || topics.length === 0) return undefined;
  const forever = topics.filter((topic) => topic.retentionMs < 0);
  if (forever.length > 0) {
    return {
      variable: 'INBOX_RETENTION_MS',
      problem: `${forever.map((topic) => topic.topic).join(', ')} ${forever.length === 1 ? 'keeps' : 'keep'} messages for ever (retention.ms -1), so handled messages must be remembered for ever: set 0`,
    };
  }
  const longest = topics.reduce((a, b) => (b.retentionMs > a.retentionMs ? b : a));
  const needed = longest.retentionMs + settings.inboxRetentionMarginMs;
  if (settings.inboxRetentionMs >= needed) return undefined;
  return {
    variable: 'INBOX_RETENTION_MS',
    problem: `${settings.inboxRetentionMs} ms is shorter than ${longest.topic}'s retention.ms ${longest.retentionMs} plus INBOX_RETENTION_MARGIN_MS ${settings.inboxRetentionMarginMs}: set at least ${needed}, or 0 to keep every record`,
  };
}
