/**
 * What the prod overlay must hold for Kafka to be closed to strangers and each principal to have only
 * its own rights, read from the rendered objects, each problem one line. Written apart from
 * k8s/generator so that a mistake in the generator is not repeated here: the ACLs are compared with
 * libs/contracts' aclsFor in a spelling of their own.
 */
import { aclsFor, KAFKA_ADMIN_USER, KafkaAcl, kafkaParticipants, kafkaUserName } from '@orderflow/contracts';
import { KubernetesObject, ofKind } from './rendered-manifests';

interface Listener {
  name: string;
  port: number;
  tls: boolean;
  authentication?: { type: string };
}

interface Kafka extends KubernetesObject {
  spec: {
    kafka: { listeners: Listener[]; authorization?: { type: string; superUsers?: string[] } };
    entityOperator?: { userOperator?: object };
  };
}

interface StrimziAcl {
  resource: { type: string; name?: string; patternType?: string };
  operations?: string[];
  operation?: string;
  type?: string;
}

interface KafkaUser extends KubernetesObject {
  spec: {
    authentication?: { type: string };
    authorization?: { type: string; acls: StrimziAcl[] };
  };
}

/** One line per (resource, operation): `topic:literal:orders.create:Write`, `cluster:*:Describe`. */
export function aclLines(acls: StrimziAcl[]): string[] {
  return acls
    .filter((acl) => (acl.type ?? 'allow') === 'allow')
    .flatMap((acl) => {
      const { type, name, patternType } = acl.resource;
      const resource = type === 'cluster' ? 'cluster:*' : `${type}:${patternType ?? 'literal'}:${name}`;
      return [...(acl.operations ?? []), ...(acl.operation ? [acl.operation] : [])].map((op) => `${resource}:${op}`);
    })
    .sort();
}

/** aclsFor's ACLs in the same lines: Kafka's PREFIXED is Strimzi's `prefix`. */
export function expectedAclLines(acls: readonly KafkaAcl[]): string[] {
  return acls
    .flatMap((acl) => {
      const pattern = acl.patternType === 'prefixed' ? 'prefix' : 'literal';
      const resource = acl.resourceType === 'cluster' ? 'cluster:*' : `${acl.resourceType}:${pattern}:${acl.name}`;
      return acl.operations.map((op) => `${resource}:${op}`);
    })
    .sort();
}

function difference(left: string[], right: string[]): string[] {
  return left.filter((line) => !right.includes(line));
}

/** `<cluster>-kafka-bootstrap.<namespace>.svc:<port>`: the address Strimzi's bootstrap Service answers. */
export function bootstrapAddress(kafka: Kafka, listener: Listener): string {
  return `${kafka.metadata.name}-kafka-bootstrap.${kafka.metadata.namespace}.svc:${listener.port}`;
}

function listenerProblems(kafka: Kafka): string[] {
  const problems: string[] = [];
  const { listeners, authorization } = kafka.spec.kafka;
  for (const listener of listeners) {
    if (!listener.authentication) problems.push(`Kafka listener ${listener.name} takes clients without authentication`);
    if (!listener.tls) problems.push(`Kafka listener ${listener.name} is not encrypted (tls: false)`);
  }
  if (authorization?.type !== 'simple') problems.push('Kafka has no simple (ACL) authorization');
  if (!kafka.spec.entityOperator?.userOperator) problems.push('Kafka runs no User Operator: KafkaUsers stay unused');
  return problems;
}

function userProblems(kafka: Kafka, users: KafkaUser[]): string[] {
  const problems: string[] = [];
  const superUsers = kafka.spec.kafka.authorization?.superUsers ?? [];
  const named = new Map(users.map((user) => [user.metadata.name, user]));
  for (const participant of kafkaParticipants) {
    const name = kafkaUserName(participant);
    const user = named.get(name);
    if (!user) {
      problems.push(`participant ${participant} has no KafkaUser ${name}`);
      continue;
    }
    if (user.spec.authentication?.type !== 'scram-sha-512')
      problems.push(`KafkaUser ${name} is not a SCRAM-SHA-512 user`);
    if (user.spec.authorization?.type !== 'simple') problems.push(`KafkaUser ${name} has no simple authorization`);
    const actual = aclLines(user.spec.authorization?.acls ?? []);
    const expected = expectedAclLines(aclsFor(participant));
    const missing = difference(expected, actual);
    const extra = difference(actual, expected);
    if (missing.length > 0 || extra.length > 0) {
      problems.push(
        `KafkaUser ${name} differs from aclsFor(${participant}): missing [${missing.join(', ')}], extra [${extra.join(', ')}]`,
      );
    }
  }
  const allowed = new Set([...kafkaParticipants.map(kafkaUserName), KAFKA_ADMIN_USER]);
  for (const user of users) {
    if (!allowed.has(user.metadata.name)) problems.push(`KafkaUser ${user.metadata.name} belongs to no participant`);
    if (user.metadata.labels?.['strimzi.io/cluster'] !== kafka.metadata.name)
      problems.push(`KafkaUser ${user.metadata.name} is not labelled for cluster ${kafka.metadata.name}`);
  }
  for (const superUser of superUsers) {
    if (!named.has(superUser)) problems.push(`super user ${superUser} has no KafkaUser (no credentials)`);
  }
  return problems;
}

/** Every way the rendered prod overlay leaves Kafka open or a principal with rights not its own. */
export function kafkaAccessProblems(objects: KubernetesObject[]): string[] {
  const clusters = ofKind<Kafka>(objects, 'Kafka');
  if (clusters.length !== 1) return [`expected one Strimzi Kafka, found ${clusters.length}`];
  const [kafka] = clusters;
  const users = ofKind<KafkaUser>(objects, 'KafkaUser');
  return [...listenerProblems(kafka), ...userProblems(kafka, users)];
}
