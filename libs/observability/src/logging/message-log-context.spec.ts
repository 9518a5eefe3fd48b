import { ExecutionContext, PreRequestHook } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { KafkaContext, RpcException } from '@nestjs/microservices';
import type { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { defer, lastValueFrom, Observable, throwError } from 'rxjs';
import { KafkaBatchContext } from '@orderflow/messaging';
import { handledMessageLogFields, kafkaLogFields, MessageLogContext } from './message-log-context';

function kafkaExecutionContext(offset: string, headers: Record<string, unknown> = {}): ExecutionContext {
  const kafka = new KafkaContext([
    { key: null, value: null, offset, headers, timestamp: '0', attributes: 0, size: 0 } as never,
    3,
    'order.created',
    {} as never,
    async () => undefined,
    {} as never,
  ]);
  return {
    getType: () => 'rpc',
    getClass: () => class OrderSagaController {},
    getHandler: () => function onStockReserved() {},
    getArgs: () => [{}, kafka],
    switchToRpc: () => ({ getContext: () => kafka, getData: () => ({}) }),
  } as unknown as ExecutionContext;
}

function setUp(level: pino.Level) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level, messageKey: 'msg', mixin: handledMessageLogFields },
    { write: (line: string) => lines.push(JSON.parse(line)) },
  );
  const hooks: PreRequestHook[] = [];
  const config = { registerPreRequestHook: (hook: PreRequestHook) => hooks.push(hook) } as unknown as ApplicationConfig;
  new MessageLogContext(config, { logger } as unknown as PinoLogger);
  return { lines, logger, hook: hooks[0] };
}

describe('MessageLogContext', () => {
  it('registers itself as a pre-request hook', () => {
    expect(setUp('info').hook).toBeInstanceOf(Function);
  });

  it("puts the message's topic, partition, offset and correlation id on every line logged while it is handled", async () => {
    const { lines, logger, hook } = setUp('info');
    const context = kafkaExecutionContext('42', { 'x-correlation-id': 'req-7' });
    const handled = hook(context, () =>
      defer(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        logger.info('reserving stock');
        return 'done';
      }),
    );
    expect(await lastValueFrom(handled)).toBe('done');
    logger.info('after the message');

    expect(lines[0]).toMatchObject({
      msg: 'reserving stock',
      topic: 'order.created',
      partition: 3,
      offset: '42',
      correlationId: 'req-7',
      handler: 'OrderSagaController.onStockReserved',
    });
    expect(lines[1]).toEqual(expect.not.objectContaining({ topic: expect.anything() }));
    expect(lines[1].msg).toBe('after the message');
  });

  it('keeps two messages handled at once apart', async () => {
    const { lines, logger, hook } = setUp('info');
    // Message 1 starts first and logs only once message 2 has logged: the two overlap, and each
    // line must still carry its own message.
    let secondLogged: () => void = () => undefined;
    const afterSecond = new Promise<void>((resolve) => (secondLogged = resolve));
    const handle = (offset: string, before: Promise<void>, after: () => void) =>
      lastValueFrom(
        hook(kafkaExecutionContext(offset), () =>
          defer(async () => {
            await before;
            logger.info(`handled ${offset}`);
            after();
          }),
        ),
        { defaultValue: undefined },
      );
    await Promise.all([handle('1', afterSecond, () => undefined), handle('2', Promise.resolve(), secondLogged)]);
    expect(lines.map((line) => [line.msg, line.offset])).toEqual([
      ['handled 2', '2'],
      ['handled 1', '1'],
    ]);
  });

  it('closes a handled message with a debug line only when debug is on', async () => {
    const quiet = setUp('info');
    await lastValueFrom(quiet.hook(kafkaExecutionContext('5'), () => defer(async () => 1)));
    expect(quiet.lines).toEqual([]);

    const verbose = setUp('debug');
    await lastValueFrom(verbose.hook(kafkaExecutionContext('5'), () => defer(async () => 1)));
    expect(verbose.lines).toEqual([
      expect.objectContaining({
        level: 20,
        msg: expect.stringMatching(/ completed$/),
        offset: '5',
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it('closes a rejected request at info with its code, and a failure at error with the error', async () => {
    const { lines, hook } = setUp('info');
    const failing = (error: unknown) =>
      lastValueFrom(hook(kafkaExecutionContext('9'), () => throwError(() => error))).catch(() => undefined);
    await failing(new RpcException({ code: 'NOT_FOUND', message: 'no such order' }));
    await failing(new Error('database gone'));
    expect(lines[0]).toMatchObject({ level: 30, offset: '9', rejection: { code: 'NOT_FOUND' } });
    expect(lines[0]).not.toHaveProperty('err');
    expect(lines[1]).toMatchObject({ level: 50, offset: '9', err: { message: 'database gone' } });
  });

  it('stops the handling it wraps when unsubscribed', () => {
    const { hook } = setUp('info');
    const teardown = jest.fn();
    const subscription = hook(kafkaExecutionContext('1'), () => new Observable(() => teardown)).subscribe();
    subscription.unsubscribe();
    expect(teardown).toHaveBeenCalled();
  });
});

describe('kafkaLogFields', () => {
  it('binds the topic, partition, offset, correlation id and handler of a Kafka message', () => {
    const context = kafkaExecutionContext('42', { 'x-correlation-id': Buffer.from('req-7') });
    expect(kafkaLogFields(context)).toEqual({
      topic: 'order.created',
      partition: 3,
      offset: '42',
      correlationId: 'req-7',
      handler: 'OrderSagaController.onStockReserved',
    });
  });

  it("binds a batch's first and last offset and its size for an InBatches call", () => {
    const message = (offset: string) => ({ key: null, value: null, offset, headers: {} }) as never;
    const batch = new KafkaBatchContext(
      [message('7'), 3, 'order.created', {} as never, async () => undefined, {} as never],
      [message('7'), message('8'), message('9')],
    );
    const context = {
      getType: () => 'rpc',
      switchToRpc: () => ({ getContext: () => batch }),
    } as unknown as ExecutionContext;
    expect(kafkaLogFields(context)).toMatchObject({ offset: '7', lastOffset: '9', messages: 3 });
  });

  it('reads nothing from a context that is not a Kafka message', () => {
    const http = { getType: () => 'http' } as unknown as ExecutionContext;
    expect(kafkaLogFields(http)).toEqual({});
  });
});
