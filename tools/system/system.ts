import { join } from 'node:path';
import { BrokerCredentials, credentialEnvironment } from '../kafka/credentials';
import { AppProcess } from './app-process';
import { AppName, appNames, appPorts, managementPortOf } from './apps';
import { freePort } from './free-port';
import { gatewayIdentityEnvironment, identityApp, identityCommand } from './identity-app';
import { buildStreamApp, streamAppCommand, StreamAppName, streamAppNames, streamAppPorts } from './streams-apps';

export type SystemDatabase =
  | { kind: 'postgres'; url: string; /** Each app's database is `<prefix>_<app>`. */ namePrefix: string }
  | { kind: 'embedded'; dataDir: string };

export interface SystemOptions {
  brokers: string;
  /** The local broker's credentials: each app authenticates as its own principal. Unset: no SASL. */
  kafkaCredentials?: BrokerCredentials;
  database: SystemDatabase;
  logDir: string;
  apps?: readonly AppName[];
  /** The Kafka Streams apps to start (all by default); their state lives in `<logDir>/../streams`. */
  streamApps?: readonly StreamAppName[];
  /** How long a Streams app may take to reach RUNNING (default 2 min; a three-broker cluster on a busy machine takes longer). */
  streamAppReadyTimeoutMs?: number;
  /** Fixed default ports (npm start) or free ones (tests, so that a running system is left alone). */
  ports: 'default' | 'free';
  env?: Record<string, string>;
}

/** The whole system as separate processes: the same built apps and environment variables as in production. */
export class RunningSystem {
  private readonly processes: AppProcess[] = [];
  /** The local provider's issuer URL, once it runs; the gateway is pointed at it. */
  issuerUrl?: string;

  constructor(readonly options: SystemOptions) {}

  get all(): readonly AppProcess[] {
    return this.processes;
  }

  app(instance: string): AppProcess {
    const found = this.processes.find((process) => process.name === instance);
    if (!found) throw new Error(`no app instance ${instance}`);
    return found;
  }

  /** Starts one more instance (e.g. `gateway-2`) and waits until it is ready. */
  async startApp(app: AppName, instance: string = `${app}-1`): Promise<AppProcess> {
    const isDefault = this.options.ports === 'default' && instance === `${app}-1`;
    const port = isDefault ? appPorts[app] : await freePort();
    const process = await AppProcess.start({
      app,
      instance,
      port,
      managementPort: isDefault ? managementPortOf(app) : await freePort(),
      logDir: this.options.logDir,
      env: { ...this.environment(app), ...this.options.env },
    });
    this.processes.push(process);
    await process.waitUntilReady();
    return process;
  }

  /** Starts the local OpenID Connect provider; the gateway started after it trusts its tokens. */
  async startIdentity(): Promise<AppProcess> {
    const port = this.options.ports === 'default' ? identityApp.port : await freePort();
    const process = await AppProcess.start({
      app: identityApp.name,
      instance: `${identityApp.name}-1`,
      port,
      command: identityCommand(),
      logDir: this.options.logDir,
      env: { ...this.options.env, OIDC_AUDIENCE: identityApp.audience },
    });
    this.processes.push(process);
    this.issuerUrl = process.url;
    await process.waitUntilReady();
    return process;
  }

  /** Starts a Kafka Streams app (a JVM) and waits until its streams are RUNNING. */
  async startStreamApp(app: StreamAppName, instance: string = `${app}-1`): Promise<AppProcess> {
    const port = this.options.ports === 'default' && instance === `${app}-1` ? streamAppPorts[app] : await freePort();
    const process = await AppProcess.start({
      app,
      instance,
      port,
      command: streamAppCommand(app),
      logDir: this.options.logDir,
      env: {
        ...this.options.env,
        KAFKA_BROKERS: this.options.brokers,
        ...this.credentialEnvironment(app),
        APPLICATION_ID: app,
        STATE_DIR: join(this.options.logDir, '..', 'streams', instance),
      },
    });
    this.processes.push(process);
    await process.waitUntilReady(this.options.streamAppReadyTimeoutMs ?? 120_000);
    return process;
  }

  /** Restarts a stopped or killed instance on the same port. */
  async restart(instance: string): Promise<AppProcess> {
    const old = this.app(instance);
    await old.stop();
    const process = await AppProcess.start(old.launch);
    this.processes.splice(this.processes.indexOf(old), 1, process);
    await process.waitUntilReady();
    return process;
  }

  databaseName(app: AppName): string | undefined {
    return this.options.database.kind === 'postgres' ? `${this.options.database.namePrefix}_${app}` : undefined;
  }

  async stop(): Promise<void> {
    // Callers first, so nothing is sent to a service that is already gone.
    const order = [...this.processes].reverse();
    for (const process of order) await process.stop();
  }

  private environment(app: AppName): Record<string, string> {
    const database = this.options.database;
    const env: Record<string, string> = { KAFKA_BROKERS: this.options.brokers, ...this.credentialEnvironment(app) };
    if (app === 'gateway' && this.issuerUrl) Object.assign(env, gatewayIdentityEnvironment(this.issuerUrl));
    if (database.kind === 'postgres') {
      env.DATABASE_URL = database.url;
      env.DATABASE_NAME = `${database.namePrefix}_${app}`;
    } else {
      env.DATA_DIR = database.dataDir;
    }
    return env;
  }

  private credentialEnvironment(app: AppName | StreamAppName): Record<string, string> {
    const credentials = this.options.kafkaCredentials;
    return credentials ? credentialEnvironment(credentials.participants[app]) : {};
  }
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const system = new RunningSystem(options);
  const apps = options.apps ?? appNames;
  try {
    // Services in parallel (each provisions topics and migrates its own database), then the gateway.
    const services = apps.filter((app) => app !== 'gateway');
    const streamApps = options.streamApps ?? streamAppNames;
    for (const app of streamApps) await buildStreamApp(app);
    // A Streams app waits for the services to create its input topics, so all start together.
    await Promise.all([
      ...(apps.includes('gateway') ? [system.startIdentity()] : []),
      ...services.map((app) => system.startApp(app)),
      ...streamApps.map((app) => system.startStreamApp(app)),
    ]);
    if (apps.includes('gateway')) await system.startApp('gateway');
    return system;
  } catch (error) {
    await system.stop();
    throw error;
  }
}
