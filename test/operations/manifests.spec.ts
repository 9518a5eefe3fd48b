import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { kafkaEnv } from '@orderflow/config';
import { analyticsResultTopics, deadLetterTopicOf, Topic } from '@orderflow/contracts';
import { KAFKA_TLS_PORT, kubernetesMemory, PROD_PARTITIONS, STRIMZI_API_VERSION, topicPlan } from '../../k8s/generate';
import { CURRENT, generatorCheck } from '../../tools/generated-files';
import {
  deployableApps,
  deployableStreamApps,
  javaStringConstants,
  nestApplications,
  REPO_ROOT,
  requiredVariables,
} from '../../k8s/orderflow-apps';
import {
  ConfigMap,
  environmentOf,
  EnvironmentSources,
  EnvVar,
  KubernetesObject,
  ofKind,
  Overlay,
  renderOverlay,
  validateAgainstSchemas,
} from './rendered-manifests';
import { autoscalerConflicts } from './cluster-checks';

interface Probe {
  httpGet: { path: string; port: string | number };
}

interface Container extends EnvironmentSources {
  name: string;
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}

interface Deployment extends KubernetesObject {
  spec: {
    replicas: number;
    template: {
      metadata: { annotations?: Record<string, string> };
      spec: {
        securityContext: { runAsNonRoot?: boolean };
        topologySpreadConstraints?: SpreadConstraint[];
        terminationGracePeriodSeconds?: number;
        containers: Container[];
        volumes?: { name: string; emptyDir?: Record<string, string>; secret?: { secretName: string } }[];
      };
    };
  };
}

interface NetworkPolicy extends KubernetesObject {
  spec: {
    ingress?: { from?: unknown[]; ports?: { port: number }[] }[];
    egress?: { ports?: { port: number }[] }[];
  };
}

interface SpreadConstraint {
  topologyKey: string;
  labelSelector: { matchLabels: Record<string, string> };
}

interface PodTemplate {
  pod: { topologySpreadConstraints?: SpreadConstraint[] };
}

/** The topology keys a pod spec spreads over, counting pods that carry `labels`. */
function spreadKeys(podSpec: { topologySpreadConstraints?: SpreadConstraint[] }, labels: Record<string, string>) {
  return (podSpec.topologySpreadConstraints ?? [])
    .filter((constraint) =>
      Object.entries(labels).every(([key, value]) => constraint.labelSelector.matchLabels[key] === value),
    )
    .map((constraint) => constraint.topologyKey)
    .sort();
}

const apps = deployableApps();
const streamApps = deployableStreamApps();
/** Everything that runs as a Deployment: the Nest apps and the Kafka Streams processors. */
const workloads = [...apps, ...streamApps].map(({ name, port }) => ({ name, port }));
const overlays: Overlay[] = ['dev', 'prod'];
const rendered = Object.fromEntries(overlays.map((overlay) => [overlay, renderOverlay(overlay)])) as Record<
  Overlay,
  KubernetesObject[]
>;

function deploymentOf(objects: KubernetesObject[], app: string): Deployment {
  const deployment = ofKind<Deployment>(objects, 'Deployment').find((candidate) => candidate.metadata.name === app);
  if (!deployment) throw new Error(`no Deployment ${app}`);
  return deployment;
}

