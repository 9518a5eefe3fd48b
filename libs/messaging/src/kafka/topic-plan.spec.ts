import { AnalyticsClockTopic, Topics } from '@orderflow/contracts';
import { plannedTopics, planOf, systemTopicPlan } from './topic-plan';

function topics(part: { topic: string }[]): string[] {
  return part.map(({ topic }) => topic);
}

describe('planOf', () => {
  const plan = plannedTopics(3);

  it('keeps the topics a participant produces or consumes, and only those', () => {
    const notifications = topics(planOf('notifications', plan));
    expect(notifications).toEqual(
      expect.arrayContaining([Topics.OrderConfirmed, Topics.NotificationsList, `${Topics.NotificationsList}.reply`]),
    );
    expect(notifications).not.toContain(Topics.PaymentsCharge);
    expect(notifications.length).toBeLessThan(plan.length);
  });

  it('keeps the whole plan for a name the declaration does not know', () => {
    expect(planOf('some-test-service', plan)).toEqual(plan);
  });
});

describe('systemTopicPlan', () => {
  it('holds every planned topic, the stream results and the processor clock, once each', () => {
    const all = systemTopicPlan(3).map(({ topic }) => topic);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(
      expect.arrayContaining([...topics(plannedTopics(3)), AnalyticsClockTopic, 'analytics.top-skus']),
    );
  });
});
