import { kafkaParticipants, kafkaUserName, Participants } from '@orderflow/contracts';
import { STRIMZI_CLUSTER_CA_SECRET } from '../../k8s/generate';
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

  it('finds nothing open: an authenticated TLS listener, every participant its own KafkaUser, the apps and KEDA signed in', () => {
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

  it('names in ACLs exactly the topics that are KafkaTopics: none missing, none that nobody may use', () => {
    const topics = ofKind<KubernetesObject & { spec: { topicName: string } }>(prod, 'KafkaTopic').map(
      (topic) => topic.spec.topicName,
    );
    const inAcls = ofKind<KubernetesObject & { spec: { authorization?: { acls: [] } } }>(prod, 'KafkaUser')
      .flatMap((user) => aclLines(user.spec.authorization?.acls ?? []))
      .filter((line) => line.startsWith('topic:literal:'))
      .map((line) => line.split(':')[2]);
    expect(new Set(inAcls)).toEqual(new Set(topics));
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

  it('reports an app signed in with another app’s password', () => {
    const objects = broken((all) => {
      const deployment = named('Deployment', 'search', all) as unknown as {
        spec: { template: { spec: { containers: { env: { name: string; valueFrom?: object }[] }[] } } };
      };
      const password = deployment.spec.template.spec.containers[0].env.find(
        (variable) => variable.name === 'KAFKA_SASL_PASSWORD',
      )!;
      password.valueFrom = { secretKeyRef: { name: kafkaUserName(Participants.Orders), key: 'password' } };
    });
    expect(kafkaAccessProblems(objects)).toEqual([
      expect.stringMatching(/^Deployment search: KAFKA_SASL_PASSWORD is .*orderflow-orders.*, not .*orderflow-search/),
    ]);
  });

  it('reports a lag scaler without a TriggerAuthentication, and one whose Secret nothing provides', () => {
    const objects = broken((all) => {
      const scaled = named('ScaledObject', 'orders', all) as unknown as {
        spec: { triggers: { authenticationRef?: object }[] };
      };
      delete scaled.spec.triggers[0].authenticationRef;
      const auth = named('TriggerAuthentication', 'inventory-kafka', all) as unknown as {
        spec: { secretTargetRef: { parameter: string; name: string }[] };
      };
      auth.spec.secretTargetRef.find((ref) => ref.parameter === 'ca')!.name = 'orderflow-clients-ca-cert';
    });
    expect(kafkaAccessProblems(objects)).toEqual([
      'TriggerAuthentication inventory-kafka needs orderflow-clients-ca-cert/ca.crt, which nothing provides',
      `TriggerAuthentication inventory-kafka does not verify the brokers with ${STRIMZI_CLUSTER_CA_SECRET}`,
      'ScaledObject orders references no TriggerAuthentication of the overlay',
    ]);
  });

  it('names every participant’s user once, for the apps, the stream processor and the tools', () => {
    const users = ofKind(prod, 'KafkaUser').map((user) => user.metadata.name);
    for (const participant of kafkaParticipants) expect(users).toContain(kafkaUserName(participant));
    expect(new Set(users).size).toBe(users.length);
  });
});