function mebibytes(quantity: string | undefined): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity ?? '');
  if (!match) throw new Error(`not a Mi or Gi quantity: ${quantity}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

/** A Deployment's one container, and the variables it ends up with. */
function containerOf(
  objects: KubernetesObject[],
  name: string,
): { container: Container; variables: Map<string, EnvVar> } {
  const [container] = deploymentOf(objects, name).spec.template.spec.containers;
  return { container, variables: environmentOf(objects, container) };
}

describe('generated operations files', () => {
  it('match what k8s/generate.ts writes (run `npm run ops:generate` after adding an app or a topic)', () => {
    expect(generatorCheck('k8s/generate.ts')).toEqual(CURRENT);
  });

  it('cover every application that nest-cli.json builds', () => {
    expect(apps.map((app) => app.name).sort()).toEqual(nestApplications().sort());
  });
});

describe.each(overlays)('k8s/overlays/%s', (overlay) => {
  const objects = rendered[overlay];

  it('renders only objects that the Kubernetes schemas, or the KEDA and Strimzi CRD schemas, accept', () => {
    // Every object has a schema: `no-schema` (an apiVersion no package models) fails as well.
    expect(validateAgainstSchemas(objects).filter((result) => result.problem !== null)).toEqual([]);
  });

  it.each(workloads.map((workload) => workload.name))(
    'runs %s as a hardened Deployment with probes on its HTTP port',
    (name) => {
      const app = workloads.find((candidate) => candidate.name === name)!;
      const deployment = deploymentOf(objects, name);
      const { securityContext: podSecurity, containers } = deployment.spec.template.spec;
      expect(podSecurity.runAsNonRoot).toBe(true);
      // Its replicas spread over zones and nodes, counted by its own selector.
      expect(spreadKeys(deployment.spec.template.spec, { 'app.kubernetes.io/name': name })).toEqual([
        'kubernetes.io/hostname',
        'topology.kubernetes.io/zone',
      ]);
      expect(containers).toHaveLength(1);
      const [container] = containers;
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(Object.keys(container.resources.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(container.resources.limits ?? {}).sort()).toEqual(['cpu', 'memory']);

      const variables = environmentOf(objects, container);
      const port = container.ports.find((candidate) => candidate.name === 'http');
      expect(port?.containerPort).toBe(Number(variables.get('HTTP_PORT')?.value));
      expect(container.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(port?.containerPort).toBe(app.port);
      // Every writable path is an emptyDir: the root filesystem is read-only. Secrets are mounted read-only.
      const volumes = deployment.spec.template.spec.volumes ?? [];
      const scratch = volumes.filter((volume) => volume.emptyDir).map(({ name }) => name);
      const writable = container.volumeMounts?.filter((mount) => !mount.readOnly).map((mount) => mount.name);
      expect(writable?.sort()).toEqual(scratch.sort());
      const readOnly = container.volumeMounts?.filter((mount) => mount.readOnly).map((mount) => mount.name) ?? [];
      expect(readOnly.filter((name) => !volumes.find((volume) => volume.name === name)?.secret)).toEqual([]);
      expect(container.volumeMounts?.map((mount) => mount.mountPath)).toContain('/tmp');
      expect(ofKind(objects, 'PodDisruptionBudget').map((budget) => budget.metadata.name)).toContain(name);
      expect(ofKind(objects, 'NetworkPolicy').map((policy) => policy.metadata.name)).toContain(name);
    },
  );

  it.each(apps.map((app) => app.name))('serves %s behind a Service on its http port', (name) => {
    const service = ofKind<KubernetesObject & { spec: { ports: { targetPort: string }[] } }>(objects, 'Service').find(
      (candidate) => candidate.metadata.name === name,
    );
    expect(service?.spec.ports.map((servicePort) => servicePort.targetPort)).toEqual(['http']);
  });

  it.each(apps.map((app) => app.name))(
    'pauses %s before SIGTERM (its endpoints go first), within a grace period that covers its drain',
    (name) => {
      const { container, variables } = containerOf(objects, name);
      const [command, seconds] = container.lifecycle?.preStop?.exec?.command ?? [];
      expect(command).toBe('sleep');
      expect(Number(seconds)).toBeGreaterThan(0);
      const drainSeconds = z.object(kafkaEnv).parse({
        SHUTDOWN_TIMEOUT_MS: variables.get('SHUTDOWN_TIMEOUT_MS')?.value,
      }).SHUTDOWN_TIMEOUT_MS;
      const grace = deploymentOf(objects, name).spec.template.spec.terminationGracePeriodSeconds ?? 30;
      expect(grace).toBeGreaterThan(Number(seconds) + drainSeconds / 1000);
    },
  );

  it.each(streamApps.map((app) => app.name))(
    'sets only variables that the %s Java settings read, its Kafka settings from the shared ConfigMap',
    (name) => {
      const app = streamApps.find((candidate) => candidate.name === name)!;
      const { container, variables } = containerOf(objects, name);
      expect([...variables.keys()].filter((variable) => !app.variables.includes(variable))).toEqual([]);
      for (const variable of ['KAFKA_BROKERS', 'APPLICATION_ID', 'STATE_DIR', 'HTTP_PORT', 'INSTANCE_ID']) {
        expect({ variable, isSet: variables.has(variable) }).toEqual({ variable, isSet: true });
      }
      // The same cluster and topic settings as the services, from the one ConfigMap (every key resolves).
      const services = containerOf(objects, 'gateway').variables;
      for (const variable of container.env.filter((candidate) => candidate.valueFrom?.configMapKeyRef)) {
        expect(variables.get(variable.name)?.value).toBeDefined();
        expect(variables.get(variable.name)?.value).toBe(services.get(variable.name)?.value);
      }
      // One application.id for every replica: they share the partitions and the state.
      expect(variables.get('APPLICATION_ID')?.value).toBe(name);
      expect(container.volumeMounts?.map((mount) => mount.mountPath)).toContain(variables.get('STATE_DIR')?.value);
      // The JVM's heap cap leaves room under the memory limit for RocksDB, metaspace and threads.
      const heap = Number(/^-Xmx(\d+)m$/.exec(app.jvmOptions.find((option) => option.startsWith('-Xmx')) ?? '')?.[1]);
      expect(mebibytes(container.resources.limits?.memory)).toBeGreaterThanOrEqual(2 * heap);
    },
  );

  it.each(streamApps.map((app) => app.name))('lets %s reach only DNS and Kafka, and nothing reach it', (name) => {
    const policy = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').find(
      (candidate) => candidate.metadata.name === name,
    );
    expect(policy?.spec.ingress).toEqual([]);
    const ports = policy?.spec.egress?.flatMap((rule) => (rule.ports ?? []).map((port) => port.port));
    // Dev's plain broker on 9092, prod's Strimzi TLS listener on 9093.
    expect(new Set(ports)).toEqual(new Set([53, 9092, KAFKA_TLS_PORT]));
    expect(ofKind(objects, 'Service').map((service) => service.metadata.name)).not.toContain(name);
  });

  it.each(apps.map((app) => app.name))(
    'sets only variables that the %s env schema knows, and every required one',
    (name) => {
      const app = apps.find((candidate) => candidate.name === name)!;
      const { container, variables } = containerOf(objects, name);
      const known = Object.keys(app.envSchema.shape);
      expect([...variables.keys()].filter((variable) => !known.includes(variable))).toEqual([]);
      expect(requiredVariables(app.envSchema).filter((variable) => !variables.has(variable))).toEqual([]);
      // Plain values must pass the app's own validation (secrets are checked by their reference, and
      // paths into a read-only mount by the mount: the file exists in the pod only).
      const mounted = (value: string) =>
        (container.volumeMounts ?? []).some((mount) => mount.readOnly && value.startsWith(`${mount.mountPath}/`));
      const plain = Object.fromEntries(
        [...variables.values()]
          .filter((variable) => variable.value !== undefined && !mounted(variable.value))
          .map((v) => [v.name, v.value]),
      );
      const parsed = app.envSchema.partial().safeParse(plain);
      expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'))).toEqual([]);
      if (app.hasDatabase) {
        expect(variables.get('DATABASE_URL')?.valueFrom?.secretKeyRef).toEqual({
          name: expect.any(String),
          key: 'DATABASE_URL',
        });
      }
    },
  );

  it.each(apps.map((app) => app.name))(
    'serves the metrics of %s on its management port only, where only Prometheus reaches them',
    (name) => {
      const app = apps.find((candidate) => candidate.name === name)!;
      const deployment = deploymentOf(objects, name);
      const { container, variables } = containerOf(objects, name);
      const management = container.ports.find((candidate) => candidate.name === 'management');
      expect(management?.containerPort).toBe(Number(variables.get('MANAGEMENT_PORT')?.value));
      expect(management?.containerPort).toBe(app.managementPort);
      expect(management?.containerPort).not.toBe(app.port);
      // tools/system's port (npm start) is the app's own default.
      expect((app.envSchema.shape.MANAGEMENT_PORT as z.ZodType).parse(undefined)).toBe(app.managementPort);
      expect(deployment.spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/port': String(app.managementPort),
        'prometheus.io/path': '/metrics',
      });
      const policy = ofKind<NetworkPolicy>(objects, 'NetworkPolicy').find((each) => each.metadata.name === name);
      const fromMonitoring = policy?.spec.ingress?.filter((rule) => rule.from !== undefined);
      expect(fromMonitoring?.flatMap((rule) => rule.ports?.map((port) => port.port))).toEqual([app.managementPort]);
      const openPorts = policy?.spec.ingress?.filter((rule) => rule.from === undefined);
      expect(openPorts?.flatMap((rule) => rule.ports?.map((port) => port.port))).not.toContain(app.managementPort);
    },
  );

  it('routes only the public API of the gateway through the Ingress: no /metrics, no /health, no catch-all', () => {
    const [ingress] = ofKind<
      KubernetesObject & {
        spec: { rules: { http: { paths: { path: string; backend: { service: { port: { name: string } } } }[] } }[] };
      }
    >(objects, 'Ingress');
    const paths = ingress.spec.rules.flatMap((rule) => rule.http.paths);
    expect(paths.map((each) => each.path)).toEqual(expect.arrayContaining(['/orders', '/products', '/docs']));
    for (const forbidden of ['/', '/metrics', '/health'])
      expect(paths.map((each) => each.path)).not.toContain(forbidden);
    expect(new Set(paths.map((each) => each.backend.service.port.name))).toEqual(new Set(['http']));
  });

  it('lets only the gateway take traffic from outside the cluster', () => {
    const ingresses = ofKind<
      KubernetesObject & { spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] } }
    >(objects, 'Ingress');
    const backends = ingresses.flatMap((ingress) =>
      ingress.spec.rules.flatMap((rule) => rule.http.paths.map((rulePath) => rulePath.backend.service.name)),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
    const policies = ofKind<NetworkPolicy>(objects, 'NetworkPolicy');
    const openToAll = policies
      .filter((policy) => (policy.spec.ingress ?? []).some((rule) => rule.from === undefined))
      .map((policy) => policy.metadata.name);
    expect(openToAll).toEqual(['gateway']);
  });
});

describe('secrets of k8s/overlays/prod', () => {
  const example = parse(
    fs.readFileSync(path.join(REPO_ROOT, 'k8s/overlays/prod/database-secret.example.yaml'), 'utf8'),
  ) as KubernetesObject & { stringData: Record<string, string> };

  it('expects the database Secret that database-secret.example.yaml shows, and does not apply the example', () => {
    const referenced = workloads.flatMap(({ name }) =>
      [...containerOf(rendered.prod, name).variables.values()]
        .map((variable) => variable.valueFrom?.secretKeyRef)
        .filter((reference) => reference?.name === example.metadata.name),
    );
    expect(referenced.length).toBeGreaterThan(0);
    for (const reference of referenced) expect(Object.keys(example.stringData)).toContain(reference?.key);
    expect(ofKind(rendered.prod, 'Secret').map((secret) => secret.metadata.name)).not.toContain(example.metadata.name);
    expect(validateAgainstSchemas([example])).toEqual([{ kind: 'Secret', name: example.metadata.name, problem: null }]);
    // Its example URL passes the apps' own validation.
    const [withDatabase] = apps.filter((app) => app.hasDatabase);
    expect(withDatabase.envSchema.partial().safeParse(example.stringData).success).toBe(true);
  });
});

describe('topics', () => {
  const planned = (partitions: number) =>
    topicPlan(partitions)
      .map(({ topic }) => topic)
      .sort();

  it('lists every planned topic in the base (the registry with .reply and .dlq, the processor’s), and nothing else', () => {
    const configMap = ofKind<ConfigMap>(rendered.dev, 'ConfigMap').find((candidate) =>
      candidate.metadata.name.startsWith('orderflow-topics'),
    );
    const listed = configMap!.data['topics.txt']
      .trim()
      .split('\n')
      .map((line) => line.split(' ')[0]);
    expect(listed.sort()).toEqual(planned(6));
    expect(ofKind(rendered.dev, 'Job').map((job) => job.metadata.name)).toEqual(['kafka-topics']);
  });

  it('prod has one Strimzi KafkaTopic per planned topic, replicated 3 with min.insync.replicas 2', () => {
    const strimziTopic = z.object({
      apiVersion: z.literal(STRIMZI_API_VERSION),
      metadata: z.object({
        name: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
        labels: z.object({ 'strimzi.io/cluster': z.string() }),
      }),
      spec: z.object({
        topicName: z.string(),
        partitions: z.number().int().positive(),
        replicas: z.literal(3),
        config: z.object({ 'min.insync.replicas': z.literal('2') }).catchall(z.string()),
      }),
    });
    const topics = ofKind(rendered.prod, 'KafkaTopic').map((topic) => strimziTopic.parse(topic));
    expect(topics.map((topic) => topic.spec.topicName).sort()).toEqual(planned(PROD_PARTITIONS));
  });

  it('declares every topic the stream processor names, its results compacted, and none of Kafka Streams’ own', () => {
    const declared = new Map(
      ofKind<KubernetesObject & { spec: { topicName: string; config: Record<string, string> } }>(
        rendered.prod,
        'KafkaTopic',
      ).map((topic) => [topic.spec.topicName, topic.spec.config]),
    );
    for (const app of streamApps) {
      // Inputs, clock and results: every topic constant of the processor's Java sources.
      for (const topic of Object.values(javaStringConstants(app.name, 'AnalyticsTopics'))) {
        expect({ topic, isDeclared: declared.has(topic) }).toEqual({ topic, isDeclared: true });
      }
      // Its changelog and repartition topics are created and owned by Kafka Streams.
      expect([...declared.keys()].filter((topic) => topic.startsWith(`${app.name}-`))).toEqual([]);
    }
    for (const topic of analyticsResultTopics) {
      expect(declared.get(topic)).toMatchObject({ 'cleanup.policy': 'compact' });
      expect(declared.has(deadLetterTopicOf(topic as unknown as Topic))).toBe(true);
    }
  });

  it('prod runs Kafka in KRaft mode: three controllers and three brokers in separate node pools, rack-aware', () => {
    const [kafka] = ofKind<
      KubernetesObject & {
        metadata: { annotations?: Record<string, string> };
        spec: { kafka: { config: Record<string, unknown>; rack: { topologyKey: string } } };
      }
    >(rendered.prod, 'Kafka');
    // KRaft and node pools are all Strimzi 1.x knows: the annotations that enabled them are ignored.
    expect(kafka.metadata.annotations).toBeUndefined();
    expect(kafka.spec.kafka.config).toMatchObject({ 'min.insync.replicas': 2, 'default.replication.factor': 3 });
    expect(kafka.spec.kafka.rack.topologyKey).toBe('topology.kubernetes.io/zone');
    const pools = ofKind<KubernetesObject & { spec: { replicas: number; roles: string[]; template: PodTemplate } }>(
      rendered.prod,
      'KafkaNodePool',
    );
    expect(pools.map((pool) => pool.spec.roles).sort()).toEqual([['broker'], ['controller']]);
    for (const pool of pools) {
      expect(pool.spec.replicas).toBeGreaterThanOrEqual(3);
      expect(pool.metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
      // Strimzi labels each pod with its pool's name: the constraints count this pool's pods only.
      expect(spreadKeys(pool.spec.template.pod, { 'strimzi.io/pool-name': pool.metadata.name })).toEqual([
        'kubernetes.io/hostname',
        'topology.kubernetes.io/zone',
      ]);
    }
  });
});

interface ScalingBehavior {
  scaleUp?: {
    stabilizationWindowSeconds?: number;
    policies?: { type: string; value: number; periodSeconds: number }[];
  };
  scaleDown?: {
    stabilizationWindowSeconds?: number;
    policies?: { type: string; value: number; periodSeconds: number }[];
  };
}

/**
 * Every replica change rebalances consumer groups: an autoscaler waits a minute before scaling up,
 * five before scaling down, and moves a pod or two at a time (Kubernetes' default doubles at once).
 */
function expectDamped(behavior: ScalingBehavior | undefined): void {
  expect(behavior?.scaleUp?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(60);
  expect(behavior?.scaleDown?.stabilizationWindowSeconds).toBeGreaterThanOrEqual(300);
  for (const policy of [...(behavior?.scaleUp?.policies ?? []), ...(behavior?.scaleDown?.policies ?? [])])
    expect(policy).toMatchObject({ type: 'Pods', value: expect.any(Number) });
  expect(behavior?.scaleUp?.policies?.length).toBeGreaterThan(0);
  expect(behavior?.scaleDown?.policies?.length).toBeGreaterThan(0);
}

describe('scaling', () => {
  it.each(overlays)('%s: no workload an autoscaler owns declares replicas, and no workload has two', (overlay) => {
    expect(autoscalerConflicts(rendered[overlay])).toEqual([]);
  });

  it('finds replicas on an autoscaled workload, a second autoscaler and a missing target (the check can fail)', () => {
    const gateway = deploymentOf(rendered.prod, 'gateway');
    const pinned = { ...gateway, spec: { ...gateway.spec, replicas: 3 } };
    const [hpa] = ofKind(rendered.prod, 'HorizontalPodAutoscaler');
    const second = { ...hpa, kind: 'ScaledObject', metadata: { name: 'gateway-lag' } };
    const orphan = { ...hpa, metadata: { name: 'nothing' }, spec: { scaleTargetRef: { name: 'nothing' } } };
    expect(autoscalerConflicts([pinned, hpa, second, orphan])).toEqual([
      'Deployment/gateway sets replicas, but HorizontalPodAutoscaler/gateway, ScaledObject/gateway-lag owns them',
      'Deployment/gateway has more than one autoscaler: HorizontalPodAutoscaler/gateway, ScaledObject/gateway-lag',
      'HorizontalPodAutoscaler/nothing scales Deployment/nothing, which the overlay does not have',
    ]);
  });

  it('dev runs one replica of each app and stream processor; prod several, at least two where autoscaled', () => {
    const minimum = (name: string) =>
      ofKind<
        KubernetesObject & {
          spec: { scaleTargetRef: { name: string }; minReplicas?: number; minReplicaCount?: number };
        }
      >(rendered.prod, 'HorizontalPodAutoscaler')
        .concat(ofKind(rendered.prod, 'ScaledObject'))
        .filter((autoscaler) => autoscaler.spec.scaleTargetRef.name === name)
        .map((autoscaler) => autoscaler.spec.minReplicas ?? autoscaler.spec.minReplicaCount);
    for (const app of workloads) {
      expect(deploymentOf(rendered.dev, app.name).spec.replicas).toBe(1);
      const [autoscaledFrom] = minimum(app.name);
      const replicas = autoscaledFrom ?? deploymentOf(rendered.prod, app.name).spec.replicas;
      expect({ app: app.name, replicas: replicas > 1 }).toEqual({ app: app.name, replicas: true });
    }
  });

  it('prod scales consumers on their group lag (KEDA) and the gateway on CPU (HPA)', () => {
    const scaled = ofKind<
      KubernetesObject & {
        spec: { scaleTargetRef: { name: string }; triggers: { type: string; metadata: Record<string, string> }[] };
      }
    >(rendered.prod, 'ScaledObject');
    expect(scaled.map((object) => object.spec.scaleTargetRef.name).sort()).toEqual(
      apps
        .filter((app) => !app.isPublic)
        .map((app) => app.name)
        .sort(),
    );
    for (const object of scaled) {
      expect(object.spec.triggers).toEqual([
        expect.objectContaining({
          type: 'kafka',
          metadata: expect.objectContaining({ consumerGroup: `${object.spec.scaleTargetRef.name}-server` }),
        }),
      ]);
    }
    const hpas = ofKind<
      KubernetesObject & { spec: { scaleTargetRef: { name: string }; maxReplicas: number; behavior: ScalingBehavior } }
    >(rendered.prod, 'HorizontalPodAutoscaler');
    expect(hpas.map((hpa) => hpa.spec.scaleTargetRef.name)).toEqual(['gateway']);
    // Every gateway instance needs a partition of each `.reply` topic.
    expect(hpas[0].spec.maxReplicas).toBeLessThanOrEqual(PROD_PARTITIONS);
    expectDamped(hpas[0].spec.behavior);
  });

  it('prod lets KEDA reach the brokers from its own namespace, fall back when it cannot, and damps every change', () => {
    const scaled = ofKind<
      KubernetesObject & {
        spec: {
          minReplicaCount: number;
          triggers: { metadata: Record<string, string> }[];
          fallback?: { failureThreshold: number; replicas: number; behavior?: string };
          advanced?: { horizontalPodAutoscalerConfig?: { behavior: ScalingBehavior } };
        };
      }
    >(rendered.prod, 'ScaledObject');
    for (const object of scaled) {
      // KEDA's scaler runs in the KEDA operator's namespace: only the Service's full name resolves there.
      for (const trigger of object.spec.triggers)
        expect(trigger.metadata.bootstrapServers).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local:\d+$/);
      expect(object.spec.fallback?.failureThreshold).toBeGreaterThan(0);
      expect(object.spec.fallback?.replicas).toBeGreaterThanOrEqual(object.spec.minReplicaCount);
      expect(object.spec.fallback?.behavior).toBe('currentReplicasIfHigher');
      expectDamped(object.spec.advanced?.horizontalPodAutoscalerConfig?.behavior);
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      {
        image: string;
        environment?: Record<string, string>;
        healthcheck?: { test: string[] };
        build?: { args?: { APP: string }; target?: string };
        restart?: string;
        deploy?: { resources?: { limits?: { memory?: string } } };
        tmpfs?: string[];
        volumes?: string[];
      }
    >;
  };

  it('runs Kafka (official image, KRaft), PostgreSQL and every app, each with a health check', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(compose.services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    // Kafka's check opens a connection; a JVM per probe (kafka-broker-api-versions.sh) costs seconds of CPU.
    expect(compose.services.kafka.healthcheck?.test).toEqual(['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9092']);
    expect(compose.services.postgres.healthcheck?.test).toEqual(['CMD', 'pg_isready', '-U', 'orderflow']);
    for (const app of apps) expect(compose.services[app.name]?.build?.args?.APP).toBe(app.name);
  });

  it("leaves every app's and stream processor's health check to its image's HEALTHCHECK (no tool the image lacks)", () => {
    for (const app of workloads)
      expect({ app: app.name, healthcheck: compose.services[app.name].healthcheck }).toEqual({
        app: app.name,
        healthcheck: undefined,
      });
  });

  it('restarts every service and caps its memory at its Kubernetes limit', () => {
    type Limits = { limits?: { memory?: string } };
    const limits = (objects: KubernetesObject[]) =>
      new Map(
        objects
          .filter((object) => ['Deployment', 'StatefulSet'].includes(object.kind))
          .map((object) => {
            const pod = (object.spec as { template: { spec: { containers: { resources?: Limits }[] } } }).template;
            return [object.metadata.name, pod.spec.containers[0].resources?.limits?.memory];
          }),
      );
    const kubernetes = limits(rendered.dev);
    const asKubernetesWrites = (compose?: string) => compose && kubernetesMemory(Number(compose.replace(/M$/, '')));
    for (const [name, service] of Object.entries(compose.services)) {
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' });
      expect({ name, memory: asKubernetesWrites(service.deploy?.resources?.limits?.memory) }).toEqual({
        name,
        memory: kubernetes.get(name),
      });
    }
  });

  it('runs each stream processor from its Dockerfile target, its state on a volume', () => {
    for (const app of streamApps) {
      const service = compose.services[app.name];
      expect(service?.build?.target).toBe(app.name);
      expect(service?.volumes).toEqual([`${app.name}-state:${service?.environment?.STATE_DIR}`]);
      // RocksDB loads the native library it unpacks into /tmp: Docker's tmpfs is noexec unless told.
      expect(service?.tmpfs).toEqual(['/tmp:exec']);
    }
  });

  it('gives every app and stream processor the same variables as the dev overlay (no Kafka credentials either)', () => {
    for (const app of workloads) {
      const inKubernetes = [...containerOf(rendered.dev, app.name).variables.keys()].sort();
      expect({ app: app.name, variables: Object.keys(compose.services[app.name].environment ?? {}).sort() }).toEqual({
        app: app.name,
        variables: inKubernetes,
      });
    }
  });
});

describe('schema validation', () => {
  it('rejects an object the Kubernetes schema does not allow (the check can fail)', () => {
    const broken = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken' },
      spec: { selector: {}, template: { spec: { containers: [{ name: 'x', ports: [{ containerPort: 'http' }] }] } } },
    };
    expect(validateAgainstSchemas([broken])).toEqual([
      { kind: 'Deployment', name: 'broken', problem: expect.stringMatching(/containerPort/) },
    ]);
  });

  it('rejects the Strimzi API version that Strimzi 1.x no longer serves, and KEDA settings its schema lacks', () => {
    const [kafka] = ofKind(rendered.prod, 'Kafka');
    const v1beta2 = { ...kafka, apiVersion: 'kafka.strimzi.io/v1beta2' };
    const [scaled] = ofKind<KubernetesObject & { spec: Record<string, unknown> }>(rendered.prod, 'ScaledObject');
    const noThreshold = { ...scaled, spec: { ...scaled.spec, fallback: { replicas: 2 } } };
    expect(validateAgainstSchemas([v1beta2, noThreshold])).toEqual([
      {
        kind: 'Kafka',
        name: kafka.metadata.name,
        problem: 'Strimzi 1.2.0 serves kafka.strimzi.io/v1 only, not kafka.strimzi.io/v1beta2',
      },
      {
        kind: 'ScaledObject',
        name: scaled.metadata.name,
        problem: expect.stringMatching(/fallback.*failureThreshold/),
      },
    ]);
  });

  it('rejects a field the CRD does not declare, as kubectl apply does (strict field validation)', () => {
    const [pool] = ofKind<KubernetesObject & { spec: Record<string, unknown> }>(rendered.prod, 'KafkaNodePool');
    const [trigger] = ofKind<KubernetesObject & { spec: Record<string, unknown> }>(
      rendered.prod,
      'TriggerAuthentication',
    );
    const typo = { ...pool, spec: { ...pool.spec, replica: 3 } };
    const misplaced = { ...trigger, spec: { ...trigger.spec, bootstrapServers: 'elsewhere:9093' } };
    expect(validateAgainstSchemas([typo, misplaced])).toEqual([
      { kind: 'KafkaNodePool', name: pool.metadata.name, problem: expect.stringMatching(/replica\b/) },
      {
        kind: 'TriggerAuthentication',
        name: trigger.metadata.name,
        problem: expect.stringMatching(/bootstrapServers/),
      },
    ]);
  });

  it('rejects a Strimzi object its CRD schema does not allow', () => {
    const [topic] = ofKind(rendered.prod, 'KafkaTopic');
    const broken = { ...topic, spec: { ...(topic.spec as object), partitions: 'twelve' } };
    expect(validateAgainstSchemas([broken])).toEqual([
      { kind: 'KafkaTopic', name: topic.metadata.name, problem: expect.stringMatching(/partitions/) },
    ]);
  });
});
