/** What global setup hands to the suites, through environment variables (suites run in other contexts). */
export interface E2eEnvironment {
  brokers: string;
  gatewayUrl: string;
  /** The gateway's management port (`/metrics`), off the public API. */
  gatewayManagementUrl: string;
  /** The local OpenID Connect provider the gateway trusts. */
  issuerUrl: string;
  /** Server URL; each service's database is `<databasePrefix>_<service>`. */
  databaseUrl: string;
  databasePrefix: string;
  logDir: string;
  /** The local broker's credentials file (tools/kafka/credentials.ts); unset for an outside cluster, reached without SASL. */
  kafkaCredentialsFile?: string;
}

const variable = {
  brokers: 'E2E_KAFKA_BROKERS',
  gatewayUrl: 'E2E_GATEWAY_URL',
  gatewayManagementUrl: 'E2E_GATEWAY_MANAGEMENT_URL',
  issuerUrl: 'E2E_ISSUER_URL',
  databaseUrl: 'E2E_DATABASE_URL',
  databasePrefix: 'E2E_DATABASE_PREFIX',
  logDir: 'E2E_LOG_DIR',
} as const satisfies Record<Exclude<keyof E2eEnvironment, 'kafkaCredentialsFile'>, string>;

const KAFKA_CREDENTIALS_VARIABLE = 'E2E_KAFKA_CREDENTIALS_FILE';

export function publishE2eEnvironment(environment: E2eEnvironment): void {
  for (const [key, name] of Object.entries(variable)) process.env[name] = environment[key as keyof typeof variable];
  if (environment.kafkaCredentialsFile) process.env[KAFKA_CREDENTIALS_VARIABLE] = environment.kafkaCredentialsFile;
}

export function e2eEnvironment(): E2eEnvironment {
  const entries = Object.entries(variable).map(([key, name]) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the e2e suites through jest's global setup`);
    return [key, value];
  });
  const kafkaCredentialsFile = process.env[KAFKA_CREDENTIALS_VARIABLE];
  return {
    ...(Object.fromEntries(entries) as E2eEnvironment),
    ...(kafkaCredentialsFile ? { kafkaCredentialsFile } : {}),
  };
}
