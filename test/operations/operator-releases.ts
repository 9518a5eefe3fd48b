import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * The operator releases the prod overlay is written for and checked against. Their CRDs (and Strimzi's
 * kafka-versions.yaml) are vendored unchanged from the release tags in test/operations/crds/<directory>
 * (crds/README.md says from where), so what they serve and accept is read, not written here by hand.
 * Raise a release together with the overlay: vendor the new tag's files, after reading its notes.
 */
export const operatorReleases = {
  strimzi: { name: 'Strimzi', release: '1.2.0', directory: 'strimzi-1.2.0' },
  keda: { name: 'KEDA', release: '2.20.2', directory: 'keda-2.20.2' },
} as const;

export type Operator = keyof typeof operatorReleases;

export interface CrdVersion {
  name: string;
  served: boolean;
  schema?: { openAPIV3Schema: Record<string, unknown> };
}

export interface CustomResourceDefinition {
  operator: Operator;
  group: string;
  kind: string;
  versions: CrdVersion[];
}

const CRDS = path.join(__dirname, 'crds');

function releaseFiles(operator: Operator): string[] {
  const directory = path.join(CRDS, operatorReleases[operator].directory);
  return fs.readdirSync(directory).map((file) => path.join(directory, file));
}

/** Every CustomResourceDefinition vendored for the targeted releases. */
export function customResourceDefinitions(): CustomResourceDefinition[] {
  return (Object.keys(operatorReleases) as Operator[]).flatMap((operator) =>
    releaseFiles(operator)
      .filter((file) => file.endsWith('.yaml'))
      .flatMap((file) => parseAllDocuments(fs.readFileSync(file, 'utf8')).map((document) => document.toJSON()))
      .filter((document) => document?.kind === 'CustomResourceDefinition')
      .map((crd: { spec: { group: string; names: { kind: string }; versions: CrdVersion[] } }) => ({
        operator,
        group: crd.spec.group,
        kind: crd.spec.names.kind,
        versions: crd.spec.versions,
      })),
  );
}

/** The Kafka versions the targeted Strimzi release runs, each with the metadata version it pairs. */
export function strimziKafkaVersions(): Record<string, string> {
  const file = path.join(CRDS, operatorReleases.strimzi.directory, 'kafka-versions.yaml');
  const versions = parse(fs.readFileSync(file, 'utf8')) as { version: string; metadata?: string; supported: boolean }[];
  return Object.fromEntries(
    versions.filter((each) => each.supported && each.metadata).map((each) => [each.version, each.metadata!]),
  );
}
