import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import { Participant } from '@orderflow/contracts';
import { KafkaTarget } from '../../tools/dlq/dead-letters';
import { credentialEnvironment, loadBrokerCredentials, scramSasl } from '../../tools/kafka/credentials';
import { AppName } from '../../tools/system/apps';
import { e2eEnvironment } from './e2e-environment';
import { Http } from './http';
import { SeedClient, SeedUser, Tokens } from './tokens';
import { connectToServiceDatabase } from './test-databases';

/**
 * A suite's handles on the running system: the HTTP API, each service's own database (to check what
 * it stored) and Kafka (to send what another service would). Call `close()` in afterAll.
 */
export class SystemUnderTest {
  readonly environment = e2eEnvironment();
  /** Real tokens from the running provider. */
  readonly tokens = new Tokens(this.environment.issuerUrl);
  /** The API as back-office automation sees it: a machine client with every scope. */
  readonly http = new Http(this.environment.gatewayUrl, () => this.tokens.client('back-office'));
  /** The local broker's users; undefined for an outside cluster without authentication. */
  readonly kafkaCredentials = this.environment.kafkaCredentialsFile
    ? loadBrokerCredentials(this.environment.kafkaCredentialsFile)
    : undefined;
  /** As the admin principal: a test may send what any service would, and read any topic. */
  readonly kafka = new Kafka({
    clientId: `e2e-${randomUUID().slice(0, 8)}`,
    brokers: this.environment.brokers.split(','),
    ...(this.kafkaCredentials ? { sasl: scramSasl(this.kafkaCredentials.admin) } : {}),
    logLevel: logLevel.NOTHING,
  });
  private readonly databases = new Map<AppName, Promise<Client>>();
  private producerConnection?: Promise<Producer>;

  /** The API as a development user or client of the provider sees it; `anonymous` sends no token. */
  httpAs(caller: SeedUser | SeedClient | 'anonymous'): Http {
    if (caller === 'anonymous') return this.http.as(undefined);
    if (caller === 'storefront' || caller === 'back-office') return this.http.as(() => this.tokens.client(caller));
    return this.http.as(() => this.tokens.user(caller));
  }

  /** Runs SQL against one service's database. */
  async query<Row = Record<string, unknown>>(app: AppName, sql: string, parameters: unknown[] = []): Promise<Row[]> {
    if (!this.databases.has(app)) {
      this.databases.set(
        app,
        connectToServiceDatabase(this.environment.databaseUrl, this.environment.databasePrefix, app),
      );
    }
    const client = await this.databases.get(app)!;
    return (await client.query(sql, parameters)).rows as Row[];
  }

  /** What a process started by a test needs in its environment to reach this broker as `participant`. */
  kafkaEnvironment(participant: Participant): Record<string, string> {
    const credentials = this.kafkaCredentials
      ? credentialEnvironment(this.kafkaCredentials.participants[participant])
      : {};
    return { KAFKA_BROKERS: this.environment.brokers, ...credentials };
  }

  /** Where the dead-letter tool's functions reach Kafka, as the tool's own principal. */
  deadLetterTool(): KafkaTarget {
    const credential = this.kafkaCredentials?.participants['dlq-tool'];
    return {
      brokers: this.environment.brokers.split(','),
      security: credential ? { sasl: scramSasl(credential) } : {},
    };
  }

  producer(): Promise<Producer> {
    this.producerConnection ??= (async () => {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true });
      await producer.connect();
      return producer;
    })();
    return this.producerConnection;
  }

  async close(): Promise<void> {
    for (const client of this.databases.values()) await (await client).end();
    if (this.producerConnection) await (await this.producerConnection).disconnect();
  }
}
