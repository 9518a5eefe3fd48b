/**
 * What every output shares: the images, the users they run as, the Kafka cluster's name and the
 * variables each app gets, in Kubernetes and docker-compose alike.
 */
import { DeployableApp, DeployableStreamApp } from '../orderflow-apps';

/**
 * The one Kafka version of every target: the local broker and the stream processor (their poms'
 * `kafka.version`, checked equal by test/operations), the dev overlay and docker-compose (the image),
 * and the Strimzi cluster (pinned, so an operator upgrade does not roll the brokers to its default).
 * It must be one the Strimzi release of docs/kubernetes.md supports (its kafka-versions.yaml).
 */
export const KAFKA_VERSION = '4.3.1';
/** The KRaft metadata version Strimzi pairs with KAFKA_VERSION; raised by hand once every broker runs it. */
export const KAFKA_METADATA_VERSION = '4.3-IV0';
export const KAFKA_IMAGE = `apache/kafka:${KAFKA_VERSION}`;
export const POSTGRES_IMAGE = 'postgres:17.6-bookworm';
export const STRIMZI_CLUSTER = 'orderflow';
/**
 * The one place the Strimzi API version is written: every Kafka, KafkaNodePool, KafkaTopic and KafkaUser
 * uses it. Strimzi 1.0 and later serve `v1` only (`v1beta2` is gone from their CRDs).
 */
export const STRIMZI_API_VERSION = 'kafka.strimzi.io/v1';
export const PROD_NAMESPACE = 'orderflow';
/** The cluster's DNS domain (kubelet's `clusterDomain`): a Service's full name ends in `.svc.<domain>`. */
export const CLUSTER_DOMAIN = 'cluster.local';
/** The prod cluster's only client listener: TLS, SCRAM-SHA-512 (dev and compose keep plain 9092). */
export const KAFKA_TLS_PORT = 9093;
/** What Strimzi names the Secret holding the cluster CA's certificate (key `ca.crt`), which signs the brokers'. */
export const STRIMZI_CLUSTER_CA_SECRET = `${STRIMZI_CLUSTER}-cluster-ca-cert`;
/**
 * The variables a Kafka client (a Nest app, the stream processor) signs in with in prod, as libs/config
 * names them. Names only: the values are the participant's KafkaUser, the Secret Strimzi's User Operator
 * makes for it, and the mounted cluster CA certificate. The mechanism is always SCRAM-SHA-512.
 */
export const kafkaCredentialVariables = {
  username: 'KAFKA_SASL_USERNAME',
  password: 'KAFKA_SASL_PASSWORD',
  caFile: 'KAFKA_TLS_CA_FILE',
} as const;
/** The node image's unprivileged user. */
export const NODE_IMAGE_USER = 1000;
/** The processor image's unprivileged user (the Dockerfile's `useradd --uid`). */
export const STREAMS_IMAGE_USER = 10001;

export const PROD_PARTITIONS = 12;
/** The in-cluster (dev) and compose PostgreSQL's only user: development credentials, nothing else. */
/**
 * Memory limits in MiB, one per kind of container: Kubernetes' `limits.memory` (base and dev overlay)
 * and compose's `deploy.resources.limits.memory` are both written from these.
 */
export const MEMORY_LIMIT_MIB = { app: 512, streamApp: 1024, kafka: 2048, postgres: 1024 } as const;

/** A MiB figure as Kubernetes writes quantities: 512Mi, 1Gi. */
export function kubernetesMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

export const DEV_POSTGRES_CREDENTIALS = { POSTGRES_USER: 'orderflow', POSTGRES_PASSWORD: 'orderflow' };
/** The Secret holding DATABASE_URL: dev's overlay makes it, prod's expects it (docs/kubernetes.md). */
export const DATABASE_SECRET = 'orderflow-database';
// Short enough that kustomize does not fold its base64 over two lines.
export const DEV_DATABASE_URL = 'postgres://orderflow:orderflow@postgres/postgres';

/** The environment every app gets from the `orderflow-config` ConfigMap, per target. */
export const sharedEnvironment = {
  base: {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    KAFKA_BROKERS: 'kafka:9092',
    KAFKA_TOPIC_PARTITIONS: '6',
    KAFKA_REPLICATION_FACTOR: '1',
  },
  prod: {
    // Fully qualified: KEDA's scaler runs in the KEDA operator's namespace and dials the same address
    // (Strimzi's broker certificates name the bootstrap Service by this name too).
    KAFKA_BROKERS: `${STRIMZI_CLUSTER}-kafka-bootstrap.${PROD_NAMESPACE}.svc.${CLUSTER_DOMAIN}:${KAFKA_TLS_PORT}`,
    // A `.reply` topic needs a partition per gateway instance (surge included): the HPA stays below.
    KAFKA_TOPIC_PARTITIONS: String(PROD_PARTITIONS),
    KAFKA_REPLICATION_FACTOR: '3',
  },
};

/** Per-app variables beside the shared ConfigMap: the same names in Kubernetes and docker-compose. */
export function appVariables(app: DeployableApp): string[] {
  return ['HTTP_PORT', 'MANAGEMENT_PORT', 'INSTANCE_ID', ...(app.hasDatabase ? ['DATABASE_URL'] : [])];
}

/**
 * A stream app's variables: the shared Kafka settings it reads (from `orderflow-config`), its own
 * values, and INSTANCE_ID (static group membership). Only names its Java settings read.
 */
export function streamAppEnvironment(app: DeployableStreamApp): {
  shared: Record<string, string>;
  own: Record<string, string>;
} {
  const own = { APPLICATION_ID: app.name, STATE_DIR: `/var/lib/${app.name}`, HTTP_PORT: String(app.port) };
  const unread = [...Object.keys(own), 'INSTANCE_ID'].filter((name) => !app.variables.includes(name));
  if (unread.length > 0) throw new Error(`streams/${app.name} does not read ${unread.join(', ')}`);
  const shared = Object.entries(sharedEnvironment.base).filter(([name]) => app.variables.includes(name));
  return { shared: Object.fromEntries(shared), own };
}

/** A single-node KRaft broker (controller and broker in one process), for the apache/kafka image. */
export function kafkaKraftEnvironment(advertisedHost: string): Record<string, string> {
  return {
    CLUSTER_ID: 'orderflow-dev-kraft-01',
    KAFKA_NODE_ID: '1',
    KAFKA_PROCESS_ROLES: 'broker,controller',
    KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
    KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${advertisedHost}:9092`,
    KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
    KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
    KAFKA_LOG_DIRS: '/var/lib/kafka/data',
    KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
    KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
    KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
  };
}
