import {
  schemaNameOf,
  schemaVersions,
  TopicDeclaration,
  topicDeclarations,
  VersionedTopic,
} from '@orderflow/contracts';

/**
 * The topic declaration as plain JSON, for readers outside TypeScript: the stream processor's tests
 * check their topology against it.
 */
export function declarationsDocument(declarations: readonly TopicDeclaration[] = topicDeclarations): object {
  return {
    $comment: 'Generated from libs/contracts/src/topic-declarations.ts by `npm run contracts:generate`; do not edit.',
    topics: declarations.map((declaration) => ({
      topic: declaration.topic,
      kind: declaration.kind,
      ...(declaration.of ? { of: declaration.of } : {}),
      message: declaration.message ? schemaNameOf(declaration.message) : null,
      schemaVersion: schemaVersions[declaration.topic as VersionedTopic] ?? null,
      key: declaration.key,
      producers: declaration.producers,
      consumers: declaration.consumers.map((participant, index) => ({
        participant,
        group: declaration.groups[index],
      })),
    })),
  };
}
