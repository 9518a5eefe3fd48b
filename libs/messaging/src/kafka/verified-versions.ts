import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The versions the Kafka transport was read against and tested with. TopicServerKafka subclasses
 * Nest's ServerKafka (it overrides and reads protected members, and hands batches to its
 * handleMessage), and request-queue-timer-fix.ts replaces a method of a kafkajs internal: another
 * version may change either without a compile error. package.json pins both exactly; this refuses a
 * version that got in anyway (a lock file ignored, a hoisted copy of another package's dependency).
 *
 * To move to another version: read its `server/server-kafka.js` (and `server/server.js`) against what
 * TopicServerKafka overrides and uses (docs/kafka-transport.md lists them), run
 * `npx jest libs/messaging/src/kafka --selectProjects unit` (transport-conformance.spec.ts compares
 * the fork with Nest's own server on the same messages; request-queue-timer-fix.spec.ts fails without
 * the fix), then set the version here and in package.json.
 */
export const VERIFIED_VERSIONS = Object.freeze({
  '@nestjs/microservices': '12.1.1',
  kafkajs: '2.2.4',
});

export type VerifiedPackage = keyof typeof VERIFIED_VERSIONS;

export type InstalledVersions = Record<VerifiedPackage, string>;

export interface UnverifiedVersion {
  name: VerifiedPackage;
  installed: string;
  verified: string;
}

/**
 * The version of a package as Node resolves it from here. Read from its package.json beside its entry
 * point: Nest's `exports` map does not expose `@nestjs/microservices/package.json`.
 */
export function installedVersion(name: VerifiedPackage): string {
  const packageFile = join(packageRoot(require.resolve(name), name), 'package.json');
  return (JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string }).version;
}

export function installedVersions(): InstalledVersions {
  return {
    '@nestjs/microservices': installedVersion('@nestjs/microservices'),
    kafkajs: installedVersion('kafkajs'),
  };
}

/** The packages whose installed version is not the verified one (exactly: a patch release may change internals too). */
export function unverifiedVersions(installed: Partial<InstalledVersions> = installedVersions()): UnverifiedVersion[] {
  return (Object.keys(VERIFIED_VERSIONS) as VerifiedPackage[])
    .filter((name) => installed[name] !== undefined && installed[name] !== VERIFIED_VERSIONS[name])
    .map((name) => ({ name, installed: installed[name]!, verified: VERIFIED_VERSIONS[name] }));
}

export class UnverifiedVersionError extends Error {
  constructor(readonly versions: UnverifiedVersion[]) {
    super(unverifiedMessage(versions));
    this.name = 'UnverifiedVersionError';
  }
}

/** Start-up guard of the Kafka transport: throws UnverifiedVersionError, naming what to do, unless every version is the verified one. */
export function assertVerifiedVersions(installed: Partial<InstalledVersions> = installedVersions()): void {
  const unverified = unverifiedVersions(installed);
  if (unverified.length > 0) throw new UnverifiedVersionError(unverified);
}

export function unverifiedMessage(versions: UnverifiedVersion[]): string {
  const found = versions.map((version) => `${version.name} ${version.installed} is installed`).join(', ');
  const verified = versions.map((version) => `${version.name} ${version.verified}`).join(' and ');
  const pins = versions.map((version) => `${version.name}@${version.verified}`).join(' ');
  return (
    `${found}, but Orderflow's Kafka transport (TopicServerKafka, a subclass of Nest's ServerKafka, and its ` +
    `kafkajs request-queue fix) is verified against ${verified} only. Install the verified version ` +
    `(npm install --save-exact ${pins}), or verify the new one as libs/messaging/src/kafka/verified-versions.ts ` +
    `describes (docs/kafka-transport.md) and set it there.`
  );
}

/** The folder of a package from the path of its entry point (kafkajs's is `index.js`, Nest's `index.js`, at the root). */
function packageRoot(entryPoint: string, name: string): string {
  const marker = join('node_modules', name);
  const at = entryPoint.lastIndexOf(marker);
  return at >= 0 ? entryPoint.slice(0, at + marker.length) : dirname(entryPoint);
}
