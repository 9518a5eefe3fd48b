/**
 * What the prod overlay must hold for Kafka to be closed to strangers and each principal to have only
 * its own rights, read from the rendered objects, each problem one line. Written apart from
 * k8s/generator so that a mistake in the generator is not repeated here: the ACLs are compared with
 * libs/contracts' aclsFor in a spelling of their own.
 */
import { aclsFor, KAFKA_ADMIN_USER, KafkaAcl, kafkaParticipants, kafkaUserName } from '@orderflow/contracts';
import { CLUSTER_DOMAIN, kafkaCredentialVariables } from '../../k8s/generate';
import { environmentOf, EnvironmentSources, EnvVar, KubernetesObject, ofKind } from './rendered-manifests';

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

interface Container extends EnvironmentSources {
  name: string;
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}

interface Deployment extends KubernetesObject {
  spec: {
    template: {
      spec: {
        containers: Container[];
        volumes?: { name: string; secret?: { secretName: string; items?: { key: string; path: string }[] } }[];
      };
    };
  };
}

interface ScaledObject extends KubernetesObject {
  spec: {
    scaleTargetRef: { name: string };
    triggers: { type: string; metadata: Record<string, string>; authenticationRef?: { name: string } }[];
  };
}

interface TriggerAuthentication extends KubernetesObject {
  spec: {
    secretTargetRef?: { parameter: string; name: string; key: string }[];
    env?: { parameter: string; name: string; containerName?: string }[];
  };
}

/** The keys of the Secrets Strimzi's operators make: a SCRAM KafkaUser's, and the cluster CA certificate's. */
const USER_SECRET_KEYS = ['password', 'sasl.jaas.config'];
const CLUSTER_CA_SECRET_KEYS = ['ca.crt', 'ca.p12', 'ca.password'];

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

/**
 * `<cluster>-kafka-bootstrap.<namespace>.svc.cluster.local:<port>`: the address Strimzi's bootstrap
 * Service answers, by the full name that resolves from any namespace (KEDA's too).
 */
