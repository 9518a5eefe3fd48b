// Validates Kubernetes objects (a JSON array on stdin) against the Kubernetes API schemas of
// kubernetes-models and the CRD schemas of the operators' objects: KEDA (@kubernetes-models/keda)
// and Strimzi (@kubernetes-models/strimzi-kafka-operator, generated from Strimzi's released CRDs).
// Those packages model every version an operator ever served, so argv[2] (a JSON object: API group →
// { operator, servedVersions }) says which versions the operator release we target still serves: an
// object of another version is refused, as that release's API server would. The packages are ES
// modules only, which Jest (CommonJS here) cannot load: the spec runs this with plain node. Prints a
// JSON array of { kind, name, problem } where `problem` is null for a valid object, or says why not
// (`no-schema`: no package models the apiVersion).
const packages = {
  'keda.sh': '@kubernetes-models/keda',
  'kafka.strimzi.io': '@kubernetes-models/strimzi-kafka-operator',
};
const releases = JSON.parse(process.argv[2] ?? '{}');

async function modelFor(group, version, kind) {
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
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const name = object.metadata?.name;
  const release = releases[group];
  if (release && !release.servedVersions.includes(version)) {
    const served = release.servedVersions.map((each) => `${group}/${each}`).join(', ');
    results.push({
      kind: object.kind,
      name,
      problem: `${release.operator} serves ${served} only, not ${object.apiVersion}`,
    });
    continue;
  }
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
