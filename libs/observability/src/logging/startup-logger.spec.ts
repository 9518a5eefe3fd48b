import { nestLogsThrough, startupLogger } from './startup-logger';

describe('startupLogger', () => {
  const lines: Record<string, unknown>[] = [];
  const logger = startupLogger('orders', { write: (line: string) => lines.push(JSON.parse(line)) });
  beforeEach(() => lines.splice(0));

  it('writes JSON lines with the service, like the app logger', () => {
    logger.child({ context: 'Bootstrap' }).error('orders cannot start');
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, service: 'orders', context: 'Bootstrap', msg: 'orders cannot start' }),
    ]);
  });

  it("carries Nest's own lines, its ExceptionHandler's error included", () => {
    const nest = nestLogsThrough(logger);
    nest.log('Starting Nest application...', 'NestFactory');
    nest.error(new Error('connect ECONNREFUSED 127.0.0.1:9092'), 'ExceptionHandler');
    expect(lines).toEqual([
      expect.objectContaining({
        level: 30,
        service: 'orders',
        context: 'NestFactory',
        msg: 'Starting Nest application...',
      }),
      expect.objectContaining({
        level: 50,
        service: 'orders',
        context: 'ExceptionHandler',
        err: expect.objectContaining({ message: 'connect ECONNREFUSED 127.0.0.1:9092' }),
      }),
    ]);
  });

  it("logs at the app's level once that is known", () => {
    const quiet: Record<string, unknown>[] = [];
    const warnOnly = nestLogsThrough(
      startupLogger('orders', { write: (line: string) => quiet.push(JSON.parse(line)) }, 'warn'),
    );
    warnOnly.log('Starting Nest application...', 'NestFactory');
    warnOnly.warn('broker not reachable yet', 'Bootstrap');
    expect(quiet).toEqual([expect.objectContaining({ level: 40, msg: 'broker not reachable yet' })]);
  });
});
