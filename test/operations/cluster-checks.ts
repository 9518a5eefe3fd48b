/**
 * What a cluster would reject or silently mis-run, though every object passes its schema: checks over
 * one rendered overlay. Each returns the problems it finds, as sentences; none is a pass.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { PROVIDED_BY } from '../../k8s/generator/builders';
import { REPO_ROOT } from '../../k8s/orderflow-apps';
import { KubernetesObject, ofKind, Overlay } from './rendered-manifests';

interface ScaleTarget {
  kind?: string;
  name: string;
}

interface Autoscaler extends KubernetesObject {
  spec: { scaleTargetRef: ScaleTarget };
}

/** The workloads an autoscaler (an HPA, or a KEDA ScaledObject that makes one) owns the replicas of. */
export function autoscaledWorkloads(objects: KubernetesObject[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const autoscaler of [
    ...ofKind<Autoscaler>(objects, 'HorizontalPodAutoscaler'),
    ...ofKind<Autoscaler>(objects, 'ScaledObject'),
  ]) {
    // A ScaledObject's target is a Deployment unless it says otherwise.
    const target = `${autoscaler.spec.scaleTargetRef.kind ?? 'Deployment'}/${autoscaler.spec.scaleTargetRef.name}`;
    owners.set(target, [...(owners.get(target) ?? []), `${autoscaler.kind}/${autoscaler.metadata.name}`]);
  }
  return owners;
}

/**
 * A workload an autoscaler owns must not declare `replicas`: every apply would scale it back to that
 * count (and rebalance its consumer groups) until the autoscaler scales it again. Two autoscalers on
 * one workload fight over it. A target that does not exist never scales.
 */
export function autoscalerConflicts(objects: KubernetesObject[]): string[] {
  const problems: string[] = [];
  for (const [target, owners] of autoscaledWorkloads(objects)) {
    const [kind, name] = target.split('/');
    const workload = objects.find((object) => object.kind === kind && object.metadata.name === name);
    if (!workload) problems.push(`${owners.join(', ')} scales ${target}, which the overlay does not have`);
    else if ((workload.spec as { replicas?: number }).replicas !== undefined)
      problems.push(`${target} sets replicas, but ${owners.join(', ')} owns them`);
    if (owners.length > 1) problems.push(`${target} has more than one autoscaler: ${owners.join(', ')}`);
  }
  return problems;
}

// ---- objects found by selector ----

interface PodTemplateOwner extends KubernetesObject {
  spec: { template?: { metadata?: { labels?: Record<string, string> } } };
}

const POD_TEMPLATE_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];

/** The labels of every pod the overlay's workloads make. */
function podLabels(objects: KubernetesObject[]): Record<string, string>[] {
  return objects
    .filter((object) => POD_TEMPLATE_KINDS.includes(object.kind))
    .map((object) => (object as PodTemplateOwner).spec.template?.metadata?.labels ?? {});
}

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * A Service, NetworkPolicy or PodDisruptionBudget whose selector matches no pod of the overlay is
 * accepted by the API server and does nothing: no endpoints, no policy, no budget. (An empty selector
 * selects every pod, on purpose.) An autoscaler's target is checked by autoscalerConflicts.
 */
export function selectorProblems(objects: KubernetesObject[]): string[] {
  const pods = podLabels(objects);
  const selectors: [KubernetesObject, Record<string, string> | undefined][] = objects.flatMap((object) => {
    const spec = object.spec as Record<string, { matchLabels?: Record<string, string> } | undefined> | undefined;
    switch (object.kind) {
      case 'Service':
        return [[object, spec?.selector as Record<string, string> | undefined]];
      case 'NetworkPolicy':
        return [[object, spec?.podSelector?.matchLabels ?? {}]];
      case 'PodDisruptionBudget':
        return [[object, spec?.selector?.matchLabels ?? {}]];
      default:
        return [];
    }
  });
  return selectors
    .filter(([, selector]) => selector !== undefined && Object.keys(selector).length > 0)
    .filter(([, selector]) => !pods.some((labels) => matches(selector!, labels)))
    .map(
      ([object, selector]) =>
        `${object.kind}/${object.metadata.name} selects ${JSON.stringify(selector)}: no pod has those labels`,
    );
}

