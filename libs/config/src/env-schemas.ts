import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigProblem } from './config-validation.error';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();

/** Comma-separated host:port list, e.g. "10.0.0.1:9092,10.0.0.2:9092". */
const brokerList = z
  .string()
  .trim()
  .regex(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, 'must be a comma-separated list of host:port');

/** Variables every Orderflow app reads. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
  /** Unique per running instance (the pod name in Kubernetes); used in Kafka client ids. */
  INSTANCE_ID: z.string().min(1).optional(),
};

/** A file's content, read once at start-up (a mounted Kubernetes secret); a file that cannot be read is a problem named like any other. */
const fileContent = z
  .string()
  .min(1)
  .transform((path, context) => {
    try {
      return readFileSync(path, 'utf8').trim();
    } catch (error) {
      context.addIssue({
        code: 'custom',
        message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      });
      return z.NEVER;
    }
  });

/**
 * The app's own Kafka principal (SASL/SCRAM-SHA-512). Unset: the clients connect without SASL, to a
 * broker without authentication. `npm start` and the e2e support set them for each app.
 */
export const kafkaCredentialsEnv = {
  KAFKA_SASL_USERNAME: z.string().trim().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** Instead of KAFKA_SASL_PASSWORD: a file holding the password (a mounted secret). Holds its content once parsed. */
  KAFKA_SASL_PASSWORD_FILE: fileContent.optional(),
  /** PEM CA certificate(s) of the brokers' TLS listener; set, the clients connect with TLS. Holds its content once parsed. */
  KAFKA_TLS_CA_FILE: fileContent.optional(),
};

export interface KafkaCredentialsValues {
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_SASL_PASSWORD_FILE?: string;
}

/** A user name needs exactly one password source, and a password needs a user name. */
export function kafkaCredentialProblems(values: KafkaCredentialsValues): ConfigProblem[] {
  const hasPassword = values.KAFKA_SASL_PASSWORD !== undefined;
  const hasPasswordFile = values.KAFKA_SASL_PASSWORD_FILE !== undefined;
  if (hasPassword && hasPasswordFile) {
    return [
      { variable: 'KAFKA_SASL_PASSWORD_FILE', problem: 'set together with KAFKA_SASL_PASSWORD: use one of them' },
    ];
  }
  if (values.KAFKA_SASL_USERNAME !== undefined && !hasPassword && !hasPasswordFile) {
    return [
      {
        variable: 'KAFKA_SASL_PASSWORD',
        problem: 'is required when KAFKA_SASL_USERNAME is set (or KAFKA_SASL_PASSWORD_FILE)',
      },
    ];
  }
  if (values.KAFKA_SASL_USERNAME === undefined && (hasPassword || hasPasswordFile)) {
    return [{ variable: 'KAFKA_SASL_USERNAME', problem: 'is required when a Kafka password is set' }];
  }
  return [];
}

/** The partitions of every topic the system provisions, unless KAFKA_TOPIC_PARTITIONS says otherwise. */
export const DEFAULT_TOPIC_PARTITIONS = 6;

export const kafkaEnv = {
  KAFKA_BROKERS: brokerList.default('127.0.0.1:9092'),
  ...kafkaCredentialsEnv,
  /** Handlers run concurrently across partitions; order within a partition is kept. */
  KAFKA_PARTITIONS_CONSUMED_CONCURRENTLY: positiveInt.default(8),
  /** Partitions given to topics this app provisions; `.reply` topics need one per caller instance. */
  KAFKA_TOPIC_PARTITIONS: positiveInt.default(DEFAULT_TOPIC_PARTITIONS),
  KAFKA_REQUEST_TIMEOUT_MS: positiveInt.default(5000),
  /** For topics this app provisions; where an operator (Strimzi) owns the topics, they already exist. */
  KAFKA_REPLICATION_FACTOR: positiveInt.default(1),
  /** A handler failing for a passing reason is tried this many times before its message is dead-lettered. */
  MESSAGE_MAX_ATTEMPTS: positiveInt.default(5),
  /** The first retry waits this long; each next one twice as long. */
  MESSAGE_RETRY_BACKOFF_MS: positiveInt.default(200),
  /** On SIGTERM the app drains (consumer, in-flight handlers, outbox) and exits within this time. */
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10000),
};

export const databaseEnv = {
  /** A PostgreSQL server, e.g. postgres://user:secret@db:5432/postgres. Unset: the embedded database. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /** The service's own database on that server; created when missing. Defaults to orderflow_<service>. */
  DATABASE_NAME: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  /** /health/ready fails while more outbox messages than this wait to be published (Kafka unreachable). */
  OUTBOX_READY_MAX_BACKLOG: positiveInt.default(1000),
  /** Where the embedded database keeps its files when DATABASE_URL is unset. */
  DATA_DIR: z.string().min(1).default('.data'),
};

/** The small HTTP port that microservice apps open for health and metrics. */
export const httpEnv = {
  HTTP_PORT: port,
};

export const secretVariables = new Set(['DATABASE_URL', 'KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE']);

/** What every app's schema has: an object with an HTTP port (which most give a default). */
export type ServiceEnvSchema = z.ZodObject<{ HTTP_PORT: z.ZodType<number> }>;
