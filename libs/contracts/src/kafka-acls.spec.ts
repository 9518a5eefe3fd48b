import { aclsFor, KafkaAcl, KafkaAclOperation, kafkaParticipants, kafkaPrincipal } from './kafka-acls';
import { Participant, topicDeclarations } from './topic-declarations';
import { Topics } from './topics';

/** Whether one of the ACLs grants `operation` on `name` (a literal match, or a prefix it starts with). */
function allows(acls: KafkaAcl[], resourceType: KafkaAcl['resourceType'], name: string, operation: KafkaAclOperation) {
  return acls.some(
    (acl) =>
      acl.resourceType === resourceType &&
      acl.operations.includes(operation) &&
      (acl.patternType === 'literal' ? acl.name === name : name.startsWith(acl.name)),
  );
}

describe('aclsFor', () => {
  it('lets notifications neither write nor read payments.charge', () => {
    const acls = aclsFor('notifications');
    expect(allows(acls, 'topic', Topics.PaymentsCharge, 'Write')).toBe(false);
    expect(allows(acls, 'topic', Topics.PaymentsCharge, 'Read')).toBe(false);
    expect(allows(acls, 'topic', Topics.PaymentsCharge, 'Describe')).toBe(false);
  });

  it('lets only orders and the dead-letter replay write payments.charge, and only payments read it', () => {
    const writers = kafkaParticipants.filter((p) => allows(aclsFor(p), 'topic', Topics.PaymentsCharge, 'Write'));
    const readers = kafkaParticipants.filter((p) => allows(aclsFor(p), 'topic', Topics.PaymentsCharge, 'Read'));
    expect(writers.sort()).toEqual(['dlq-tool', 'orders']);
    expect(readers).toEqual(['payments']);
  });

  it.each(topicDeclarations.map((d) => [d.topic, d] as const))('covers every producer and consumer of %s', (_, d) => {
    for (const producer of d.producers) {
      expect(allows(aclsFor(producer), 'topic', d.topic, 'Write')).toBe(true);
    }
    d.consumers.forEach((consumer, index) => {
      const acls = aclsFor(consumer);
      expect(allows(acls, 'topic', d.topic, 'Read')).toBe(true);
      const group = d.groups[index];
      // A prefixed group is joined under names that start with the prefix (one per instance or run).
      expect(allows(acls, 'group', group.match === 'exact' ? group.id : `${group.id}x`, 'Read')).toBe(true);
    });
  });

  it('grants nothing on a topic to a participant that neither produces nor consumes it', () => {
    for (const participant of kafkaParticipants) {
      const acls = aclsFor(participant);
      for (const d of topicDeclarations) {
        const uses = d.producers.includes(participant) || d.consumers.includes(participant);
        expect({ participant, topic: d.topic, read: allows(acls, 'topic', d.topic, 'Read') }).toEqual({
          participant,
          topic: d.topic,
          read: d.consumers.includes(participant),
        });
        expect({ participant, topic: d.topic, write: allows(acls, 'topic', d.topic, 'Write') }).toEqual({
          participant,
          topic: d.topic,
          write: d.producers.includes(participant),
        });
        if (!uses && participant !== 'gateway') expect(allows(acls, 'topic', d.topic, 'Describe')).toBe(false);
      }
    }
  });

  it('keeps each app out of the other apps’ consumer groups', () => {
    expect(allows(aclsFor('notifications'), 'group', 'payments-server', 'Read')).toBe(false);
    expect(allows(aclsFor('payments'), 'group', 'orders-server', 'Read')).toBe(false);
    expect(allows(aclsFor('orders'), 'group', 'gateway-client', 'Read')).toBe(false);
    expect(allows(aclsFor('notifications'), 'group', 'notifications-server', 'Read')).toBe(true);
  });

  it('lets the callers read their replies in their reply groups', () => {
    const acls = aclsFor('gateway');
    expect(allows(acls, 'topic', `${Topics.OrdersCreate}.reply`, 'Read')).toBe(true);
    expect(allows(acls, 'group', 'gateway-client', 'Read')).toBe(true);
    expect(allows(aclsFor('orders'), 'topic', `${Topics.OrdersCreate}.reply`, 'Write')).toBe(true);
  });

  it('lets the stream processor create its internal topics and use its transactional ids', () => {
    const acls = aclsFor('order-analytics');
    const changelog = 'order-analytics-sku-sales-store-changelog';
    expect(allows(acls, 'topic', changelog, 'Create')).toBe(true);
    expect(allows(acls, 'topic', changelog, 'Write')).toBe(true);
    expect(allows(acls, 'transactionalId', 'order-analytics-0b7c-1', 'Write')).toBe(true);
    expect(allows(aclsFor('analytics'), 'topic', changelog, 'Read')).toBe(false);
  });

  it('lets the dead-letter tool use its replay group and delete its throw-away groups', () => {
    const acls = aclsFor('dlq-tool');
    expect(allows(acls, 'group', 'dlq-tool-replay', 'Read')).toBe(true);
    expect(allows(acls, 'group', 'dlq-tool-3f2a', 'Delete')).toBe(true);
    expect(allows(aclsFor('orders'), 'group', 'orders-server', 'Delete')).toBe(false);
  });

  it('uses no wildcard and grants nothing on the cluster', () => {
    for (const participant of kafkaParticipants) {
      for (const acl of aclsFor(participant)) {
        expect(acl.name).not.toBe('*');
        expect(acl.name.length).toBeGreaterThan(0);
        expect(acl.resourceType).not.toBe('cluster');
        expect(acl.operations.length).toBeGreaterThan(0);
      }
    }
  });

  it('names one principal per participant', () => {
    const principals = kafkaParticipants.map((p: Participant) => kafkaPrincipal(p));
    expect(new Set(principals).size).toBe(kafkaParticipants.length);
    expect(kafkaPrincipal('notifications')).toBe('User:orderflow-notifications');
  });
});
