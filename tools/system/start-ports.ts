import { defaultBrokerPorts, externalBrokers, runningPid } from '../kafka/broker';
import { appNames, appPorts, managementPortOf } from './apps';
import { startKafkaDir } from './data-dir';
import { isPortFree } from './free-port';
import { identityApp } from './identity-app';
import { streamAppNames, streamAppPorts } from './streams-apps';

/** A port that `npm start` listens on, and what for. */
export interface NeededPort {
  port: number;
  use: string;
}

/**
 * Every port `npm start` listens on with its defaults: the identity provider's, each app's HTTP and
 * management port, each stream processor's health port and, unless it uses a broker that already runs
 * (KAFKA_BROKERS, or one from `npm run kafka:start` in `kafkaDir`), the local broker's two.
 */
export async function portsNeededByStart(kafkaDir: string = startKafkaDir()): Promise<NeededPort[]> {
  const usesRunningBroker = externalBrokers() !== undefined || (await runningPid(kafkaDir)) !== undefined;
  const broker = usesRunningBroker
    ? []
    : [
        { port: defaultBrokerPorts.port, use: 'Kafka' },
        { port: defaultBrokerPorts.controllerPort, use: 'Kafka controller' },
      ];
  return [
    ...broker,
    { port: identityApp.port, use: identityApp.name },
    ...appNames.flatMap((app) => [
      { port: appPorts[app], use: app },
      { port: managementPortOf(app), use: `${app} metrics` },
    ]),
    ...streamAppNames.map((app) => ({ port: streamAppPorts[app], use: app })),
  ];
}

/** Some of the ports `npm start` needs are in use: most likely, Orderflow already runs here. */
export class PortsTakenError extends Error {
  constructor(readonly taken: readonly NeededPort[]) {
    const ports = taken.map(({ port, use }) => `${port} (${use})`).join(', ');
    const [noun, verb] = taken.length === 1 ? ['port', 'is'] : ['ports', 'are'];
    super(
      `npm start: nothing started: ${noun} ${ports} ${verb} in use. Is Orderflow already running? Stop it first (Ctrl-C where it runs), or free the ${noun}.`,
    );
  }
}

/**
 * Refuses, before anything is started, when a port is taken. Without this a second `npm start` used
 * the running broker, its apps joined the running system's consumer groups, and the other system's
 * answers on the taken ports passed for its own.
 */
export async function refuseTakenPorts(needed: readonly NeededPort[]): Promise<void> {
  const isFree = await Promise.all(needed.map(({ port }) => isPortFree(port)));
  const taken = needed.filter((_, index) => !isFree[index]);
  if (taken.length > 0) throw new PortsTakenError(taken);
}
