import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { SASLOptions } from 'kafkajs';
import { KAFKA_ADMIN_USER, kafkaParticipants, kafkaUserName, Participant } from '@orderflow/contracts';

/** One SASL user: its name and password. */
export interface KafkaCredential {
  username: string;
  password: string;
}

/**
 * Every secret of one local broker, made when its storage is formatted and kept beside its data
 * (`<dataDir>/credentials.json`, owner-only, never committed: .data/ is ignored). The SCRAM users
 * are created from it at format time; `npm start` and the e2e support read it to hand each app its own.
 */
export interface BrokerCredentials {
  /** Creates topics and ACLs; a super user. Test clients use it too. */
  admin: KafkaCredential;
  /** The broker's own inter-broker client (SCRAM); a super user. */
  broker: KafkaCredential;
  /** The controller listener's user (SASL/PLAIN: SCRAM users live in the metadata the controller serves). */
  controller: KafkaCredential;
  participants: Record<Participant, KafkaCredential>;
}

export const CREDENTIALS_FILE = 'credentials.json';
/** The admin's client properties for Kafka's own command-line tools (`--command-config`). */
export const ADMIN_PROPERTIES_FILE = 'admin.properties';

export function credentialsFile(dataDir: string): string {
  return path.join(path.resolve(dataDir), CREDENTIALS_FILE);
}

/** 32 random bytes, URL-safe: no character that Kafka's `[name=...,password=...]` syntax or JAAS quoting would misread. */
function randomPassword(): string {
  return randomBytes(32).toString('base64url');
}

function credential(username: string): KafkaCredential {
  return { username, password: randomPassword() };
}

export function newBrokerCredentials(): BrokerCredentials {
  return {
    admin: credential(KAFKA_ADMIN_USER),
    broker: credential('orderflow-broker'),
    controller: credential('orderflow-controller'),
    participants: Object.fromEntries(
      kafkaParticipants.map((participant) => [participant, credential(kafkaUserName(participant))]),
    ) as Record<Participant, KafkaCredential>,
  };
}

/** The credentials of the broker in dataDir, or undefined where it has none (not formatted yet, or formatted before SASL). */
export async function readBrokerCredentials(dataDir: string): Promise<BrokerCredentials | undefined> {
  let text: string;
  try {
    text = await readFile(credentialsFile(dataDir), 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text) as BrokerCredentials;
}

/** The credentials in a credentials file, read at once (a test suite's fields). */
export function loadBrokerCredentials(file: string): BrokerCredentials {
  return JSON.parse(readFileSync(file, 'utf8')) as BrokerCredentials;
}

export async function writeBrokerCredentials(dataDir: string, credentials: BrokerCredentials): Promise<void> {
  await writeFile(credentialsFile(dataDir), `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
}

/** The participants the declaration knows that this broker has no user for (declared after it was formatted). */
export function missingParticipants(credentials: BrokerCredentials): Participant[] {
  return kafkaParticipants.filter((participant) => credentials.participants[participant] === undefined);
}

/** `SCRAM-SHA-512=[name=...,password=...]`, the form of `kafka-storage format --add-scram`. */
export function scramFormatArgument({ username, password }: KafkaCredential): string {
  return `SCRAM-SHA-512=[name=${username},password=${password}]`;
}

/** The environment that makes an app (or the stream processor) authenticate as `credential`. */
export function credentialEnvironment(credential: KafkaCredential): Record<string, string> {
  return { KAFKA_SASL_USERNAME: credential.username, KAFKA_SASL_PASSWORD: credential.password };
}

/** The kafkajs SASL options of a credential (SCRAM-SHA-512, as the broker's client listener takes). */
export function scramSasl({ username, password }: KafkaCredential): SASLOptions {
  return { mechanism: 'scram-sha-512', username, password };
}

/** Java client properties that authenticate as `credential` (Kafka's CLI tools, `--command-config`). */
export function clientProperties({ username, password }: KafkaCredential): string {
  return [
    'security.protocol=SASL_PLAINTEXT',
    'sasl.mechanism=SCRAM-SHA-512',
    `sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${username}" password="${password}";`,
    '',
  ].join('\n');
}
