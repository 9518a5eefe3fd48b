/** k8s/base: a Deployment, Service, disruption budget and network policy per app, the ingress and the topic list. */
import { DeployableApp, DeployableStreamApp, gatewayPublicPaths } from '../orderflow-apps';
import {
  defaultDeny,
  disruptionBudget,
  hardenedDeployment,
  kafkaEgress,
  kustomization,
  labels,
  literals,
  Manifest,
  ManifestFiles,
  networkPolicy,
  partOfSystem,
  policyPort,
  portsRule,
  selectorOf,
  Workloads,
} from './builders';
import {
  DATABASE_SECRET,
  kubernetesMemory,
  MEMORY_LIMIT_MIB,
  NODE_IMAGE_USER,
  sharedEnvironment,
  streamAppEnvironment,
  STREAMS_IMAGE_USER,
} from './environment';
import { topicPlan } from './topics';

export function baseFiles(apps: DeployableApp[], streamApps: DeployableStreamApp[]): ManifestFiles {
  const gateway = apps.find((app) => app.isPublic);
  if (!gateway) throw new Error('no public app (gateway) in tools/system/apps.ts');
  const files: ManifestFiles = { 'k8s/base/kustomization.yaml': [baseKustomization([...apps, ...streamApps])] };
  for (const app of apps) {
    files[`k8s/base/apps/${app.name}.yaml`] = [
      deployment(app),
      service(app),
      disruptionBudget(app),
      appNetworkPolicy(app),
    ];
  }
  for (const app of streamApps) {
    files[`k8s/base/apps/${app.name}.yaml`] = [streamDeployment(app), disruptionBudget(app), streamNetworkPolicy(app)];
  }
  files['k8s/base/ingress.yaml'] = [ingress(gateway)];
  files['k8s/base/network-policies.yaml'] = [defaultDeny()];
  files['k8s/base/topics.yaml'] = [topicsConfigMap()];
  return files;
}

function baseKustomization(workloads: Workloads): Manifest {
  return kustomization({
    labels: [{ pairs: partOfSystem }],
    resources: [
      ...workloads.map(({ name }) => `apps/${name}.yaml`),
      'ingress.yaml',
      'network-policies.yaml',
      'topics.yaml',
    ],
    configMapGenerator: [{ name: 'orderflow-config', literals: literals(sharedEnvironment.base) }],
  });
}

// ---- the Nest apps ----

function deployment(app: DeployableApp): Manifest {
  return hardenedDeployment({
    name: app.name,
    port: app.port,
    managementPort: app.managementPort,
    // The management port: /metrics is not served on the app's public one.
    podAnnotations: {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(app.managementPort),
      'prometheus.io/path': '/metrics',
    },
    user: NODE_IMAGE_USER,
    // Above the pause and the app's own drain (SHUTDOWN_TIMEOUT_MS): consumer, HTTP, outbox flush.
    terminationGracePeriodSeconds: 30,
    preStopPauseSeconds: 5,
    environment: {
      envFrom: [{ configMapRef: { name: 'orderflow-config' } }],
      env: [
        { name: 'HTTP_PORT', value: String(app.port) },
        { name: 'MANAGEMENT_PORT', value: String(app.managementPort) },
        { name: 'INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ...(app.hasDatabase
          ? [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: DATABASE_SECRET, key: 'DATABASE_URL' } } }]
          : []),
      ],
    },
    // Migrations and topic provisioning run before the first answer: up to 150 s.
    startupFailureThreshold: 30,
    resources: {
      requests: { cpu: '100m', memory: '192Mi' },
      limits: { cpu: '1', memory: kubernetesMemory(MEMORY_LIMIT_MIB.app) },
    },
    scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '64Mi' }],
  });
}

function service(app: DeployableApp): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: app.name, labels: labels(app.name) },
    spec: {
      selector: selectorOf(app.name),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/** Only the gateway takes outside traffic, on its public port; every app reaches DNS, Kafka and (with a database) PostgreSQL. */
function appNetworkPolicy(app: DeployableApp): Manifest {
  const ingress: Manifest[] = [
    // Prometheus in the monitoring namespace scrapes /metrics on the management port, and only there.
    {
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [policyPort(app.managementPort)],
    },
  ];
  if (app.isPublic) ingress.push(portsRule(app.port));
  const egress = kafkaEgress();
  // The database may live outside the cluster (a managed PostgreSQL): the port, not the pods, is the rule.
  if (app.hasDatabase) egress.push(portsRule(5432));
  if (app.callsOut) egress.push(portsRule(443, 80));
  return networkPolicy(app.name, ingress, egress);
}

function ingress(gateway: DeployableApp): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: gateway.name, labels: labels(gateway.name) },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: 'orderflow.example.com',
          http: {
            // The public API only: the Service has the public port alone, and /health stays inside.
            paths: gatewayPublicPaths.map((path) => ({
              path,
              pathType: 'Prefix',
              backend: { service: { name: gateway.name, port: { name: 'http' } } },
            })),
          },
        },
      ],
    },
  };
}

// ---- the Kafka Streams processors (streams/<app>, Java) ----

/**
 * Instances with the same application.id share the input partitions: replicas scale it (per overlay,
 * not autoscaled, since every change of members moves tasks). Its RocksDB state is a cache of the
 * changelog topics, so an emptyDir (restored on a new pod) does, and no StatefulSet is needed.
 */
function streamDeployment(app: DeployableStreamApp): Manifest {
  const { shared, own } = streamAppEnvironment(app);
  return hardenedDeployment({
    name: app.name,
    port: app.port,
    user: STREAMS_IMAGE_USER,
    // streams.close() has 20 s to commit and hand its tasks over, the clock producer 2 s.
    terminationGracePeriodSeconds: 30,
    environment: {
      env: [
        ...Object.keys(shared).map((name) => ({
          name,
          valueFrom: { configMapKeyRef: { name: 'orderflow-config', key: name } },
        })),
        ...Object.entries(own).map(([name, value]) => ({ name, value })),
        { name: 'INSTANCE_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    },
    // It waits up to 2 minutes for the services' input topics before its health port answers.
    startupFailureThreshold: 30,
    // The heap is capped (-Xmx256m); RocksDB's caches and memtables live off-heap beside it.
    resources: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1', memory: kubernetesMemory(MEMORY_LIMIT_MIB.streamApp) },
    },
    scratch: [
      { name: 'state', mountPath: own.STATE_DIR, sizeLimit: '2Gi' },
      // RocksDB unpacks its native library into java.io.tmpdir (and the JVM keeps its perf data there).
      { name: 'tmp', mountPath: '/tmp', sizeLimit: '256Mi' },
    ],
  });
}

/** Nothing calls the processor (the kubelet probes it), so no Service and no ingress; it reaches Kafka only. */
function streamNetworkPolicy(app: DeployableStreamApp): Manifest {
  return networkPolicy(app.name, [], kafkaEgress());
}

// ---- the topic list dev's Job reads ----

function topicsConfigMap(): Manifest {
  const lines = topicPlan(Number(sharedEnvironment.base.KAFKA_TOPIC_PARTITIONS)).map(({ topic, partitions, config }) =>
    [topic, partitions, ...literals(config ?? {})].join(' '),
  );
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'orderflow-topics', labels: partOfSystem },
    data: { 'topics.txt': `${lines.join('\n')}\n` },
  };
}
