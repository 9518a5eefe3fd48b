import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ConfigValidationError } from './config-validation.error';
import { databaseEnv, kafkaEnv } from './env-schemas';
import { checkEnvironment, environmentProblems, parseEnv } from './parse-env';

const schema = z.object({ ...kafkaEnv, ...databaseEnv, HTTP_PORT: z.coerce.number().int() });

describe('parseEnv', () => {
  it('applies defaults and coerces numbers', () => {
    const env = parseEnv(schema, { HTTP_PORT: '3001' });
    expect(env.HTTP_PORT).toBe(3001);
    expect(env.KAFKA_BROKERS).toBe('127.0.0.1:9092');
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('names every bad or missing variable in one error', () => {
    const attempt = () =>
      parseEnv(schema, { KAFKA_BROKERS: 'not a list', DATABASE_URL: 'mysql://x', DATABASE_POOL_SIZE: 'many' });
    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (error) {
      const problems = (error as ConfigValidationError).problems;
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^KAFKA_BROKERS: must be a comma-separated list/),
          expect.stringMatching(/^DATABASE_URL: must be a postgres:\/\/ URL/),
          expect.stringMatching(/^DATABASE_POOL_SIZE: (?!is required)/),
          'HTTP_PORT: is required but not set',
        ]),
      );
    }
  });

  it('never echoes the value of a secret', () => {
    const secret = 'postgres-password-123';
    expect(() => parseEnv(schema, { HTTP_PORT: '1', DATABASE_URL: secret })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining(secret) }),
    );
  });
});

describe('environmentProblems', () => {
  it('finds nothing wrong with a valid environment', () => {
    expect(environmentProblems(schema, { HTTP_PORT: '3001' })).toEqual([]);
  });

  it('names each bad or missing variable and what is wrong, never its value', () => {
    const problems = environmentProblems(schema, { KAFKA_BROKERS: '', OUTBOX_READY_MAX_BACKLOG: 'abc' });
    expect(problems).toEqual([
      { variable: 'KAFKA_BROKERS', problem: expect.stringMatching(/^must be a comma-separated list/) },
      { variable: 'OUTBOX_READY_MAX_BACKLOG', problem: expect.not.stringContaining('abc') },
      { variable: 'HTTP_PORT', problem: 'is required but not set' },
    ]);
  });
});

describe('checkEnvironment', () => {
  it('gives the values of a valid environment, defaults applied, or its problems', () => {
    expect(checkEnvironment(schema, { HTTP_PORT: '3001' })).toMatchObject({
      ok: true,
      values: { HTTP_PORT: 3001, KAFKA_BROKERS: '127.0.0.1:9092' },
    });
    expect(checkEnvironment(schema, {})).toEqual({
      ok: false,
      problems: [{ variable: 'HTTP_PORT', problem: 'is required but not set' }],
    });
  });
});

describe('Kafka credentials', () => {
  const secretDir = mkdtempSync(join(tmpdir(), 'kafka-credentials-'));
  const passwordFile = join(secretDir, 'password');
  writeFileSync(passwordFile, 'from-the-file\n');

  it('are optional: no SASL when unset', () => {
    const env = parseEnv(schema, { HTTP_PORT: '1' });
    expect(env.KAFKA_SASL_USERNAME).toBeUndefined();
  });

  it('read the password from a mounted file, trimmed', () => {
    const env = parseEnv(schema, {
      HTTP_PORT: '1',
      KAFKA_SASL_USERNAME: 'orderflow-orders',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    });
    expect(env.KAFKA_SASL_PASSWORD_FILE).toBe('from-the-file');
  });

  it('name the file that cannot be read', () => {
    expect(
      environmentProblems(schema, {
        HTTP_PORT: '1',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD_FILE: join(secretDir, 'missing'),
      }),
    ).toEqual([{ variable: 'KAFKA_SASL_PASSWORD_FILE', problem: 'cannot be read (ENOENT)' }]);
  });

  it('need a password with a user name, a user name with a password, and one password source', () => {
    expect(environmentProblems(schema, { HTTP_PORT: '1', KAFKA_SASL_USERNAME: 'u' })).toEqual([
      { variable: 'KAFKA_SASL_PASSWORD', problem: expect.stringMatching(/required when KAFKA_SASL_USERNAME is set/) },
    ]);
    expect(environmentProblems(schema, { HTTP_PORT: '1', KAFKA_SASL_PASSWORD: 'secret-value' })).toEqual([
      { variable: 'KAFKA_SASL_USERNAME', problem: expect.stringMatching(/required/) },
    ]);
    const both = {
      HTTP_PORT: '1',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'secret-value',
      KAFKA_SASL_PASSWORD_FILE: passwordFile,
    };
    expect(() => parseEnv(schema, both)).toThrow(/KAFKA_SASL_PASSWORD_FILE: set together with KAFKA_SASL_PASSWORD/);
    expect(() => parseEnv(schema, both)).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret-value') }),
    );
  });
});
