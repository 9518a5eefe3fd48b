import { isDatabaseUnavailable } from './database-unavailable';

describe('isDatabaseUnavailable', () => {
  const withCode = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a server shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['a server still starting', withCode('57P03', 'the database system is starting up')],
    ['a connection exception', withCode('08006')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    [
      'a connection lost between two statements',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    [
      'a TypeORM error over a refused connection',
      Object.assign(new Error('query failed'), { driverError: withCode('ECONNREFUSED') }),
    ],
    ['an error caused by a refused connection', new Error('wrapped', { cause: withCode('ECONNRESET') })],
  ])('takes %s for an outage', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('23505', 'duplicate key value violates unique constraint')],
    ['a syntax error', withCode('42601')],
    ['a plain error', new Error('handler failed')],
    ['something that is not an error', 'ECONNREFUSED'],
  ])('does not take %s for an outage', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
