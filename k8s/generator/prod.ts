/**
 * k8s/overlays/prod: a Strimzi Kafka cluster (KRaft: three controllers, three brokers, spread over zones) that takes only TLS and
 * SCRAM-SHA-512 clients and authorizes them by ACL, a KafkaTopic per topic, a KafkaUser per participant
 * with its credentials patched into its Deployment, and autoscaling: the gateway on CPU (HPA), every
 * service on its consumer group's lag (KEDA, signed in as the service).
 */
import { KAFKA_ADMIN_USER } from '@orderflow/contracts';
import { DeployableApp } from '../orderflow-apps';
import {
  literals,
  Manifest,
  ManifestFiles,
  namespace,
  overlayKustomization,
  PROVIDED_BY,
  strimziClusterLabels,
  topologySpread,
  Workloads,
  ZONE,
} from './builders';
import {
  DATABASE_SECRET,
  KAFKA_METADATA_VERSION,
  KAFKA_TLS_PORT,
  KAFKA_VERSION,
  PROD_NAMESPACE,
  PROD_PARTITIONS,
  sharedEnvironment,
  STRIMZI_API_VERSION,
  STRIMZI_CLUSTER,
} from './environment';
import { credentialPatches, kafkaUsers, triggerAuthentication, triggerAuthenticationName } from './kafka-access';
import { topicPlan } from './topics';

const GATEWAY_MAX_REPLICAS = 6;
/** Every autoscaled app keeps two pods: one can be drained or rescheduled while the other serves. */
const MIN_REPLICAS = 2;
const CREDENTIAL_PATCHES = 'kafka-credentials.yaml';
const DATABASE_SECRET_EXAMPLE = 'database-secret.example.yaml';

export function prodFiles(apps: DeployableApp[], workloads: Workloads): ManifestFiles {
  const autoscalers = apps.map((app) => (app.isPublic ? cpuAutoscaler(app) : lagAutoscaler(app)));
  return {
    'k8s/overlays/prod/kustomization.yaml': [
      prodKustomization(
        workloads,
        apps.map(({ name }) => name),
      ),
    ],
    'k8s/overlays/prod/namespace.yaml': [namespace(PROD_NAMESPACE)],
    'k8s/overlays/prod/kafka.yaml': strimziKafka(),
    'k8s/overlays/prod/topics.yaml': kafkaTopics(),
    'k8s/overlays/prod/kafka-users.yaml': kafkaUsers(),
    [`k8s/overlays/prod/${CREDENTIAL_PATCHES}`]: credentialPatches(workloads),
    [`k8s/overlays/prod/${DATABASE_SECRET_EXAMPLE}`]: [databaseSecretShape(apps)],
    'k8s/overlays/prod/autoscaling.yaml': [
      ...autoscalers,
      ...apps.filter((app) => !app.isPublic).map((app) => triggerAuthentication(app.name)),
    ],
  };
}

/** Every app is autoscaled (`autoscaled`); the stream processors run a fixed three. */
function prodKustomization(workloads: Workloads, autoscaled: string[]): Manifest {
  return overlayKustomization(
    {
      namespace: PROD_NAMESPACE,
      resources: ['kafka.yaml', 'topics.yaml', 'kafka-users.yaml', 'autoscaling.yaml'],
      replicas: 3,
      autoscaled,
      imageTag: '0.1.0',
    },
    workloads,
    {
      configMapGenerator: [{ name: 'orderflow-config', behavior: 'merge', literals: literals(sharedEnvironment.prod) }],
      patches: [{ path: CREDENTIAL_PATCHES }],
      // Not a resource: DATABASE_SECRET_EXAMPLE only shows the shape of the Secret whoever owns the
      // database creates (no credentials live in git).
    },
  );
}

/**
 * A pool of Kafka nodes of one role, spread over zones and nodes: with three replicas of each partition
 * and min.insync.replicas 2, two brokers (or two of three controllers) on one node or in one zone would
 * let one failure stop writes. Hard constraints: a pool that cannot spread waits rather than stacks.
 */
function nodePool(
  name: string,
  role: 'controller' | 'broker',
  pool: { storage: Manifest; resources: Manifest },
): Manifest {
  const podsOfPool = { ...strimziClusterLabels(), 'strimzi.io/pool-name': name };
  return {
    apiVersion: STRIMZI_API_VERSION,
    kind: 'KafkaNodePool',
    metadata: { name, labels: strimziClusterLabels() },
    spec: {
      replicas: 3,
      roles: [role],
      storage: pool.storage,
      resources: pool.resources,
      template: { pod: { topologySpreadConstraints: topologySpread(podsOfPool, 'DoNotSchedule') } },
    },
  };
}

