/** The objects more than one output builds: labels, hardened Deployments, network policies, kustomizations. */
import { KAFKA_TLS_PORT, STRIMZI_CLUSTER } from './environment';

export type Manifest = Record<string, unknown>;

/** Manifests by the file they go to, relative to the repository root. */
export type ManifestFiles = Record<string, Manifest[]>;

/** The Nest apps and the stream processors: a Deployment and an image each. */
export type Workloads = { name: string }[];

const PART_OF = 'orderflow';
const APP_TIER = { 'orderflow.io/tier': 'app' };

export const partOfSystem = { 'app.kubernetes.io/part-of': PART_OF };

export const selectorOf = (name: string) => ({ 'app.kubernetes.io/name': name });

/** The annotation of an example object that says who really provides it (it is not applied). */
export const PROVIDED_BY = 'orderflow.io/provided-by';

/** Which Strimzi cluster a Strimzi resource belongs to (its operators act only on labelled ones). */
export const strimziClusterLabels = () => ({ 'strimzi.io/cluster': STRIMZI_CLUSTER });

/** Every object of the system; the dev backing services (Kafka, PostgreSQL) carry these only. */
export function systemLabels(name: string): Record<string, string> {
  return { ...selectorOf(name), ...partOfSystem };
}

/** An app's objects: also in the tier the default-deny policy selects. */
export function labels(app: string): Record<string, string> {
  return { ...systemLabels(app), ...APP_TIER };
}

/** The well-known label naming a node's zone (beside `kubernetes.io/hostname`, naming the node). */
export const ZONE = 'topology.kubernetes.io/zone';

/**
 * Pods matching `matchLabels` spread evenly over zones, then over nodes. `ScheduleAnyway` prefers spreading
 * (a one-node dev cluster still runs everything); `DoNotSchedule` would rather leave a pod pending.
 */
export function topologySpread(
  matchLabels: Record<string, string>,
  whenUnsatisfiable: 'ScheduleAnyway' | 'DoNotSchedule',
  extra: Manifest = {},
): Manifest[] {
  return [ZONE, 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable,
    labelSelector: { matchLabels: { ...matchLabels } },
    ...structuredClone(extra),
  }));
}

/** What the dev backing services' containers give up (they need a writable root filesystem). */
export const UNPRIVILEGED_CONTAINER = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };

// ---- namespaces and kustomizations ----

export function literals(values: Record<string, string>): string[] {
  return Object.entries(values).map(([name, value]) => `${name}=${value}`);
}

export function namespace(name: string): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function kustomization(fields: Manifest): Manifest {
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields };
}

/**
 * An overlay on the base: its namespace, its own resources, every workload's image tag, and the replicas
 * of each workload `autoscaled` does not name. The base sets none: a workload an autoscaler owns must not
 * declare them, or every apply scales it back to that count.
 */
export function overlayKustomization(
  overlay: { namespace: string; resources: string[]; replicas: number; autoscaled?: string[]; imageTag: string },
  workloads: Workloads,
  generators: Manifest,
): Manifest {
  const fixed = workloads.filter(({ name }) => !overlay.autoscaled?.includes(name));
  return kustomization({
    namespace: overlay.namespace,
    resources: ['namespace.yaml', '../../base', ...overlay.resources],
    replicas: fixed.map(({ name }) => ({ name, count: overlay.replicas })),
    images: workloads.map(({ name }) => ({ name: `orderflow/${name}`, newTag: overlay.imageTag })),
    ...generators,
  });
}

// ---- workloads: the apps' Deployments and the dev backing services' StatefulSets ----

/** What differs between the Deployments of a Nest app and of a stream processor; the rest is shared. */
export interface Workload {
  name: string;
  port: number;
  /** The port only Prometheus reads (`/metrics`); none for a stream processor. */
  managementPort?: number;
  podAnnotations?: Record<string, string>;
  /** The image's unprivileged user: uid, gid and fsGroup. */
  user: number;
  /** Above the app's own drain on SIGTERM (and the pre-stop pause). */
  terminationGracePeriodSeconds: number;
  /**
   * Seconds between the pod's removal from its Service's endpoints and SIGTERM: the endpoint change
   * reaches every kube-proxy and ingress a moment after the pod starts terminating, and a Nest app takes
   * no new HTTP connection from SIGTERM on, so without the pause a client could meet a refused connection.
   */
  preStopPauseSeconds?: number;
  environment: { envFrom?: Manifest[]; env: Manifest[] };
  /** Failed startup probes (one each 5 s) before the kubelet restarts it: how long it may take to answer. */
  startupFailureThreshold: number;
  resources: Manifest;
  /** Writable emptyDir mounts; the root filesystem is read-only. */
  scratch: { name: string; mountPath: string; sizeLimit: string }[];
}

