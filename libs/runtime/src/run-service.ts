import { INestApplication, INestMicroservice, Logger, LoggerService, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { checkEnvironment, ConfigValidationError, ServiceEnvSchema } from '@orderflow/config';
import { requestGroups } from '@orderflow/contracts';
import {
  awaitShutdownStep,
  KAFKA_SETTINGS,
  KafkaConsumerState,
  KafkaSettings,
  kafkaServerTransports,
  ServerTransportOverrides,
  UnverifiedVersionError,
  unverifiedVersions,
} from '@orderflow/messaging';
import { nestLogsThrough, OrderflowMetrics, startupLogger } from '@orderflow/observability';
import { Consumer } from 'kafkajs';
import type { Level } from 'pino';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { withHandlerPipeline } from './handler-pipeline';
import { drainHttp } from './http-drain';
import { RunningServer, serveManagement } from './management-server';
import type { NotReadyServer } from './not-ready-server';
import {
  holdPortsWhileStarting,
  Startup,
  serveBadConfiguration,
  serveUnverifiedVersions,
  waitToRetry,
} from './startup-failure';

export interface ServiceRuntime {
  service: string;
  /** The app's module; runService puts the handler pipeline (handler-pipeline.ts) around it. */
  module: Type<unknown>;
  /** The app's environment schema, the one its ServiceConfigModule gets: checked before the app is created. */
  env: ServiceEnvSchema;
  /** How this app consumes with Nest's ServerKafka; `false` for apps without handlers. */
  consumer?: ServerTransportOverrides | ((settings: KafkaSettings) => ServerTransportOverrides) | false;
  /** HTTP setup that must happen before init, such as mounting the OpenAPI document. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts one app: HTTP (API, health), the management port (metrics) and the Kafka transport. The
 * module initialises first (database migrated, topics provisioned, producer and request client
 * connected), so the consumer never sees a message before the app can handle it. The ports are held
 * from the very start (answering as not ready until the app listens), so an app that cannot have them
 * never joins a consumer group, nor takes a share of its group's partitions. An app that cannot start
 * never crash-loops: it answers its probes as not ready, with the reason, and logs it as JSON like
 * every other line. A port that is taken is the exception: another process (a second `npm start`, a
 * stale instance) answers there, so the app logs one line and exits 1.
 */
export async function runService(runtime: ServiceRuntime): Promise<INestApplication> {
  const environment = checkEnvironment(runtime.env);
  // The app's LOG_LEVEL once the environment is valid (its schema's default included); else `info`,
  // so that everything said about a bad environment is seen.
  const logger = startupLogger(
    runtime.service,
    undefined,
    environment.ok ? ((environment.values as { LOG_LEVEL?: Level }).LOG_LEVEL ?? 'info') : 'info',
  );
  const startup: Startup = {
    service: runtime.service,
    env: runtime.env,
    logger: logger.child({ context: 'Bootstrap' }),
  };
  if (!environment.ok) return stayNotReady(await serveBadConfiguration(startup, environment.problems), startup);
  const unverified = unverifiedVersions();
  if (unverified.length > 0) {
    const { message } = new UnverifiedVersionError(unverified);
    return stayNotReady(await serveUnverifiedVersions(startup, message), startup);
  }
  let notReady: NotReadyServer | undefined = await holdPortsWhileStarting(startup).catch((error: unknown) => {
    const takenPort = portInUse(error);
    if (takenPort !== undefined) exitOnTakenPort(startup, takenPort);
    // Not holding them is no reason not to start: listening will tell.
    startup.logger.warn(`cannot hold the ports while starting: ${error instanceof Error ? error.message : error}`);
    return undefined;
  });
  let created: INestApplication | undefined;
  // Until the app is up (and stopGracefullyOnSignals takes over), a stop is a clean exit too, also
  // while it waits to try again: nothing was consumed yet, so there is nothing to drain.
  const stopWhileStarting = (signal: NodeJS.Signals): void => {
    startup.logger.info(`${signal} while starting: stopping`);
    void Promise.allSettled([created?.close(), notReady?.close()]).finally(() => process.exit(0));
  };
  process.once('SIGTERM', stopWhileStarting);
  process.once('SIGINT', stopWhileStarting);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(runtime, nestLogsThrough(logger), {
        onCreated: (app) => (created = app),
        beforeListen: async () => {
          await notReady?.close();
          notReady = undefined;
        },
        beforeSignals: () => {
          process.off('SIGTERM', stopWhileStarting);
          process.off('SIGINT', stopWhileStarting);
        },
      });
    } catch (error) {
      await created?.close().catch(() => undefined);
      created = undefined;
      const takenPort = portInUse(error);
      if (takenPort !== undefined) {
        await notReady?.close();
        exitOnTakenPort(startup, takenPort);
      }
      // A setting found wrong only against the running system (a topic's retention, say): like a bad
      // environment, it stays wrong until the app is restarted with it fixed.
      if (error instanceof ConfigValidationError) {
        await notReady?.close();
        return stayNotReady(await serveBadConfiguration(startup, error.issues), startup);
      }
      notReady = await waitToRetry(startup, attempt, error, notReady);
    }
  }
}