function strimziKafka(): Manifest[] {
  return [
    // KRaft controllers apart from the brokers: a broker's restart or load never touches the quorum.
    nodePool('controllers', 'controller', {
      storage: { type: 'persistent-claim', size: '20Gi', deleteClaim: false },
      resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
    }),
    nodePool('brokers', 'broker', {
      storage: {
        type: 'jbod',
        volumes: [{ id: 0, type: 'persistent-claim', size: '100Gi', deleteClaim: false, kraftMetadata: 'shared' }],
      },
      resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
    }),
    {
      apiVersion: STRIMZI_API_VERSION,
      kind: 'Kafka',
      metadata: { name: STRIMZI_CLUSTER },
      spec: {
        kafka: {
          version: KAFKA_VERSION,
          metadataVersion: KAFKA_METADATA_VERSION,
          // The only client listener: encrypted, every client a SCRAM principal (no plain listener to fall back to).
          listeners: [
            {
              name: 'tls',
              port: KAFKA_TLS_PORT,
              type: 'internal',
              tls: true,
              authentication: { type: 'scram-sha-512' },
            },
          ],
          // broker.rack from each node's zone label: Kafka places a partition's replicas in different
          // zones. Strimzi reads the label through the ClusterRoleBinding its installation files create.
          rack: { type: 'topology-label', topologyKey: ZONE },
          // Kafka's StandardAuthorizer with the KafkaUsers' ACLs; no ACL, no access. Strimzi's own
          // components sign in with certificates and are super users already.
          authorization: { type: 'simple', superUsers: [KAFKA_ADMIN_USER] },
          config: {
            'default.replication.factor': 3,
            'min.insync.replicas': 2,
            'offsets.topic.replication.factor': 3,
            'transaction.state.log.replication.factor': 3,
            'transaction.state.log.min.isr': 2,
            'auto.create.topics.enable': false,
          },
        },
        // The user operator turns each KafkaUser into SCRAM credentials, ACLs and a Secret.
        entityOperator: { topicOperator: {}, userOperator: {} },
      },
    },
  ];
}

function kafkaTopics(): Manifest[] {
  return topicPlan(PROD_PARTITIONS).map(({ topic, partitions, config }) => ({
    apiVersion: STRIMZI_API_VERSION,
    kind: 'KafkaTopic',
    metadata: { name: topic, labels: strimziClusterLabels() },
    spec: {
      topicName: topic,
      partitions,
      replicas: 3,
      config: { 'min.insync.replicas': '2', ...(config ?? {}) },
    },
  }));
}

/** The gateway answers HTTP: it scales on CPU. */
function cpuAutoscaler(app: DeployableApp): Manifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: app.name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app.name },
      minReplicas: MIN_REPLICAS,
      maxReplicas: GATEWAY_MAX_REPLICAS,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
      behavior: dampedScaling(),
    },
  };
}

/**
 * How fast an autoscaler may change the replicas: each change rebalances the app's consumer groups
 * (its `.reply` partitions, for the gateway), which pauses consumption for a moment. Up by at most two
 * pods a minute once the need has lasted a minute; down by one pod every two minutes, to the highest
 * recommendation of the last five, so a lag or CPU curve that dips and climbs again keeps the pods.
 */
function dampedScaling(): Manifest {
  return {
    scaleUp: {
      stabilizationWindowSeconds: 60,
      selectPolicy: 'Max',
      policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }],
    },
    scaleDown: {
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Min',
      policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
    },
  };
}

/** A service consumes Kafka: it scales on its group's lag. */
function lagAutoscaler(app: DeployableApp): Manifest {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: app.name },
    spec: {
      scaleTargetRef: { name: app.name },
      minReplicaCount: MIN_REPLICAS,
      // More consumers than partitions would sit idle.
      maxReplicaCount: PROD_PARTITIONS,
      pollingInterval: 15,
      // No cooldownPeriod: it applies only to scaling to zero, which a minimum of two never does.
      // When KEDA cannot read the lag three polls in a row (Kafka or credentials unreachable): at least
      // MIN_REPLICAS, and never fewer than it runs already (a backlog may be why it cannot tell).
      fallback: { failureThreshold: 3, replicas: MIN_REPLICAS, behavior: 'currentReplicasIfHigher' },
      advanced: { horizontalPodAutoscalerConfig: { behavior: dampedScaling() } },
      triggers: [
        {
          type: 'kafka',
          metadata: {
            bootstrapServers: sharedEnvironment.prod.KAFKA_BROKERS,
            // Nest's ServerKafka joins `<groupId>-server`; no topic: the lag of every topic of the group.
            consumerGroup: `${app.name}-server`,
            lagThreshold: '50',
            offsetResetPolicy: 'earliest',
            // Plain settings here, the credentials in the TriggerAuthentication.
            sasl: 'scram_sha512',
            tls: 'enable',
          },
          authenticationRef: { name: triggerAuthenticationName(app.name) },
        },
      ],
    },
  };
}

/**
 * The one Secret the prod overlay needs and does not make (Strimzi makes the Kafka ones): its shape, as
 * an example outside the kustomization. A plain Secret rather than an ExternalSecret: the overlay then
 * assumes no secret store and no further operator, and whatever the platform uses (kubectl, External
 * Secrets, Sealed Secrets, a CSI driver) only has to produce this name and key. docs/kubernetes.md says
 * how to create it and which privileges its user needs.
 */
function databaseSecretShape(apps: DeployableApp[]): Manifest {
  const users = apps.filter((app) => app.hasDatabase).map((app) => app.name);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: DATABASE_SECRET,
      annotations: {
        [PROVIDED_BY]: 'the database owner (docs/kubernetes.md); this file is an example and is not applied',
        'orderflow.io/used-by': users.join(','),
      },
    },
    type: 'Opaque',
    stringData: {
      // The server and its maintenance database; each app uses (and, with CREATEDB, creates) orderflow_<app> there.
      DATABASE_URL: 'postgres://orderflow:CHANGE-ME@postgres.example.internal:5432/postgres',
    },
  };
}
