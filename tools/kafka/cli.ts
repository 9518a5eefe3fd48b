/**
 * `npm run kafka:start` / `kafka:stop`: a local broker for development that outlives this command.
 * Usage: tsx tools/kafka/cli.ts start|stop|status [--data-dir DIR] [--port N] [--controller-port N]
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import {
  configuredBootstrap,
  externalBrokers,
  KafkaToolError,
  resolveKafkaJars,
  runningPid,
  startBroker,
  stopBroker,
} from './broker';
import { startKafkaDir } from '../system/data-dir';

interface CliOptions {
  dataDir: string;
  port: number;
  controllerPort: number;
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', default: startKafkaDir() },
      port: { type: 'string', default: '9092' },
      'controller-port': { type: 'string', default: '9093' },
    },
  });
  const options: CliOptions = {
    dataDir: path.resolve(values['data-dir']),
    port: toPort(values.port),
    controllerPort: toPort(values['controller-port']),
  };
  const command = positionals[0];
  if (command === 'start') await start(options);
  else if (command === 'stop') await stop(options);
  else if (command === 'status') await status(options);
  else throw new KafkaToolError('Usage: cli.ts start|stop|status [--data-dir DIR] [--port N] [--controller-port N]');
}

async function start(options: CliOptions): Promise<void> {
  const external = externalBrokers();
  if (external) {
    console.log(`Using the Kafka cluster at ${external} (KAFKA_BROKERS); nothing started`);
    return;
  }
  const pid = await runningPid(options.dataDir);
  if (pid !== undefined) {
    const bootstrap = await configuredBootstrap(options.dataDir);
    console.log(`Kafka already runs at ${bootstrap} (pid ${pid}, data in ${options.dataDir})`);
    return;
  }
  await resolveKafkaJars();
  const started = Date.now();
  const broker = await startBroker(options);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Kafka is up at ${broker.bootstrap} after ${seconds} s (pid ${broker.pid})`);
  console.log(`Data and log (broker.log) in ${broker.dataDir}; stop it with npm run kafka:stop`);
}

async function stop(options: CliOptions): Promise<void> {
  const pid = await runningPid(options.dataDir);
  await stopBroker(options.dataDir);
  console.log(pid === undefined ? 'No Kafka broker was running' : `Stopped the Kafka broker (pid ${pid})`);
}

async function status(options: CliOptions): Promise<void> {
  const external = externalBrokers();
  if (external) console.log(`KAFKA_BROKERS is set: ${external}`);
  const pid = await runningPid(options.dataDir);
  if (pid === undefined) {
    console.log(`No Kafka broker runs from ${options.dataDir}`);
    process.exitCode = 3;
  } else {
    console.log(`Kafka runs at ${await configuredBootstrap(options.dataDir)} (pid ${pid}, data in ${options.dataDir})`);
  }
}

function toPort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new KafkaToolError(`Not a port: ${value}`);
  return port;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof KafkaToolError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error((error as Error).message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
