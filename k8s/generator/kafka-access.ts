/**
 * Who may do what on the prod Kafka cluster: a Strimzi KafkaUser per participant (SCRAM-SHA-512, the
 * ACLs that libs/contracts' aclsFor generates from the topic declaration), each Deployment's credentials
 * (its KafkaUser's Secret and the cluster CA), and the KEDA TriggerAuthentication its lag scaler uses.
 */
import { aclsFor, KAFKA_ADMIN_USER, KafkaAcl, kafkaParticipants, kafkaUserName } from '@orderflow/contracts';
import { Manifest, strimziClusterLabels, Workloads } from './builders';
import { kafkaCredentialVariables, STRIMZI_API_VERSION, STRIMZI_CLUSTER_CA_SECRET } from './environment';

/** Where each Deployment mounts the cluster CA certificate it verifies the brokers with. */
const CA_DIRECTORY = '/etc/orderflow/kafka-ca';
const CA_VOLUME = 'kafka-cluster-ca';

/** A workload is the participant of the same name; its KafkaUser (and Secret) is that participant's user name. */
export function kafkaUserOf(workload: string): string {
  const participant = kafkaParticipants.find((candidate) => candidate === workload);
  if (!participant) throw new Error(`${workload} is no participant of libs/contracts' Participants`);
  return kafkaUserName(participant);
}

/**
 * Every participant's KafkaUser, and the administrator's (a super user, for people at kafka-topics.sh:
 * no ACLs of its own). The User Operator makes a Secret of each one's name.
 */
export function kafkaUsers(): Manifest[] {
  return [
    ...kafkaParticipants.map((participant) => kafkaUser(kafkaUserName(participant), aclsFor(participant))),
    kafkaUser(KAFKA_ADMIN_USER, null),
  ];
}

function kafkaUser(name: string, acls: readonly KafkaAcl[] | null): Manifest {
  return {
    apiVersion: STRIMZI_API_VERSION,
    kind: 'KafkaUser',
    metadata: { name, labels: strimziClusterLabels() },
    spec: {
      authentication: { type: 'scram-sha-512' },
      ...(acls ? { authorization: { type: 'simple', acls: acls.map(strimziAcl) } } : {}),
    },
  };
}

/** Strimzi's spelling of an ACL: `prefix` for Kafka's PREFIXED, and the cluster is a resource without a name. */
export function strimziAcl(acl: KafkaAcl): Manifest {
  const resource =
    acl.resourceType === 'cluster'
      ? { type: 'cluster' }
      : { type: acl.resourceType, name: acl.name, patternType: acl.patternType === 'prefixed' ? 'prefix' : 'literal' };
  return { resource, operations: [...acl.operations], host: '*' };
}

/**
 * A strategic-merge patch per Deployment: its principal's name, its password from the Secret the User
 * Operator keeps, and the cluster CA certificate (read-only) to verify the brokers' TLS certificates.
 */
export function credentialPatches(workloads: Workloads): Manifest[] {
  return workloads.map(({ name }) => {
    const user = kafkaUserOf(name);
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name },
      spec: {
        template: {
          spec: {
            containers: [
              {
                name,
                env: [
                  { name: kafkaCredentialVariables.username, value: user },
                  {
                    name: kafkaCredentialVariables.password,
                    valueFrom: { secretKeyRef: { name: user, key: 'password' } },
                  },
                  { name: kafkaCredentialVariables.caFile, value: `${CA_DIRECTORY}/ca.crt` },
                ],
                volumeMounts: [{ name: CA_VOLUME, mountPath: CA_DIRECTORY, readOnly: true }],
              },
            ],
            volumes: [
              {
                name: CA_VOLUME,
                secret: { secretName: STRIMZI_CLUSTER_CA_SECRET, items: [{ key: 'ca.crt', path: 'ca.crt' }] },
              },
            ],
          },
        },
      },
    };
  });
}

/** What KEDA's Kafka scaler of `app` signs in with: the app's own principal, read from the same places as the app. */
export function triggerAuthentication(app: string): Manifest {
  const user = kafkaUserOf(app);
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'TriggerAuthentication',
    metadata: { name: triggerAuthenticationName(app) },
    spec: {
      // The User Operator's Secret holds no user name: KEDA reads it from the app's container.
      env: [{ parameter: 'username', name: kafkaCredentialVariables.username, containerName: app }],
      secretTargetRef: [
        { parameter: 'password', name: user, key: 'password' },
        { parameter: 'ca', name: STRIMZI_CLUSTER_CA_SECRET, key: 'ca.crt' },
      ],
    },
  };
}

export const triggerAuthenticationName = (app: string) => `${app}-kafka`;
