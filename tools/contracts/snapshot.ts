/**
 * Records each message type whose schema changed as its next version: `npm run contracts:snapshot`.
 * A change the compatibility gate accepts is written to libs/contracts/schemas/<type>/v<N+1>.json and
 * schema-versions.ts moves to N+1; a breaking change is refused with its problems. A version whose
 * snapshot is missing (a new type, or a version raised by hand) is recorded as it is.
 * docs/contracts-compatibility.md has the rules and the steps.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import {
  compatibilityModeOf,
  currentSchemaOf,
  earlierVersionsInLine,
  isSameJson,
  JsonSchema,
  schemaVersions,
  transitiveProblems,
  VersionedTopic,
} from '@orderflow/contracts';
import { formatted } from '../generated-files';
import { repositoryRoot } from '../system/repository-root';

const SNAPSHOTS = 'libs/contracts/schemas';
const SCHEMA_VERSIONS = 'libs/contracts/src/schema/schema-versions.ts';

type Outcome =
  | { kind: 'unchanged' }
  | { kind: 'recorded'; version: number }
  | { kind: 'refused'; version: number; problems: string[] };

function snapshotOf(topic: VersionedTopic, version: number): JsonSchema | undefined {
  const file = path.join(repositoryRoot(), SNAPSHOTS, topic, `v${version}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as JsonSchema) : undefined;
}

function judge(topic: VersionedTopic, current: JsonSchema): Outcome {
  const latest = schemaVersions[topic];
  const recorded = snapshotOf(topic, latest);
  if (recorded && isSameJson(recorded, current)) return { kind: 'unchanged' };
  const version = recorded ? latest + 1 : latest;
  const earlier = new Map(
    earlierVersionsInLine(topic, version).map((older) => {
      const snapshot = snapshotOf(topic, older);
      if (!snapshot)
        throw new Error(`${SNAPSHOTS}/${topic}/v${older}.json is missing: released snapshots are never deleted`);
      return [older, snapshot];
    }),
  );
  const problems = transitiveProblems(current, earlier, compatibilityModeOf(topic));
  return problems.length > 0 ? { kind: 'refused', version, problems } : { kind: 'recorded', version };
}

/** schema-versions.ts with `topic`'s one number rewritten. */
function withVersion(source: string, topic: VersionedTopic, version: number): string {
  const entry = new RegExp(`^(\\s*'${topic.replaceAll('.', '\\.')}': )\\d+,$`, 'm');
  if (!entry.test(source)) throw new Error(`${SCHEMA_VERSIONS} has no line \`'${topic}': <version>,\``);
  return source.replace(entry, `$1${version},`);
}

async function main(): Promise<void> {
  const root = repositoryRoot();
  const files = new Map<string, string>();
  let versions = fs.readFileSync(path.join(root, SCHEMA_VERSIONS), 'utf8');
  let refused = 0;
  for (const topic of Object.keys(schemaVersions) as VersionedTopic[]) {
    const current = currentSchemaOf(topic);
    const outcome = judge(topic, current);
    switch (outcome.kind) {
      case 'unchanged':
        break;
      case 'recorded':
        files.set(`${SNAPSHOTS}/${topic}/v${outcome.version}.json`, JSON.stringify(current, null, 2));
        versions = withVersion(versions, topic, outcome.version);
        process.stdout.write(`${topic}: recorded v${outcome.version}\n`);
        break;
      case 'refused':
        refused += 1;
        process.stdout.write(
          `${topic}: refused v${outcome.version}, the change breaks ${compatibilityModeOf(topic)} compatibility:\n` +
            outcome.problems.map((problem) => `  ${problem}\n`).join(''),
        );
        break;
      default:
        outcome satisfies never;
    }
  }
  for (const [file, content] of await formatted(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  if (files.size > 0) fs.writeFileSync(path.join(root, SCHEMA_VERSIONS), versions);
  if (refused > 0) {
    process.stdout.write(
      "\nUndo a refused change, or make it a breaking one: the new version's class, an upcaster from the previous\n" +
        'version in libs/contracts/src/schema/upcasters.ts, the new version in `breakingVersions`\n' +
        '(libs/contracts/src/schema/breaking-changes.ts), then run this again (docs/contracts.md,\n' +
        'docs/contracts-compatibility.md).\n',
    );
    process.exitCode = 1;
  } else if (files.size === 0) process.stdout.write('every schema matches its latest snapshot\n');
}

if (require.main === module) void main();
