import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../k8s/orderflow-apps';
import { CrdValidator } from './crd-validation';

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export type Overlay = 'dev' | 'prod';

function onPath(command: string): boolean {
  return spawnSync(command, ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** `kubectl kustomize k8s/overlays/<overlay>` (or a standalone `kustomize build`), parsed. */
export function renderOverlay(overlay: Overlay): KubernetesObject[] {
  const directory = path.join(REPO_ROOT, 'k8s', 'overlays', overlay);
  let output: string;
  if (onPath('kubectl')) {
    output = execFileSync('kubectl', ['kustomize', directory], { encoding: 'utf8' });
  } else if (spawnSync('kustomize', ['version'], { stdio: 'ignore' }).status === 0) {
    output = execFileSync('kustomize', ['build', directory], { encoding: 'utf8' });
  } else {
    throw new Error('rendering k8s/ needs kubectl (with its built-in kustomize) or kustomize on the PATH');
  }
  return parseAllDocuments(output).map((document) => document.toJSON() as KubernetesObject);
}

export interface SchemaResult {
  kind: string;
  name: string;
  problem: string | null;
}

const crdValidator = new CrdValidator();

/**
 * Validation of each object against the schema the cluster would apply: the vendored CRDs of the
 * targeted Strimzi and KEDA releases (crd-validation.ts), or the Kubernetes API schemas of
 * kubernetes-models, run by plain node (the package is ES modules only). Results keep the input order.
 */
export function validateAgainstSchemas(objects: KubernetesObject[]): SchemaResult[] {
  const builtIn = objects.filter((object) => !crdValidator.owns(object.apiVersion));
  const script = path.join(__dirname, 'validate-objects.mjs');
  const result = spawnSync(process.execPath, [script], {
    input: JSON.stringify(builtIn),
    encoding: 'utf8',
    cwd: REPO_ROOT,
  });
  if (result.status !== 0) throw new Error(`validate-objects.mjs failed: ${result.stderr}`);
  const builtInResults = (JSON.parse(result.stdout) as SchemaResult[]).values();
  return objects.map((object) =>
    crdValidator.owns(object.apiVersion)
      ? { kind: object.kind, name: object.metadata?.name, problem: crdValidator.problem(object) }
      : builtInResults.next().value!,
  );
}

export function ofKind<T = KubernetesObject>(objects: KubernetesObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as T[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    secretKeyRef?: { name: string; key: string };
    configMapKeyRef?: { name: string; key: string };
    fieldRef?: { fieldPath: string };
  };
}

/** Where a container's variables come from. */
export interface EnvironmentSources {
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
}

export interface ConfigMap extends KubernetesObject {
  data: Record<string, string>;
}

function configMapNamed(objects: KubernetesObject[], name: string | undefined): ConfigMap {
  const configMap = ofKind<ConfigMap>(objects, 'ConfigMap').find((candidate) => candidate.metadata.name === name);
  if (!configMap) throw new Error(`a container names a missing ConfigMap ${name}`);
  return configMap;
}

/**
 * The variables a container ends up with: its env plus every key of the ConfigMaps it takes whole,
 * with the values it takes key by key from a ConfigMap resolved (a missing key stays undefined).
 */
export function environmentOf(objects: KubernetesObject[], container: EnvironmentSources): Map<string, EnvVar> {
  const variables = new Map<string, EnvVar>();
  for (const source of container.envFrom ?? []) {
    const configMap = configMapNamed(objects, source.configMapRef?.name);
    for (const [name, value] of Object.entries(configMap.data)) variables.set(name, { name, value });
  }
  for (const variable of container.env ?? []) {
    const reference = variable.valueFrom?.configMapKeyRef;
    const value = reference && configMapNamed(objects, reference.name).data[reference.key];
    variables.set(variable.name, reference ? { name: variable.name, value } : variable);
  }
  return variables;
}
