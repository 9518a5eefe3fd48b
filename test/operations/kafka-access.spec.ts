import { kafkaParticipants, kafkaUserName, Participants } from '@orderflow/contracts';
import { aclLines, kafkaAccessProblems } from './kafka-access';
import { KubernetesObject, ofKind, renderOverlay } from './rendered-manifests';

/** Kafka in prod: TLS and SCRAM only, a KafkaUser per participant with aclsFor's ACLs, apps and KEDA signed in. */
describe('k8s/overlays/prod: Kafka access', () => {
  const prod = renderOverlay('prod');
  const named = (kind: string, name: string, objects: KubernetesObject[]) =>
    ofKind<KubernetesObject & { spec: Record<string, unknown> }>(objects, kind).find(
      (object) => object.metadata.name === name,
    )!;
  /** A copy of the rendered overlay with one mistake made in it. */
  const broken = (mistake: (objects: KubernetesObject[]) => void): KubernetesObject[] => {
    const objects = structuredClone(prod);
    mistake(objects);
    return objects;
  };

  it('finds nothing open: an authenticated TLS listener, and every participant its own KafkaUser', () => {
    expect(kafkaAccessProblems(prod)).toEqual([]);
  });

  it('keeps the notifications principal from producing or reading payments.charge', () => {
    const user = named('KafkaUser', kafkaUserName(Participants.Notifications), prod);
    const lines = aclLines((user.spec.authorization as { acls: [] }).acls);
    expect(lines.filter((line) => line.includes(':payments.charge:'))).toEqual([]);
    expect(lines).toContain('group:literal:notifications-server:Read');
  });

  it('gives no KafkaUser a wildcard resource', () => {
    const resources = ofKind<
      KubernetesObject & { spec: { authorization?: { acls: { resource: { name?: string } }[] } } }
    >(prod, 'KafkaUser').flatMap((user) => (user.spec.authorization?.acls ?? []).map((acl) => acl.resource.name));
    expect(resources.filter((name) => name === '*' || name === '')).toEqual([]);
  });

  it('reports a participant without a KafkaUser', () => {
    const name = kafkaUserName(Participants.DeadLetterTool);
    const objects = broken((all) => all.splice(all.indexOf(named('KafkaUser', name, all)), 1));
    expect(kafkaAccessProblems(objects)).toEqual([`participant dlq-tool has no KafkaUser ${name}`]);
  });

  it('reports a KafkaUser whose ACLs differ from aclsFor (one right more, one less)', () => {
    const name = kafkaUserName(Participants.Notifications);
    const objects = broken((all) => {
      const acls = (named('KafkaUser', name, all).spec.authorization as { acls: object[] }).acls;
      acls.shift();
      acls.push({
        resource: { type: 'topic', name: 'payments.charge', patternType: 'literal' },
        operations: ['Write'],
      });
    });
    expect(kafkaAccessProblems(objects)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^KafkaUser ${name} differs from aclsFor\\(notifications\\): missing \\[.+\\], extra \\[topic:literal:payments.charge:Write\\]$`,
        ),
      ),
    ]);
  });

  it('reports a listener that takes clients without authentication or encryption', () => {
    const objects = broken((all) => {
      const kafka = ofKind<KubernetesObject & { spec: { kafka: { listeners: object[] } } }>(all, 'Kafka')[0];
      kafka.spec.kafka.listeners.push({ name: 'plain', port: 9092, type: 'internal', tls: false });
    });
    expect(kafkaAccessProblems(objects)).toEqual([
      'Kafka listener plain takes clients without authentication',
      'Kafka listener plain is not encrypted (tls: false)',
    ]);
  });

  it('names every participant’s user once, for the apps, the stream processor and the tools', () => {
    const users = ofKind(prod, 'KafkaUser').map((user) => user.metadata.name);
    for (const participant of kafkaParticipants) expect(users).toContain(kafkaUserName(participant));
    expect(new Set(users).size).toBe(users.length);
  });
});
