import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { customResourceDefinitions, CustomResourceDefinition, operatorReleases } from './operator-releases';

type Schema = Record<string, unknown>;

/**
 * A CRD's structural schema as the API server applies it to `kubectl apply`: kubectl's default
 * server-side field validation (Strict) rejects a field the schema does not declare, unless the node
 * says x-kubernetes-preserve-unknown-fields. So every object node that lists its properties is closed.
 * The x-kubernetes-validations (CEL) rules are not evaluated here (crds/README.md lists them).
 */
function asServerApplies(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(asServerApplies);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(
    Object.entries(schema as Schema).map(([key, value]) => [
      key,
      key === 'properties'
        ? Object.fromEntries(Object.entries(value as Schema).map(([name, child]) => [name, asServerApplies(child)]))
        : asServerApplies(value),
    ]),
  );
  const closed =
    node.properties !== undefined &&
    node.additionalProperties === undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true;
  return closed ? { ...node, additionalProperties: false } : node;
}

function describeErrors(errors: ErrorObject[]): string {
  return errors
    .map((error) => {
      const unknown = error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
      return `${error.instancePath || '/'} ${error.message}${unknown}`;
    })
    .join('; ');
}

/** Validates objects of the groups the vendored CRDs define, against the CRDs of the targeted releases. */
export class CrdValidator {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private readonly definitions: CustomResourceDefinition[] = customResourceDefinitions();
  private readonly compiled = new Map<string, ValidateFunction>();

  /** Whether a vendored release owns the group (its objects are validated here, not elsewhere). */
  owns(apiVersion: string): boolean {
    const [group] = apiVersion.split('/');
    return this.definitions.some((definition) => definition.group === group);
  }

  /** null when the targeted release's API server would accept the object; otherwise why not. */
  problem(object: { apiVersion: string; kind: string }): string | null {
    const [group, version] = object.apiVersion.split('/');
    const definition = this.definitions.find(
      (candidate) => candidate.group === group && candidate.kind === object.kind,
    );
    if (!definition) return `no ${object.kind} in ${group}: its CRD is not vendored in test/operations/crds`;
    const { name, release } = operatorReleases[definition.operator];
    const served = definition.versions.filter((each) => each.served);
    const entry = served.find((each) => each.name === version);
    if (!entry?.schema) {
      const names = served.map((each) => `${group}/${each.name}`).join(', ');
      return `${name} ${release} serves ${names} only, not ${object.apiVersion}`;
    }
    const key = `${group}/${version}/${object.kind}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(asServerApplies(entry.schema.openAPIV3Schema) as Schema);
      this.compiled.set(key, validate);
    }
    return validate(object) ? null : describeErrors(validate.errors ?? []);
  }
}