export function hardenedDeployment(workload: Workload): Manifest {
  const probe = (probePath: string, extra: Manifest) => ({
    httpGet: { path: probePath, port: 'http' },
    timeoutSeconds: 3,
    ...extra,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: workload.name, labels: labels(workload.name) },
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: selectorOf(workload.name) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: labels(workload.name),
          ...(workload.podAnnotations ? { annotations: workload.podAnnotations } : {}),
        },
        spec: {
          automountServiceAccountToken: false,
          // Counted per ReplicaSet (pod-template-hash): a rollout spreads the new pods, not old and new together.
          topologySpreadConstraints: topologySpread(selectorOf(workload.name), 'ScheduleAnyway', {
            matchLabelKeys: ['pod-template-hash'],
          }),
          terminationGracePeriodSeconds: workload.terminationGracePeriodSeconds,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: workload.user,
            runAsGroup: workload.user,
            fsGroup: workload.user,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: workload.name,
              image: `orderflow/${workload.name}`,
              imagePullPolicy: 'IfNotPresent',
              ports: [
                { name: 'http', containerPort: workload.port, protocol: 'TCP' },
                ...(workload.managementPort
                  ? [{ name: 'management', containerPort: workload.managementPort, protocol: 'TCP' }]
                  : []),
              ],
              ...workload.environment,
              startupProbe: probe('/health/live', {
                periodSeconds: 5,
                failureThreshold: workload.startupFailureThreshold,
              }),
              livenessProbe: probe('/health/live', { periodSeconds: 10, failureThreshold: 3 }),
              readinessProbe: probe('/health/ready', { periodSeconds: 5, failureThreshold: 2 }),
              ...(workload.preStopPauseSeconds
                ? { lifecycle: { preStop: { exec: { command: ['sleep', String(workload.preStopPauseSeconds)] } } } }
                : {}),
              resources: workload.resources,
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: workload.scratch.map(({ name, mountPath }) => ({ name, mountPath })),
            },
          ],
          volumes: workload.scratch.map(({ name, sizeLimit }) => ({ name, emptyDir: { sizeLimit } })),
        },
      },
    },
  };
}

export function disruptionBudget(app: { name: string }): Manifest {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app.name, labels: labels(app.name) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(app.name) } },
  };
}

/** A dev backing service: one pod with a volume of its own, and the Service in front of its first port. */
export interface StatefulService {
  name: string;
  image: string;
  /** The image's user: uid and fsGroup. */
  user: number;
  ports: { name: string; containerPort: number }[];
  environment: { envFrom?: Manifest[]; env: Manifest[] };
  /** How the kubelet asks whether it answers: ready every 5 s, alive every 10 s. */
  check: Manifest;
  livenessDelaySeconds?: number;
  resources: Manifest;
  dataPath: string;
}

export function statefulSetWithService(stateful: StatefulService): Manifest[] {
  const { name } = stateful;
  const [served] = stateful.ports;
  // One object, so the StatefulSet's YAML repeats its labels by an alias (`*a1`), as it always has.
  const objectLabels = systemLabels(name);
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: objectLabels },
      spec: {
        selector: selectorOf(name),
        ports: [{ name: served.name, port: served.containerPort, targetPort: served.name }],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name, labels: objectLabels },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selectorOf(name) },
        template: {
          metadata: { labels: objectLabels },
          spec: {
            securityContext: { runAsNonRoot: true, runAsUser: stateful.user, fsGroup: stateful.user },
            containers: [
              {
                name,
                image: stateful.image,
                ports: stateful.ports,
                ...stateful.environment,
                // Copies: yaml would write one object met twice as an alias.
                readinessProbe: { ...structuredClone(stateful.check), periodSeconds: 5 },
                livenessProbe: {
                  ...structuredClone(stateful.check),
                  periodSeconds: 10,
                  ...(stateful.livenessDelaySeconds ? { initialDelaySeconds: stateful.livenessDelaySeconds } : {}),
                },
                resources: stateful.resources,
                securityContext: UNPRIVILEGED_CONTAINER,
                volumeMounts: [{ name: 'data', mountPath: stateful.dataPath }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
          },
        ],
      },
    },
  ];
}

// ---- network policies ----

export const policyPort = (number: number, protocol = 'TCP') => ({ port: number, protocol });

export function networkPolicy(name: string, ingress: Manifest[], egress: Manifest[]): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, labels: labels(name) },
    spec: {
      podSelector: { matchLabels: selectorOf(name) },
      policyTypes: ['Ingress', 'Egress'],
      ingress,
      egress,
    },
  };
}

/** Traffic to these ports (of any address): a database or web hook outside the cluster is a port, not pods. */
export function portsRule(...numbers: number[]): Manifest {
  return { ports: numbers.map((number) => policyPort(number)) };
}

/** DNS, and Kafka: the in-cluster broker of dev (plain) or the Strimzi cluster's pods of prod (TLS). */
export function kafkaEgress(): Manifest[] {
  return [
    { ports: [policyPort(53, 'UDP'), policyPort(53, 'TCP')] },
    { to: [{ podSelector: { matchLabels: selectorOf('kafka') } }], ports: [policyPort(9092)] },
    { to: [{ podSelector: { matchLabels: strimziClusterLabels() } }], ports: [policyPort(KAFKA_TLS_PORT)] },
  ];
}

/** Every app pod takes and sends nothing but what its own policy allows. */
export function defaultDeny(): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'orderflow-apps-default-deny', labels: partOfSystem },
    spec: { podSelector: { matchLabels: APP_TIER }, policyTypes: ['Ingress', 'Egress'] },
  };
}