// ---- Secrets and ConfigMaps referenced ----

/** A Secret the overlay does not make but someone documented does: which keys it has, and who makes it. */
export interface ProvidedSecret {
  name: string;
  keys: string[];
  providedBy: string;
}

interface Reference {
  kind: 'Secret' | 'ConfigMap';
  name: string;
  key?: string;
  where: string;
}

type Walkable = Record<string, unknown>;

/** Every Secret and ConfigMap (and key) a pod template or a KEDA TriggerAuthentication names. */
function references(objects: KubernetesObject[]): Reference[] {
  const found: Reference[] = [];
  for (const object of objects) {
    const where = `${object.kind}/${object.metadata.name}`;
    if (object.kind === 'TriggerAuthentication') {
      const targets = ((object.spec as Walkable).secretTargetRef ?? []) as { name: string; key: string }[];
      for (const target of targets) found.push({ kind: 'Secret', name: target.name, key: target.key, where });
      continue;
    }
    const pod = (object as PodTemplateOwner & { spec: { template?: { spec?: Walkable } } }).spec?.template?.spec;
    if (!pod) continue;
    const containers = [...((pod.containers ?? []) as Walkable[]), ...((pod.initContainers ?? []) as Walkable[])];
    for (const container of containers) {
      for (const variable of (container.env ?? []) as { valueFrom?: Walkable }[]) {
        const secret = variable.valueFrom?.secretKeyRef as
          { name: string; key: string; optional?: boolean } | undefined;
        const configMap = variable.valueFrom?.configMapKeyRef as
          { name: string; key: string; optional?: boolean } | undefined;
        if (secret && !secret.optional) found.push({ kind: 'Secret', name: secret.name, key: secret.key, where });
        if (configMap && !configMap.optional)
          found.push({ kind: 'ConfigMap', name: configMap.name, key: configMap.key, where });
      }
      for (const source of (container.envFrom ?? []) as Walkable[]) {
        const secret = source.secretRef as { name: string; optional?: boolean } | undefined;
        const configMap = source.configMapRef as { name: string; optional?: boolean } | undefined;
        if (secret && !secret.optional) found.push({ kind: 'Secret', name: secret.name, where });
        if (configMap && !configMap.optional) found.push({ kind: 'ConfigMap', name: configMap.name, where });
      }
    }
    for (const volume of (pod.volumes ?? []) as Walkable[]) {
      const secret = volume.secret as { secretName: string; items?: { key: string }[]; optional?: boolean } | undefined;
      const configMap = volume.configMap as { name: string; items?: { key: string }[]; optional?: boolean } | undefined;
      if (secret && !secret.optional)
        for (const key of secret.items?.map((item) => item.key) ?? [undefined])
          found.push({ kind: 'Secret', name: secret.secretName, key, where });
      if (configMap && !configMap.optional)
        for (const key of configMap.items?.map((item) => item.key) ?? [undefined])
          found.push({ kind: 'ConfigMap', name: configMap.name, key, where });
    }
  }
  return found;
}

/** The keys of a Secret or ConfigMap the overlay makes. */
function keysOf(object: KubernetesObject): string[] {
  const { data, stringData, binaryData } = object as { data?: object; stringData?: object; binaryData?: object };
  return [...Object.keys(data ?? {}), ...Object.keys(stringData ?? {}), ...Object.keys(binaryData ?? {})];
}

/**
 * A pod that names a Secret or ConfigMap (or a key of one) that nobody makes never starts
 * (CreateContainerConfigError); a TriggerAuthentication's never signs in. Each must be in the overlay,
 * or among `provided` (made by an operator, or by whoever owns the credentials, as documented).
 */
