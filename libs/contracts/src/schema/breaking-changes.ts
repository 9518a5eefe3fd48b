import { VersionedTopic } from './schema-versions';

/**
 * The versions that start a new line of compatibility, by message type. Version N is listed when it
 * breaks compatibility with N-1 on purpose: consumers read N-1 messages through the upcaster from N-1
 * to N (libs/contracts/src/schema/upcasters.ts), so the gate compares N and later versions only with
 * N and later. Whoever adds an upcaster adds its target version here, e.g. `'order.created': [2]`
 * (docs/contracts-compatibility.md).
 */
export const breakingVersions: Partial<Record<VersionedTopic, readonly number[]>> = {
  // The skus at fault became lines with the quantities asked for and in stock.
  'inventory.rejected': [2],
};

/** The earlier versions that `version` of `topic` must stay compatible with: back to the latest breaking one. */
export function earlierVersionsInLine(
  topic: VersionedTopic,
  version: number,
  breaking: Partial<Record<VersionedTopic, readonly number[]>> = breakingVersions,
): number[] {
  const lineStart = Math.max(1, ...(breaking[topic] ?? []).filter((breakingVersion) => breakingVersion <= version));
  return Array.from({ length: version - lineStart }, (_, index) => lineStart + index);
}
