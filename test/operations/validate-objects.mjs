// Validates Kubernetes objects (a JSON array on stdin) against the Kubernetes API schemas of
// kubernetes-models and the CRD schemas of the operators' objects: KEDA (@kubernetes-models/keda)
// and Strimzi (@kubernetes-models/strimzi-kafka-operator, generated from Strimzi's released CRDs).
// Those packages are ES modules only, which Jest (CommonJS here) cannot load: the spec runs this
// with plain node. Prints a JSON array of { kind, name, problem } where `problem` is null for a
// valid object, or `"no-schema"` for an apiVersion no package models.
const packages = {
  'keda.sh': '@kubernetes-models/keda',
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
};

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const base = packages[group] ?? 'kubernetes-models';
  const specifier = group ? `${base}/${group}/${version}` : `${base}/${version}`;
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
  const Model = await modelFor(object.apiVersion, object.kind);
  const name = object.metadata?.name;
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
