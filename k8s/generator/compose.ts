/** docker-compose.yml: Kafka, PostgreSQL and every app on one machine, built from this checkout. */
import { DeployableApp, DeployableStreamApp } from '../orderflow-apps';
import { Manifest, ManifestFiles } from './builders';
import {
  DEV_DATABASE_URL,
  DEV_POSTGRES_CREDENTIALS,
  KAFKA_IMAGE,
  kafkaKraftEnvironment,
  POSTGRES_IMAGE,
  sharedEnvironment,
  streamAppEnvironment,
} from './environment';

export function composeFiles(apps: DeployableApp[], streamApps: DeployableStreamApp[]): ManifestFiles {
  return { 'docker-compose.yml': [compose(apps, streamApps)] };
}

/** An app's compose service: health-checked on /health/ready, read-only, no capabilities, restarted. */
function composeService(
  service: { build: Manifest; image: string; environment: Record<string, string>; depends_on: Manifest },
  healthcheck: string[],
  writable: { tmpfs: string[]; volumes?: string[] },
  exposed: { ports?: string[] } = {},
): Manifest {
  return {
    ...service,
    healthcheck: { test: healthcheck, interval: '10s', timeout: '5s', retries: 3, start_period: '120s' },
    read_only: true,
    ...writable,
    cap_drop: ['ALL'],
    security_opt: ['no-new-privileges:true'],
    ...exposed,
    restart: 'unless-stopped',
  };
}

function compose(apps: DeployableApp[], streamApps: DeployableStreamApp[]): Manifest {
  const services: Record<string, Manifest> = {
    kafka: {
      image: KAFKA_IMAGE,
      environment: kafkaKraftEnvironment('kafka'),
      healthcheck: {
        test: ['CMD-SHELL', '/opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server localhost:9092 >/dev/null'],
        interval: '5s',
        timeout: '10s',
        retries: 30,
      },
      volumes: ['kafka-data:/var/lib/kafka/data'],
    },
    postgres: {
      image: POSTGRES_IMAGE,
      environment: { ...DEV_POSTGRES_CREDENTIALS },
      healthcheck: { test: ['CMD', 'pg_isready', '-U', 'orderflow'], interval: '5s', timeout: '5s', retries: 30 },
      volumes: ['postgres-data:/var/lib/postgresql/data'],
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
      [
        'CMD',
        'node',
        '-e',
        `fetch('http://127.0.0.1:${app.port}/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`,
      ],
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
      ['CMD', 'curl', '-fsS', '-o', '/dev/null', `http://127.0.0.1:${app.port}/health/ready`],
      // Docker mounts a tmpfs noexec by default; RocksDB loads the native library it unpacks there.
      { tmpfs: ['/tmp:exec'], volumes: [`${state}:${own.STATE_DIR}`] },
    );
  }
  return { name: 'orderflow', services, volumes };
}
