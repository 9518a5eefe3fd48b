import { inboxRetentionProblem } from './inbox-retention';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

describe('inboxRetentionProblem', () => {
  const settings = (inboxRetentionMs: number) => ({ inboxRetentionMs, inboxRetentionMarginMs: HOUR });

  it('accepts a retention that outlasts the longest consumed topic by the margin', () => {
    const topics = [
      { topic: 'order.created', retentionMs: DAY },
      { topic: 'payments.charge', retentionMs: 7 * DAY },
    ];
    expect(inboxRetentionProblem(settings(7 * DAY + HOUR), topics)).toBeUndefined();
  });

  it('names the topic, its retention and the least value that would do when the inbox forgets too soon', () => {
    const topics = [
      { topic: 'order.created', retentionMs: DAY },
      { topic: 'payments.charge', retentionMs: 7 * DAY },
    ];
    expect(inboxRetentionProblem(settings(7 * DAY), topics)).toEqual({
      variable: 'INBOX_RETENTION_MS',
      problem: `${7 * DAY} ms is shorter than payments.charge's retention.ms ${7 * DAY} plus INBOX_RETENTION_MARGIN_MS ${HOUR}: set at least ${7 * DAY + HOUR}, or 0 to keep every record`,
    });
  });

  it('asks to keep every record when a consumed topic keeps its messages for ever', () => {
    const problem = inboxRetentionProblem(settings(30 * DAY), [{ topic: 'order.created', retentionMs: -1 }]);
    expect(problem?.variable).toBe('INBOX_RETENTION_MS');
    expect(problem?.problem).toContain('order.created keeps messages for ever');
  });

  it('has nothing to check when the inbox is kept for ever, or nothing is consumed', () => {
    expect(inboxRetentionProblem(settings(0), [{ topic: 'order.created', retentionMs: -1 }])).toBeUndefined();
    expect(inboxRetentionProblem(settings(DAY), [])).toBeUndefined();
  });
});
