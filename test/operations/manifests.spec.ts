import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { PROD_PARTITIONS, topicPlan } from '../../k8s/generate';
import { deployableApps, nestApplications, REPO_ROOT, requiredVariables } from '../../k8s/orderflow-apps';
import { KubernetesObject, ofKind, Overlay, renderOverlay, validateAgainstSchemas } from './rendered-manifests';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; fieldRef?: { fieldPath: string } };
}

interface Probe {
  httpGet: { path: string; port: string | number };
}

interface Container {
  name: string;
  ports: { name: string; containerPort: number }[];
  env: EnvVar[];
  envFrom: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: {
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    capabilities?: { drop?: string[] };
  };
}

interface Deployment extends KubernetesObject {
  spec: {
    replicas: number;
    template: { spec: { securityContext: { runAsNonRoot?: boolean }; containers: Container[] } };
  };
}

interface ConfigMap extends KubernetesObject {
  data: Record<string, string>;
}

const apps = deployableApps();
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

/** The variables a container ends up with: its env plus every key of the ConfigMaps it takes whole. */
function environmentOf(objects: KubernetesObject[], container: Container): Map<string, EnvVar> {
  const variables = new Map<string, EnvVar>();
  for (const source of container.envFrom ?? []) {
    const configMap = ofKind<ConfigMap>(objects, 'ConfigMap').find(
      (candidate) => candidate.metadata.name === source.configMapRef?.name,
    );
    if (!configMap) throw new Error(`envFrom names a missing ConfigMap ${source.configMapRef?.name}`);
    for (const [name, value] of Object.entries(configMap.data)) variables.set(name, { name, value });
  }
  for (const variable of container.env ?? []) variables.set(variable.name, variable);
  return variables;
}