export function bootstrapAddress(kafka: Kafka, listener: Listener): string {
  return `${kafka.metadata.name}-kafka-bootstrap.${kafka.metadata.namespace}.svc.${CLUSTER_DOMAIN}:${listener.port}`;
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

/** The container's mount of the cluster CA Secret, and the file in it that KAFKA_SSL_CA_FILE must name. */
function caFileOf(deployment: Deployment, container: Container, caSecret: string): string | undefined {
  const volume = deployment.spec.template.spec.volumes?.find((candidate) => candidate.secret?.secretName === caSecret);
  const mount = container.volumeMounts?.find((candidate) => candidate.name === volume?.name);
  if (!volume || !mount?.readOnly) return undefined;
  const path = volume.secret?.items?.find((item) => item.key === 'ca.crt')?.path ?? 'ca.crt';
  return `${mount.mountPath}/${path}`;
}

/** A variable's source in one line: `secret orderflow-orders/password`, or its value in quotes. */
function sourceOf(variable: Omit<EnvVar, 'name'> | undefined): string {
  const secret = variable?.valueFrom?.secretKeyRef;
  if (secret) return `secret ${secret.name}/${secret.key}`;
  return variable?.valueFrom ? `${Object.keys(variable.valueFrom).join()} reference` : JSON.stringify(variable?.value);
}

function deploymentProblems(objects: KubernetesObject[], bootstrap: string, caSecret: string): string[] {
  const problems: string[] = [];
  for (const deployment of ofKind<Deployment>(objects, 'Deployment')) {
    const name = deployment.metadata.name;
    const participant = kafkaParticipants.find((candidate) => candidate === name);
    if (!participant) {
      problems.push(`Deployment ${name} is no participant: it has no Kafka principal`);
      continue;
    }
    const [container] = deployment.spec.template.spec.containers;
    const variables = environmentOf(objects, container);
    const user = kafkaUserName(participant);
    const caFile = caFileOf(deployment, container, caSecret) ?? '(no read-only mount of the cluster CA)';
    const wanted: Record<string, Omit<EnvVar, 'name'>> = {
      KAFKA_BROKERS: { value: bootstrap },
      [kafkaCredentialVariables.username]: { value: user },
      [kafkaCredentialVariables.password]: { valueFrom: { secretKeyRef: { name: user, key: 'password' } } },
      [kafkaCredentialVariables.caFile]: { value: caFile },
    };
    for (const [variable, expected] of Object.entries(wanted)) {
      const actual = sourceOf(variables.get(variable));
      if (actual !== sourceOf(expected))
        problems.push(`Deployment ${name}: ${variable} is ${actual}, not ${sourceOf(expected)}`);
    }
  }
  return problems;
}

/** The Secrets a TriggerAuthentication may name: ones in the overlay, or ones Strimzi's operators make from it. */
function providedSecretKeys(objects: KubernetesObject[], users: KafkaUser[], caSecret: string): Map<string, string[]> {
  const provided = new Map<string, string[]>();
  for (const secret of ofKind<KubernetesObject & { data?: object; stringData?: object }>(objects, 'Secret')) {
    provided.set(secret.metadata.name, [...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]);
  }
  for (const user of users) provided.set(user.metadata.name, USER_SECRET_KEYS);
  provided.set(caSecret, CLUSTER_CA_SECRET_KEYS);
  return provided;
}

function autoscalerProblems(
  objects: KubernetesObject[],
  users: KafkaUser[],
  bootstrap: string,
  caSecret: string,
): string[] {
  const problems: string[] = [];
  const authentications = new Map(
    ofKind<TriggerAuthentication>(objects, 'TriggerAuthentication').map((auth) => [auth.metadata.name, auth]),
  );
  const secrets = providedSecretKeys(objects, users, caSecret);
  for (const scaled of ofKind<ScaledObject>(objects, 'ScaledObject')) {
    const target = scaled.spec.scaleTargetRef.name;
    const participant = kafkaParticipants.find((candidate) => candidate === target);
    for (const trigger of scaled.spec.triggers.filter((candidate) => candidate.type === 'kafka')) {
      const where = `ScaledObject ${scaled.metadata.name}`;
      const { bootstrapServers, sasl, tls } = trigger.metadata;
      if (bootstrapServers !== bootstrap)
        problems.push(`${where} reads lag from ${bootstrapServers}, not ${bootstrap}`);
      if (sasl !== 'scram_sha512' || tls !== 'enable')
        problems.push(`${where} does not sign in with SCRAM-SHA-512 over TLS`);
      const auth = trigger.authenticationRef && authentications.get(trigger.authenticationRef.name);
      if (!auth) {
        problems.push(`${where} references no TriggerAuthentication of the overlay`);
        continue;
      }
      const parameters = new Map((auth.spec.secretTargetRef ?? []).map((ref) => [ref.parameter, ref]));
      for (const ref of auth.spec.secretTargetRef ?? []) {
        if (!secrets.get(ref.name)?.includes(ref.key))
          problems.push(
            `TriggerAuthentication ${auth.metadata.name} needs ${ref.name}/${ref.key}, which nothing provides`,
          );
      }
      const user = participant && kafkaUserName(participant);
      if (parameters.get('password')?.name !== user)
        problems.push(`TriggerAuthentication ${auth.metadata.name} does not use ${target}'s own password`);
      if (parameters.get('ca')?.name !== caSecret)
        problems.push(`TriggerAuthentication ${auth.metadata.name} does not verify the brokers with ${caSecret}`);
      const username = auth.spec.env?.find((entry) => entry.parameter === 'username');
      const deployment = ofKind<Deployment>(objects, 'Deployment').find(
        (candidate) => candidate.metadata.name === target,
      );
      const container = deployment?.spec.template.spec.containers.find(
        (candidate) => candidate.name === (username?.containerName ?? candidate.name),
      );
      const variable = container && username && environmentOf(objects, container).get(username.name);
      if (variable?.value !== user)
        problems.push(
          `TriggerAuthentication ${auth.metadata.name} takes no user name ${user} from ${target}'s container`,
        );
    }
  }
  return problems;
}

/** Every way the rendered prod overlay leaves Kafka open or a principal with rights not its own. */
export function kafkaAccessProblems(objects: KubernetesObject[]): string[] {
  const clusters = ofKind<Kafka>(objects, 'Kafka');
  if (clusters.length !== 1) return [`expected one Strimzi Kafka, found ${clusters.length}`];
  const [kafka] = clusters;
  const users = ofKind<KafkaUser>(objects, 'KafkaUser');
  const listener = kafka.spec.kafka.listeners.find((candidate) => candidate.tls && candidate.authentication);
  const bootstrap = listener ? bootstrapAddress(kafka, listener) : '(no TLS listener with authentication)';
  const caSecret = `${kafka.metadata.name}-cluster-ca-cert`;
  return [
    ...listenerProblems(kafka),
    ...userProblems(kafka, users),
    ...deploymentProblems(objects, bootstrap, caSecret),
    ...autoscalerProblems(objects, users, bootstrap, caSecret),
  ];
}