/**
 * A bad environment: nothing to retry, a fixed one needs a restart. The app stays not ready until
 * SIGTERM; with nowhere to answer its probes, it exits (the reason is logged above).
 */
function stayNotReady(notReady: NotReadyServer | undefined, startup: Startup): Promise<never> {
  if (!notReady) {
    startup.logger.fatal(`${startup.service} cannot start with this configuration: exiting`);
    process.exit(1);
  }
  const stop = (signal: NodeJS.Signals): void => {
    startup.logger.info(`${signal}: stopping`);
    void notReady.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  return new Promise<never>(() => undefined);
}

async function startOnce(
  runtime: ServiceRuntime,
  startupLogs: LoggerService,
  hooks: { onCreated(app: INestApplication): void; beforeListen(): Promise<void>; beforeSignals(): void },
): Promise<INestApplication> {
  // Nest's boot lines (and kafkajs's) go out at once through the start-up logger, JSON with the
  // service: not buffered until the app's logger exists, or a start that hangs on an unreachable
  // broker would print nothing for half a minute and then everything with the same timestamp.
  const app = await NestFactory.create(withHandlerPipeline(runtime.module), {
    abortOnError: false,
    logger: startupLogs,
  });
  hooks.onCreated(app);
  useAppLogger(app);
  const settings = app.get<KafkaSettings>(KAFKA_SETTINGS);
  await runtime.configure?.(app);
  const overrides = typeof runtime.consumer === 'function' ? runtime.consumer(settings) : runtime.consumer;
  // The contracts declare which apps take their requests in a group of their own (and the ACLs follow).
  const requestsApart = runtime.service in requestGroups;
  const transports =
    overrides === false
      ? []
      : kafkaServerTransports(settings, { ...overrides, requestsApart }).map(({ strategy, groupId }) => ({
          microservice: app.connectMicroservice(strategy, { inheritAppConfig: true }),
          groupId,
        }));
  await app.init();
  const consumerState = transports.length > 0 ? app.get(KafkaConsumerState) : undefined;
  consumerState?.expectConsumer();
  await hooks.beforeListen();
  await app.listen(app.get(ConfigService).getOrThrow<number>('HTTP_PORT'));
  // A taken management port fails this attempt like a taken HTTP port: runService closes the app.
  const management = await serveMetrics(app);
  // Only now the consumers: an app whose ports are taken has not joined its groups (nor consumed a
  // message into its database) when it gives up.
  try {
    await app.startAllMicroservices();
  } catch (error) {
    await management?.close();
    throw error;
  }
  for (const { microservice, groupId } of transports) {
    consumerState?.watch(microservice.unwrap<[unknown, Consumer]>()[1], groupId);
  }
  hooks.beforeSignals();
  stopGracefullyOnSignals(
    app,
    transports.map(({ microservice }) => microservice),
    settings.shutdownTimeoutMs,
    management,
  );
  Logger.log(`${runtime.service} is up (instance ${settings.instanceId})`, 'Bootstrap');
  return app;
}

/** Another process (a second `npm start`, a stale instance) answers there: waiting cannot help. */
function exitOnTakenPort(startup: Startup, port: number): never {
  startup.logger.fatal(
    `${startup.service} cannot listen on port ${port}: another process uses it (EADDRINUSE); exiting`,
  );
  process.exit(1);
}

/** The port of a failed `listen` because another process listens there; undefined for any other error. */
function portInUse(error: unknown): number | undefined {
  const failure = error as { code?: unknown; port?: unknown } | undefined;
  return failure?.code === 'EADDRINUSE' && typeof failure.port === 'number' ? failure.port : undefined;
}

/**
 * The app's metrics on its MANAGEMENT_PORT; none for an app without ObservabilityModule (a bench peer).
 * An app with metrics but no MANAGEMENT_PORT in its schema is a mistake, refused at start.
 */
async function serveMetrics(app: INestApplication): Promise<RunningServer | undefined> {
  let metrics: OrderflowMetrics;
  try {
    metrics = app.get(OrderflowMetrics);
  } catch {
    return undefined;
  }
  const port = app.get(ConfigService).get<number>('MANAGEMENT_PORT');
  if (port === undefined) throw new Error('the app has metrics but its environment schema has no MANAGEMENT_PORT');
  return serveManagement(port, async () => ({
    contentType: metrics.registry.contentType,
    body: await metrics.registry.metrics(),
  }));
}

/**
 * From here on Nest's lines go to the app's
 * pino logger (LoggingModule): its LOG_LEVEL, and the correlation id of the request or message being
 * handled. An app without LoggingModule (a bench peer) keeps the start-up logger.
 */
function useAppLogger(app: INestApplication): void {
  let appLogger: PinoNestLogger;
  try {
    appLogger = app.get(PinoNestLogger);
  } catch {
    return;
  }
  app.useLogger(appLogger);
}

/**
 * SIGTERM/SIGINT: stop taking work first, the consumer (no new messages; kafkajs waits for the
 * in-flight handlers, commits their offsets and leaves the group) and HTTP (no new connections, the
 * requests in flight answered) side by side, then close the app, whose hooks flush the outbox relay
 * (beforeApplicationShutdown) and only then close the database and the producer.
 * Nest's own `enableShutdownHooks` would run the relay's flush while the consumer still takes messages
 * and handlers still write to the outbox. Past `timeoutMs` the process exits anyway: whatever was not
 * committed is redelivered to the next member, and the inbox makes that harmless.
 */
function stopGracefullyOnSignals(
  app: INestApplication,
  transports: INestMicroservice[],
  timeoutMs: number,
  management: RunningServer | undefined,
): void {
  let stopping: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    const logger = new Logger('Shutdown');
    logger.log(`${signal}: draining (at most ${timeoutMs} ms)`);
    setTimeout(() => {
      logger.error(`still draining after ${timeoutMs} ms: exiting`);
      process.exit(1);
    }, timeoutMs).unref();
    stopping = (async () => {
      const budget = { settings: { shutdownTimeoutMs: timeoutMs }, logger };
      await Promise.all([
        // Only the transport: NestMicroservice.close() would also run the shared container's hooks.
        // Half the budget at most: a consumer that is rejoining a restarting broker can take longer
        // than the whole of it to stop, and then holds no message that a redelivery would not handle again.
        awaitShutdownStep(Promise.all(transports.map((transport) => transport.getTransportServer().close())), {
          ...budget,
          share: 'first-step',
          overrun: 'the consumer did not stop',
          then: 'going on; what it did not commit is redelivered',
        }),
        drainHttp(app.getHttpServer() as Server, budget),
      ]);
      await app.close();
      // Last: the scraper sees the drain to its end.
      await management?.close();
    })().then(
      () => {
        logger.log('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${error instanceof Error ? error.stack : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
