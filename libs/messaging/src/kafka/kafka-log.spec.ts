import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';
import { kafkaLogCreator } from './kafka-log';

describe('kafkaLogCreator', () => {
  const write = kafkaLogCreator(logLevel.DEBUG);
  const entry = (namespace: string, level: logLevel) => ({
    namespace,
    level,
    label: logLevel[level],
    log: { message: 'a message', timestamp: 'now', logger: 'kafkajs', broker: '127.0.0.1:9092' },
  });

  afterEach(() => jest.restoreAllMocks());

  it('logs a retried connection failure as a warning and other errors as errors, with their fields', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    write(entry('Connection', logLevel.ERROR));
    write(entry('Consumer', logLevel.ERROR));
    expect(warn).toHaveBeenCalledWith({ msg: 'a message', namespace: 'Connection', broker: '127.0.0.1:9092' });
    expect(error).toHaveBeenCalledWith({ msg: 'a message', namespace: 'Consumer', broker: '127.0.0.1:9092' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(error).toHaveBeenCalledTimes(1);
  });

  it('logs the warning about the bounded retries of the idempotent producer at debug: a known, accepted trade-off', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const debug = jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    const limiting = entry('Producer', logLevel.WARN);
    limiting.log.message = 'Limiting retries for the idempotent producer may invalidate EoS guarantees';
    write(limiting);
    write(entry('Producer', logLevel.WARN));
    expect(debug).toHaveBeenCalledWith(expect.objectContaining({ msg: limiting.log.message }));
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
