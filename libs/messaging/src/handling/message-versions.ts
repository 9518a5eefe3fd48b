import { MessageHeaders, messageClasses, schemaVersions, upcastPayload, VersionedTopic } from '@orderflow/contracts';

/** What a consumed message is, for the version rules (after Nest's parser). */
export interface VersionedMessage {
  value: unknown;
  headers?: Record<string, unknown>;
}

export type DeclaredVersion = { version: number } | { problem: string };

const versionedTopics = new Set<string>(Object.keys(schemaVersions));
const envelopeTopics = new Set<string>(Object.keys(messageClasses));

export function isVersionedTopic(topic: string): topic is VersionedTopic {
  return versionedTopics.has(topic);
}

/** Commands and events carry an envelope around their payload; requests and stream results are the payload. */
function hasEnvelope(topic: string): boolean {
  return envelopeTopics.has(topic);
}

/**
 * The schema version a message says it follows: its envelope's `schemaVersion` and its
 * `x-schema-version` header, which must agree where both are present; neither means version 1.
 */
export function declaredVersion(topic: string, message: VersionedMessage): DeclaredVersion {
  const header = message.headers?.[MessageHeaders.SchemaVersion];
  const fromHeader = header === undefined || header === null ? undefined : readHeader(header);
  if (fromHeader && 'problem' in fromHeader) return fromHeader;
  const field = hasEnvelope(topic) ? (message.value as { schemaVersion?: unknown }).schemaVersion : undefined;
  const fromEnvelope = field === undefined ? undefined : readField(field);
  if (fromEnvelope && 'problem' in fromEnvelope) return fromEnvelope;
  if (fromHeader && fromEnvelope && fromHeader.version !== fromEnvelope.version) {
    return {
      problem: `header ${MessageHeaders.SchemaVersion} says ${fromHeader.version} but the envelope's schemaVersion ${fromEnvelope.version}`,
    };
  }
  return fromEnvelope ?? fromHeader ?? { version: 1 };
}

/**
 * Why a consumer that reads version `current` of `topic` cannot read version `version`: it reads the
 * current version and the one before it (upcast), nothing newer, nothing older.
 */
export function unreadableVersion(topic: string, version: number, current: number): string | undefined {
  if (version > current) {
    return `${topic} version ${version} is newer than this consumer reads (${current}); replay it once its consumers are deployed`;
  }
  if (version < current - 1) {
    return `${topic} version ${version} is too old: this consumer reads ${current - 1} (upcast) and ${current}`;
  }
  return undefined;
}

/** The version problem of a consumed message, if any; topics without a schema version are not checked. */
export function versionProblem(topic: string, message: VersionedMessage): string | undefined {
  if (!isVersionedTopic(topic)) return undefined;
  const declared = declaredVersion(topic, message);
  if ('problem' in declared) return declared.problem;
  return unreadableVersion(topic, declared.version, schemaVersions[topic]);
}

/**
 * The value of an inspected message as its topic's current version reads it: a message of the previous
 * version through its upcaster, as a new object (the consumed value stays as published, for a dead letter).
 */
export function asCurrentVersion(topic: string, message: VersionedMessage): unknown {
  if (!isVersionedTopic(topic)) return message.value;
  const declared = declaredVersion(topic, message);
  const current = schemaVersions[topic];
  if ('problem' in declared || declared.version === current) return message.value;
  if (!hasEnvelope(topic)) return upcastPayload(topic, declared.version, message.value);
  const envelope = message.value as { payload?: unknown };
  return {
    ...envelope,
    schemaVersion: current,
    payload: upcastPayload(topic, declared.version, envelope.payload),
  };
}

function readHeader(header: unknown): DeclaredVersion {
  const text = Buffer.isBuffer(header) ? header.toString() : String(header);
  if (!/^[1-9][0-9]{0,8}$/.test(text)) {
    return { problem: `header ${MessageHeaders.SchemaVersion} "${text.slice(0, 20)}" is not a whole number from 1` };
  }
  return { version: Number(text) };
}

function readField(field: unknown): DeclaredVersion {
  if (typeof field !== 'number' || !Number.isSafeInteger(field) || field < 1) {
    return { problem: `schemaVersion ${JSON.stringify(field)?.slice(0, 20)} is not a whole number from 1` };
  }
  return { version: field };
}
