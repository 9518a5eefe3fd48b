import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TopicServerKafka } from './topic-server-kafka';
import {
  assertVerifiedVersions,
  InstalledVersions,
  installedVersions,
  UnverifiedVersionError,
  unverifiedVersions,
  VERIFIED_VERSIONS,
} from './verified-versions';

const verified = { '@nestjs/microservices': '12.1.1', kafkajs: '2.2.4' };

/** What the guard sees as installed when TopicServerKafka calls it; unset, what is installed. */
let mockInstalled: Partial<InstalledVersions> | undefined;
jest.mock('./verified-versions', () => {
  const actual = jest.requireActual<typeof import('./verified-versions')>('./verified-versions');
  return {
    ...actual,
    assertVerifiedVersions: (installed?: Partial<InstalledVersions>) =>
      actual.assertVerifiedVersions(installed ?? mockInstalled ?? actual.installedVersions()),
  };
});

describe('the verified versions of the Kafka transport', () => {
  it('are the installed ones', () => {
    expect(installedVersions()).toEqual(VERIFIED_VERSIONS);
    expect(VERIFIED_VERSIONS).toEqual(verified);
  });

  it('are what package.json pins, exactly', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@nestjs/microservices']).toBe(VERIFIED_VERSIONS['@nestjs/microservices']);
    expect(manifest.dependencies.kafkajs).toBe(VERIFIED_VERSIONS.kafkajs);
  });
});

describe('the start-up guard of the Kafka transport', () => {
  it('lets the verified versions through', () => {
    expect(unverifiedVersions(verified)).toEqual([]);
    expect(() => assertVerifiedVersions(verified)).not.toThrow();
  });

  it.each([
    ['a newer patch of Nest', { ...verified, '@nestjs/microservices': '12.1.2' }],
    ['a newer minor of Nest', { ...verified, '@nestjs/microservices': '12.2.0' }],
    ['an older Nest', { ...verified, '@nestjs/microservices': '12.0.0' }],
    ['the next major of Nest', { ...verified, '@nestjs/microservices': '13.0.0' }],
    ['a prerelease of the verified Nest', { ...verified, '@nestjs/microservices': '12.1.1-beta.0' }],
    ['a newer kafkajs', { ...verified, kafkajs: '2.2.5' }],
    ['an older kafkajs', { ...verified, kafkajs: '2.2.3' }],
  ])('refuses %s', (_case, installed) => {
    expect(unverifiedVersions(installed)).toHaveLength(1);
    expect(() => assertVerifiedVersions(installed)).toThrow(UnverifiedVersionError);
  });

  it('names the installed and the verified version and what to do', () => {
    expect(() => assertVerifiedVersions({ ...verified, kafkajs: '2.3.0' })).toThrow(
      "kafkajs 2.3.0 is installed, but Orderflow's Kafka transport (TopicServerKafka, a subclass of Nest's " +
        'ServerKafka, and its kafkajs request-queue fix) is verified against kafkajs 2.2.4 only. Install the ' +
        'verified version (npm install --save-exact kafkajs@2.2.4), or verify the new one as ' +
        'libs/messaging/src/kafka/verified-versions.ts describes (docs/kafka-transport.md) and set it there.',
    );
  });

  it('names every package that is off, not only the first', () => {
    let error: unknown;
    try {
      assertVerifiedVersions({ '@nestjs/microservices': '12.3.0', kafkajs: '2.2.5' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(UnverifiedVersionError);
    expect((error as UnverifiedVersionError).versions).toEqual([
      { name: '@nestjs/microservices', installed: '12.3.0', verified: '12.1.1' },
      { name: 'kafkajs', installed: '2.2.5', verified: '2.2.4' },
    ]);
    expect((error as Error).message).toContain('@nestjs/microservices 12.3.0 is installed, kafkajs 2.2.5 is installed');
    expect((error as Error).message).toContain('npm install --save-exact @nestjs/microservices@12.1.1 kafkajs@2.2.4');
  });
});

describe('TopicServerKafka with a version it was not verified against', () => {
  afterEach(() => (mockInstalled = undefined));

  it('refuses to be created, so the app does not start on it', () => {
    mockInstalled = { ...verified, '@nestjs/microservices': '12.2.0' };
    expect(() => new TopicServerKafka({})).toThrow('@nestjs/microservices 12.2.0 is installed');
  });

  it('is created on the verified versions', () => {
    expect(new TopicServerKafka({})).toBeInstanceOf(TopicServerKafka);
  });
});
