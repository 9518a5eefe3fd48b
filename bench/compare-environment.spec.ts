import { sideEnvironment } from './compare-environment';

describe('sideEnvironment', () => {
  it("puts the chosen Node first and drops npm's variables and an outside broker", () => {
    const environment = sideEnvironment(
      {
        PATH: '/usr/bin',
        DATABASE_URL: 'postgres://db',
        npm_lifecycle_event: 'bench',
        npm_config_prefix: '/x',
        INIT_CWD: '/work/main',
        KAFKA_BROKERS: '127.0.0.1:9092',
      },
      '/opt/node24/bin',
    );
    expect(environment).toEqual({ PATH: '/opt/node24/bin:/usr/bin', DATABASE_URL: 'postgres://db' });
  });
});
