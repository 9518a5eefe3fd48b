// Validates Kubernetes objects (a JSON array on stdin) against the Kubernetes API schemas of
// kubernetes-models. The package is ES modules only, which Jest (CommonJS here) cannot load: the spec
// runs this with plain node. The operators' objects (Strimzi, KEDA) are validated against their
// vendored CRDs in crd-validation.ts instead. Prints a JSON array of { kind, name, problem } where
// `problem` is null for a valid object, or says why not (`no-schema`: no model for the apiVersion).
async function modelFor(group, version, kind) {
  const specifier = group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
  try {
    const models = await import(specifier);
    return models[kind];
  } catch {
    return undefined;
  }
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const object of JSON.parse(input)) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const name = object.metadata?.name;
  const Model = await modelFor(group, version, object.kind);
  if (!Model) {
    results.push({ kind: object.kind, name, problem: 'no-schema' });
    continue;
  }
  try {
    new Model(object).validate();
    results.push({ kind: object.kind, name, problem: null });
  } catch (error) {
    results.push({ kind: object.kind, name, problem: String(error.message ?? error).slice(0, 2000) });
  }
}
process.stdout.write(JSON.stringify(results));
