/** docker-compose.yml: Kafka, PostgreSQL and every app on one machine, built from this checkout. */
import { DeployableApp, DeployableStreamApp } from '../orderflow-apps';
import { Manifest, ManifestFiles } from './builders';
import {
  DEV_DATABASE_URL,
  DEV_POSTGRES_CREDENTIALS,
  KAFKA_IMAGE,
  kafkaKraftEnvironment,
  MEMORY_LIMIT_MIB,
  POSTGRES_IMAGE,
  sharedEnvironment,
  streamAppEnvironment,
} from './environment';

export function composeFiles(apps: DeployableApp[], streamApps: DeployableStreamApp[]): ManifestFiles {
  return { 'docker-compose.yml': [compose(apps, streamApps)] };
}

/** Compose's memory limit for a container (the same figure as its Kubernetes limit). */
function memoryLimit(mib: number): Manifest {
  return { deploy: { resources: { limits: { memory: `${mib}M` } } } };
}

/**
 * An app's compose service: read-only, no capabilities, memory-capped, restarted. Its health check is
 * the image's own HEALTHCHECK (Dockerfile: /health/ready through bash's /dev/tcp); compose would
 * otherwise need a tool the image may lack (the JRE image has no curl).
 */
function composeService(
  service: { build: Manifest; image: string; environment: Record<string, string>; depends_on: Manifest },
  memoryMib: number,
  writable: { tmpfs: string[]; volumes?: string[] },
  exposed: { ports?: string[] } = {},
): Manifest {
  return {
    ...service,
    read_only: true,
    ...writable,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    ...exposed,
    ...memoryLimit(memoryMib),
    restart: 'unless-stopped',
  };
}

function compose(apps: DeployableApp[], streamApps: DeployableStreamApp[]): Manifest {
  const services: Record<string, Manifest> = {
    kafka: {
      image: KAFKA_IMAGE,
      environment: kafkaKraftEnvironment('kafka'),
      // A TCP connect, not a JVM per probe: a KRaft broker opens its listener only once it has caught
      // up with the metadata and is unfenced. The image's scripts need bash, so /dev/tcp is there.
      healthcheck: {
        test: ['CMD', 'bash', '-c', 'exec 3<>/dev/tcp/127.0.0.1/9092'],
        interval: '5s',
        timeout: '3s',
        retries: 30,
      },
      volumes: ['kafka-data:/var/lib/kafka/data'],
      ...memoryLimit(MEMORY_LIMIT_MIB.kafka),
      restart: 'unless-stopped',
    },
    postgres: {
      image: POSTGRES_IMAGE,
      environment: { ...DEV_POSTGRES_CREDENTIALS },
      healthcheck: { test: ['CMD', 'pg_isready', '-U', 'orderflow'], interval: '5s', timeout: '5s', retries: 30 },
      volumes: ['postgres-data:/var/lib/postgresql/data'],
      ...memoryLimit(MEMORY_LIMIT_MIB.postgres),
      restart: 'unless-stopped',
    },
  };
  const volumes: Record<string, Manifest> = { 'kafka-data': {}, 'postgres-data': {} };
  for (const app of apps) {
    services[app.name] = composeService(
      {
        build: { context: '.', args: { APP: app.name } },
        image: `orderflow/${app.name}:dev`,
        environment: {
          ...sharedEnvironment.base,
          HTTP_PORT: String(app.port),
          MANAGEMENT_PORT: String(app.managementPort),
          INSTANCE_ID: `${app.name}-compose`,
          ...(app.hasDatabase ? { DATABASE_URL: DEV_DATABASE_URL } : {}),
        },
        depends_on: {
          kafka: { condition: 'service_healthy' },
          ...(app.hasDatabase ? { postgres: { condition: 'service_healthy' } } : {}),
        },
      },
      MEMORY_LIMIT_MIB.app,
      { tmpfs: ['/tmp'] },
      app.isPublic ? { ports: [`${app.port}:${app.port}`] } : {},
    );
  }
  for (const app of streamApps) {
    const { shared, own } = streamAppEnvironment(app);
    const state = `${app.name}-state`;
    volumes[state] = {};
    services[app.name] = composeService(
      {
        build: { context: '.', target: app.name },
        image: `orderflow/${app.name}:dev`,
        environment: {
          ...shared,
          ...own,
          INSTANCE_ID: `${app.name}-compose`,
        },
        depends_on: { kafka: { condition: 'service_healthy' } },
      },
      MEMORY_LIMIT_MIB.streamApp,
      // Docker mounts a tmpfs noexec by default; RocksDB loads the native library it unpacks there.
      { tmpfs: ['/tmp:exec'], volumes: [`${state}:${own.STATE_DIR}`] },
    );
  }
  return { name: 'orderflow', services, volumes };
}