describe('generated operations files', () => {
  it('match what k8s/generate.ts writes (run `npm run ops:generate` after adding an app or a topic)', () => {
    const check = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'k8s/generate.ts', '--check'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect({ status: check.status, stale: check.stdout.trim(), errors: check.stderr.trim() }).toEqual({
      status: 0,
      stale: '',
      errors: '',
    });
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

  it.each(apps.map((app) => app.name))('runs %s as a hardened Deployment with probes on its HTTP port', (name) => {
    const app = apps.find((candidate) => candidate.name === name)!;
    const deployment = deploymentOf(objects, name);
    const { securityContext: podSecurity, containers } = deployment.spec.template.spec;
    expect(podSecurity.runAsNonRoot).toBe(true);
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

    const service = ofKind<KubernetesObject & { spec: { ports: { targetPort: string }[] } }>(objects, 'Service').find(
      (candidate) => candidate.metadata.name === name,
    );
    expect(service?.spec.ports.map((servicePort) => servicePort.targetPort)).toEqual(['http']);
    expect(ofKind(objects, 'PodDisruptionBudget').map((budget) => budget.metadata.name)).toContain(name);
    expect(ofKind(objects, 'NetworkPolicy').map((policy) => policy.metadata.name)).toContain(name);
  });

  it.each(apps.map((app) => app.name))(
    'sets only variables that the %s env schema knows, and every required one',
    (name) => {
      const app = apps.find((candidate) => candidate.name === name)!;
      const [container] = deploymentOf(objects, name).spec.template.spec.containers;
      const variables = environmentOf(objects, container);
      const known = Object.keys(app.envSchema.shape);
      expect([...variables.keys()].filter((variable) => !known.includes(variable))).toEqual([]);
      expect(requiredVariables(app.envSchema).filter((variable) => !variables.has(variable))).toEqual([]);
      // Plain values must pass the app's own validation (secrets are checked by their reference).
      const plain = Object.fromEntries(
        [...variables.values()].filter((variable) => variable.value !== undefined).map((v) => [v.name, v.value]),
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

  it('lets only the gateway take traffic from outside the cluster', () => {
    const ingresses = ofKind<
      KubernetesObject & { spec: { rules: { http: { paths: { backend: { service: { name: string } } }[] } }[] } }
    >(objects, 'Ingress');
    const backends = ingresses.flatMap((ingress) =>
      ingress.spec.rules.flatMap((rule) => rule.http.paths.map((rulePath) => rulePath.backend.service.name)),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
    const policies = ofKind<KubernetesObject & { spec: { ingress?: { from?: unknown[] }[] } }>(
      objects,
      'NetworkPolicy',
    );
    const openToAll = policies
      .filter((policy) => (policy.spec.ingress ?? []).some((rule) => rule.from === undefined))
      .map((policy) => policy.metadata.name);
    expect(openToAll).toEqual(['gateway']);
  });
});

describe('topics', () => {
  const planned = (partitions: number) =>
    topicPlan(partitions)
      .map(({ topic }) => topic)
      .sort();

  it('every topic of the contracts registry (with .reply and .dlq) is listed in the base, and nothing else', () => {
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

  it('prod has one Strimzi KafkaTopic per registry topic, replicated 3 with min.insync.replicas 2', () => {
    const strimziTopic = z.object({
      apiVersion: z.literal('kafka.strimzi.io/v1beta2'),
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

  it('prod runs Kafka in KRaft mode through Strimzi node pools', () => {
    const [kafka] = ofKind<
      KubernetesObject & {
        metadata: { annotations: Record<string, string> };
        spec: { kafka: { listeners: unknown[]; config: Record<string, unknown> } };
      }
    >(rendered.prod, 'Kafka');
    expect(kafka.metadata.annotations).toMatchObject({
      'strimzi.io/kraft': 'enabled',
      'strimzi.io/node-pools': 'enabled',
    });
    expect(kafka.spec.kafka.listeners).toEqual([
      expect.objectContaining({ name: 'plain', port: 9092, type: 'internal', tls: false }),
    ]);
    expect(kafka.spec.kafka.config).toMatchObject({ 'min.insync.replicas': 2, 'default.replication.factor': 3 });
    const pools = ofKind<KubernetesObject & { spec: { replicas: number; roles: string[] } }>(
      rendered.prod,
      'KafkaNodePool',
    );
    expect(pools.map((pool) => pool.spec.roles.sort())).toEqual([['broker', 'controller']]);
    expect(pools[0].spec.replicas).toBeGreaterThanOrEqual(3);
    expect(pools[0].metadata.labels?.['strimzi.io/cluster']).toBe(kafka.metadata.name);
  });
});

describe('scaling', () => {
  it('dev runs one replica of each app, prod several', () => {
    for (const app of apps) {
      expect(deploymentOf(rendered.dev, app.name).spec.replicas).toBe(1);
      expect(deploymentOf(rendered.prod, app.name).spec.replicas).toBeGreaterThan(1);
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
    const hpas = ofKind<KubernetesObject & { spec: { scaleTargetRef: { name: string }; maxReplicas: number } }>(
      rendered.prod,
      'HorizontalPodAutoscaler',
    );
    expect(hpas.map((hpa) => hpa.spec.scaleTargetRef.name)).toEqual(['gateway']);
    // Every gateway instance needs a partition of each `.reply` topic.
    expect(hpas[0].spec.maxReplicas).toBeLessThanOrEqual(PROD_PARTITIONS);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      { image: string; environment?: Record<string, string>; healthcheck?: unknown; build?: { args: { APP: string } } }
    >;
  };

  it('runs Kafka (official image, KRaft), PostgreSQL and every app, each with a health check', () => {
    expect(compose.services.kafka.image).toMatch(/^apache\/kafka:\d+\.\d+\.\d+$/);
    expect(compose.services.kafka.environment?.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(compose.services.postgres.image).toMatch(/^postgres:/);
    for (const [name, service] of Object.entries(compose.services))
      expect({ name, healthcheck: Boolean(service.healthcheck) }).toEqual({ name, healthcheck: true });
    for (const app of apps) expect(compose.services[app.name]?.build?.args.APP).toBe(app.name);
  });

  it('gives every app the same variables as Kubernetes', () => {
    for (const app of apps) {
      const [container] = deploymentOf(rendered.prod, app.name).spec.template.spec.containers;
      const inKubernetes = [...environmentOf(rendered.prod, container).keys()].sort();
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

  it('rejects a Strimzi object its CRD schema does not allow', () => {
    const [topic] = ofKind(rendered.prod, 'KafkaTopic');
    const broken = { ...topic, spec: { ...(topic.spec as object), partitions: 'twelve' } };
    expect(validateAgainstSchemas([broken])).toEqual([
      { kind: 'KafkaTopic', name: topic.metadata.name, problem: expect.stringMatching(/partitions/) },
    ]);
  });
});