export function missingReferences(objects: KubernetesObject[], provided: ProvidedSecret[]): string[] {
  const problems = new Set<string>();
  for (const reference of references(objects)) {
    const made = objects.find((object) => object.kind === reference.kind && object.metadata.name === reference.name);
    const outside = reference.kind === 'Secret' ? provided.find((secret) => secret.name === reference.name) : undefined;
    const keys = made ? keysOf(made) : outside?.keys;
    if (!keys) problems.add(`${reference.where} needs ${reference.kind} ${reference.name}, which nothing provides`);
    else if (reference.key !== undefined && !keys.includes(reference.key))
      problems.add(
        `${reference.where} needs key ${reference.key} of ${reference.kind} ${reference.name}, which has ${keys.join(', ')}`,
      );
  }
  return [...problems];
}

/**
 * The Secrets Strimzi's operators make for the overlay's Kafka clusters and KafkaUsers (their names
 * and keys as Strimzi documents them).
 */
export function strimziSecrets(objects: KubernetesObject[]): ProvidedSecret[] {
  return [
    ...ofKind(objects, 'Kafka').map((kafka) => ({
      name: `${kafka.metadata.name}-cluster-ca-cert`,
      keys: ['ca.crt', 'ca.p12', 'ca.password'],
      providedBy: `Strimzi's Cluster Operator, for Kafka/${kafka.metadata.name}`,
    })),
    ...ofKind(objects, 'KafkaUser')
      .filter((user) => (user.spec as { authentication?: { type: string } }).authentication?.type === 'scram-sha-512')
      .map((user) => ({
        name: user.metadata.name,
        keys: ['password', 'sasl.jaas.config'],
        providedBy: `Strimzi's User Operator, for KafkaUser/${user.metadata.name}`,
      })),
  ];
}

// ---- addresses handed to components in other namespaces ----

/** KEDA scaler settings that hold `host:port` addresses (comma-separated). */
const ADDRESS_FIELDS = ['bootstrapServers', 'brokerList', 'host', 'address', 'serverAddress'];

/**
 * KEDA's scalers run in the KEDA operator's namespace: a bare Service name resolves there to nothing
 * (or to a Service of KEDA's), so the scaler never sees its metric. An in-cluster address must name the
 * namespace the overlay deploys to.
 */
export function shortNameProblems(objects: KubernetesObject[], namespace: string): string[] {
  const problems: string[] = [];
  for (const scaled of ofKind<KubernetesObject & { spec: { triggers?: { metadata?: Record<string, string> }[] } }>(
    objects,
    'ScaledObject',
  )) {
    for (const trigger of scaled.spec.triggers ?? []) {
      for (const field of ADDRESS_FIELDS) {
        for (const address of (trigger.metadata?.[field] ?? '').split(',').filter(Boolean)) {
          const host = address.trim().replace(/:\d+$/, '');
          const labels = host.split('.');
          const where = `ScaledObject/${scaled.metadata.name} ${field} ${address}`;
          if (labels.length === 1) problems.push(`${where}: a short name, which KEDA's namespace does not resolve`);
          else if (/\.svc(\.|$)/.test(host) && labels[1] !== namespace)
            problems.push(`${where}: names namespace ${labels[1]}, the overlay deploys to ${namespace}`);
        }
      }
    }
  }
  return problems;
}

/** The Secrets an overlay documents as made outside it: the `*.example.yaml` beside it that say who makes them. */
export function documentedSecrets(overlay: Overlay): ProvidedSecret[] {
  const directory = path.join(REPO_ROOT, 'k8s', 'overlays', overlay);
  return fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.example.yaml'))
    .map((file) => parse(fs.readFileSync(path.join(directory, file), 'utf8')) as KubernetesObject)
    .filter((example) => example.kind === 'Secret' && example.metadata.annotations?.[PROVIDED_BY])
    .map((example) => ({
      name: example.metadata.name,
      keys: keysOf(example),
      providedBy: example.metadata.annotations![PROVIDED_BY],
    }));
}
