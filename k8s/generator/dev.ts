/** k8s/overlays/dev: everything inside the cluster, one replica each (Kafka and PostgreSQL as StatefulSets). */
import {
  literals,
  Manifest,
  ManifestFiles,
  namespace,
  overlayKustomization,
  selectorOf,
  statefulSetWithService,
  UNPRIVILEGED_CONTAINER,
  Workloads,
} from './builders';
import {
  DATABASE_SECRET,
  DEV_DATABASE_URL,
  DEV_POSTGRES_CREDENTIALS,
  KAFKA_IMAGE,
  kafkaKraftEnvironment,
  kubernetesMemory,
  MEMORY_LIMIT_MIB,
  POSTGRES_IMAGE,
} from './environment';

const NAMESPACE = 'orderflow-dev';

export function devFiles(workloads: Workloads): ManifestFiles {
  return {
    'k8s/overlays/dev/kustomization.yaml': [devKustomization(workloads)],
    'k8s/overlays/dev/namespace.yaml': [namespace(NAMESPACE)],
    'k8s/overlays/dev/kafka.yaml': devKafka(),
    'k8s/overlays/dev/postgres.yaml': devPostgres(),
    'k8s/overlays/dev/topics-job.yaml': [devTopicsJob()],
  };
}

function devKustomization(workloads: Workloads): Manifest {
  return overlayKustomization(
    {
      namespace: NAMESPACE,
      resources: ['kafka.yaml', 'postgres.yaml', 'topics-job.yaml'],
      replicas: 1,
      imageTag: 'dev',
    },
    workloads,
    {
      secretGenerator: [
        // Development credentials for the in-cluster PostgreSQL only.
        { name: DATABASE_SECRET, literals: [`DATABASE_URL=${DEV_DATABASE_URL}`] },
        { name: 'orderflow-postgres', literals: literals(DEV_POSTGRES_CREDENTIALS) },
      ],
      configMapGenerator: [{ name: 'orderflow-config', behavior: 'merge', literals: ['LOG_LEVEL=debug'] }],
    },
  );
}

function devKafka(): Manifest[] {
  return statefulSetWithService({
    name: 'kafka',
    image: KAFKA_IMAGE,
    user: 1000,
    ports: [
      { name: 'kafka', containerPort: 9092 },
      { name: 'controller', containerPort: 9093 },
    ],
    environment: {
      env: Object.entries(kafkaKraftEnvironment('kafka')).map(([name, value]) => ({ name, value })),
    },
    check: { tcpSocket: { port: 'kafka' } },
    livenessDelaySeconds: 30,
    resources: {
      requests: { cpu: '250m', memory: '1Gi' },
      limits: { cpu: '2', memory: kubernetesMemory(MEMORY_LIMIT_MIB.kafka) },
    },
    dataPath: '/var/lib/kafka/data',
  });
}

function devPostgres(): Manifest[] {
  return statefulSetWithService({
    name: 'postgres',
    image: POSTGRES_IMAGE,
    user: 999,
    ports: [{ name: 'postgres', containerPort: 5432 }],
    environment: {
      envFrom: [{ secretRef: { name: 'orderflow-postgres' } }],
      env: [{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }],
    },
    check: { exec: { command: ['pg_isready', '-U', 'orderflow'] } },
    resources: {
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { cpu: '1', memory: kubernetesMemory(MEMORY_LIMIT_MIB.postgres) },
    },
    dataPath: '/var/lib/postgresql/data',
  });
}

/** Creates every registry topic (idempotent) once Kafka answers; the apps would too, this makes it visible. */
function devTopicsJob(): Manifest {
  const script = [
    'set -eu',
    'until /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server kafka:9092 >/dev/null 2>&1; do sleep 2; done',
    'while read -r topic partitions configs; do',
    '  [ -n "$topic" ] || continue',
    '  set -- --create --if-not-exists --bootstrap-server kafka:9092 --topic "$topic" --partitions "$partitions" --replication-factor 1',
    '  for config in $configs; do set -- "$@" --config "$config"; done',
    '  /opt/kafka/bin/kafka-topics.sh "$@"',
    'done < /topics/topics.txt',
  ].join('\n');
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'kafka-topics', labels: selectorOf('kafka-topics') },
    spec: {
      backoffLimit: 10,
      template: {
        metadata: { labels: selectorOf('kafka-topics') },
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: 1000 },
          containers: [
            {
              name: 'create-topics',
              image: KAFKA_IMAGE,
              command: ['/bin/sh', '-c', script],
              resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
              securityContext: UNPRIVILEGED_CONTAINER,
              volumeMounts: [{ name: 'topics', mountPath: '/topics' }],
            },
          ],
          volumes: [{ name: 'topics', configMap: { name: 'orderflow-topics' } }],
        },
      },
    },
  };
}
