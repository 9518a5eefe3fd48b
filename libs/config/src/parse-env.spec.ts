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
