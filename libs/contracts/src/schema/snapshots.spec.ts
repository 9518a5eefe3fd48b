import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { earlierVersionsInLine } from './breaking-changes';
import { compatibilityModeOf, currentSchemaOf, isSameJson, transitiveProblems } from './compatibility';
import { JsonSchema } from './json-schemas';
import { schemaVersions, VersionedTopic } from './schema-versions';

/** The released schema of every message type and version: libs/contracts/schemas/<topic>/v<N>.json. */
const SNAPSHOTS = join(__dirname, '../../schemas');
const topics = Object.keys(schemaVersions) as VersionedTopic[];

function snapshotOf(topic: VersionedTopic, version: number): JsonSchema | undefined {
  const file = join(SNAPSHOTS, topic, `v${version}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as JsonSchema) : undefined;
}

describe('schema snapshots', () => {
  it('are kept only for the versioned message types', () => {
    expect(readdirSync(SNAPSHOTS).sort()).toEqual([...topics].sort());
  });

  describe.each(topics)('%s', (topic) => {
    const version = schemaVersions[topic];

    it('has a snapshot of every version up to the current one, and none beyond', () => {
      const expected = Array.from({ length: version }, (_, index) => `v${index + 1}.json`);
      const recorded = existsSync(join(SNAPSHOTS, topic)) ? readdirSync(join(SNAPSHOTS, topic)) : [];
      expect(recorded.sort(byVersion)).toEqual(expected);
    });

    it('has the schema of its current version snapshot', () => {
      const changed = !isSameJson(snapshotOf(topic, version), currentSchemaOf(topic));
      const message = `the schema of ${topic} changed: run \`npm run contracts:snapshot\` to record v${version + 1}, or undo the change`;
      expect(changed ? [message] : []).toEqual([]);
    });

    it(`is compatible with every earlier version of its line (${compatibilityModeOf(topic)}, transitive)`, () => {
      // A missing snapshot fails the test above.
      const earlier = new Map(
        earlierVersionsInLine(topic, version).flatMap((older) => {
          const snapshot = snapshotOf(topic, older);
          return snapshot ? [[older, snapshot] as const] : [];
        }),
      );
      expect(transitiveProblems(currentSchemaOf(topic), earlier, compatibilityModeOf(topic))).toEqual([]);
    });
  });
});

function byVersion(a: string, b: string): number {
  return Number(a.replace(/\D/g, '')) - Number(b.replace(/\D/g, ''));
}
