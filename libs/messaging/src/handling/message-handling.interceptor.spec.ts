import { CallHandler, ExecutionContext } from '@nestjs/common';
import { KafkaContext, KafkaHeaders, RpcException } from '@nestjs/microservices';
import { MessageHeaders } from '@orderflow/contracts';
import { randomUUID } from 'node:crypto';
import { defer, lastValueFrom, of, throwError } from 'rxjs';
import type { KafkaMessage } from 'kafkajs';
import { KafkaBatchContext } from '../kafka/kafka-batch-context';
import { KafkaConnection } from '../kafka/kafka-connection';
import { DeadLetterPublisher } from './dead-letter-publisher';
import { MessageHandlingInterceptor } from './message-handling.interceptor';
import { InvalidMessageError, RequestRejectedError } from './message-errors';
import { currentPrincipal } from './principal-context';

function contextFor(
  headers: Record<string, string>,
  value: unknown = {},
  topic = 'inventory.reserve',
): { execution: ExecutionContext; kafka: KafkaContext; args: unknown[] } {
  const message = { headers, offset: '7', key: 'k', value };
  const kafka = {
    getMessage: () => message,
    getTopic: () => topic,
    getPartition: () => 2,
    getHeartbeat: () => () => Promise.resolve(),
  } as unknown as KafkaContext;
  // As Nest calls a handler: the decoded value (the same object as the message's) and the context.
  const args: unknown[] = [value, kafka];
  const execution = {
    getType: () => 'rpc',
    getArgs: () => args,
    switchToRpc: () => ({ getContext: () => kafka }),
  } as unknown as ExecutionContext;
  return { execution, kafka, args };
}

/** The context of an `InBatches` call: a real KafkaBatchContext, one message per value; `args[0]` the values. */
function batchContextFor(values: unknown[], topic = 'order.created'): ExecutionContext & { args: unknown[] } {
  const messages = values.map(
    (value, index) => ({ headers: {}, offset: String(index), value }) as unknown as KafkaMessage,
  );
  const heartbeat = () => Promise.resolve();
  const kafka = new KafkaBatchContext([messages[0], 2, topic, null!, heartbeat, null!], messages);
  const args: unknown[] = [values, kafka];
  return {
    args,
    getType: () => 'rpc',
    getArgs: () => args,
    switchToRpc: () => ({ getContext: () => kafka }),
  } as unknown as ExecutionContext & { args: unknown[] };
}

/** inventory.rejected as the release before published it: version 1, no schemaVersion, skus alone. */
function stockRejectedVersion1(skus: string[] = ['PEN']) {
  return {
    eventId: randomUUID(),
    type: 'inventory.rejected',
    occurredAt: new Date().toISOString(),
    correlationId: 'c-1',
    aggregateId: 'order-1',
    aggregateVersion: 1,
    payload: { orderId: 'order-1', reason: 'OUT_OF_STOCK', skus },
  };
}

function setUp(maxAttempts = 3) {
  const kafka = { settings: { maxAttempts, retryBackoffMs: 1 } } as KafkaConnection;
  const publish = jest.fn().mockResolvedValue(undefined);
  const interceptor = new MessageHandlingInterceptor(kafka, { publish } as unknown as DeadLetterPublisher);
  return { interceptor, publish };
}

function handlerFailing(times: number, error: Error): { next: CallHandler; calls: () => number } {
  let calls = 0;
  const next = {
    handle: () =>
      defer(() => {
        calls += 1;
        return calls <= times ? throwError(() => error) : of('done');
      }),
  };
  return { next, calls: () => calls };
}

describe('MessageHandlingInterceptor', () => {
  describe('events and commands', () => {
    it('retries a handler that fails for a passing reason, then succeeds', async () => {
      const { interceptor, publish } = setUp();
      const { next, calls } = handlerFailing(2, new Error('database unavailable'));
      await lastValueFrom(interceptor.intercept(contextFor({}).execution, next), { defaultValue: undefined });
      expect(calls()).toBe(3);
      expect(publish).not.toHaveBeenCalled();
    });

    it('dead-letters a message that keeps failing after the last attempt, and completes', async () => {
      const { interceptor, publish } = setUp(3);
      const { next, calls } = handlerFailing(10, new Error('still down'));
      const { execution, kafka } = contextFor({});
      await lastValueFrom(interceptor.intercept(execution, next), { defaultValue: undefined });
      expect(calls()).toBe(3);
      expect(publish).toHaveBeenCalledWith(kafka, 'FAILED', expect.objectContaining({ message: 'still down' }), 3);
    });

    it('waits out a database outage without spending attempts, then handles the message', async () => {
      const { interceptor, publish } = setUp(3);
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const { next, calls } = handlerFailing(6, refused);
      await lastValueFrom(interceptor.intercept(contextFor({}).execution, next), { defaultValue: undefined });
      expect(calls()).toBe(7);
      expect(publish).not.toHaveBeenCalled();
    });

    it('dead-letters an invalid message at once, without retrying it', async () => {
      const { interceptor, publish } = setUp(5);
      const { next, calls } = handlerFailing(10, new InvalidMessageError(['payload: missing']));
      await lastValueFrom(interceptor.intercept(contextFor({}).execution, next), { defaultValue: undefined });
      expect(calls()).toBe(1);
      expect(publish).toHaveBeenCalledWith(expect.anything(), 'INVALID', expect.any(InvalidMessageError), 1);
    });
  });

  describe('on behalf of the principal of the message', () => {
    /** A handler that fails `failures` times, noting on whose behalf each attempt ran, after an await. */
    function noting(failures: number): { next: CallHandler; seen: (string | undefined)[] } {
      const seen: (string | undefined)[] = [];
      const next = {
        handle: () =>
          defer(async () => {
            await new Promise((resolve) => setImmediate(resolve));
            seen.push(currentPrincipal());
            if (seen.length <= failures) throw new Error('a passing failure');
            return 'done';
          }),
      };
      return { next, seen };
    }

    it('runs every attempt of an event handler on behalf of its x-principal', async () => {
      const { interceptor } = setUp(3);
      const { next, seen } = noting(2);
      const { execution } = contextFor({ [MessageHeaders.Principal]: 'customer:alice' });
      await lastValueFrom(interceptor.intercept(execution, next), { defaultValue: undefined });
      expect(seen).toEqual(['customer:alice', 'customer:alice', 'customer:alice']);
      expect(currentPrincipal()).toBeUndefined();
    });

    it('runs a request handler on behalf of its x-principal, and a message without one on behalf of nobody', async () => {
      const { interceptor } = setUp();
      const request = {
        [KafkaHeaders.REPLY_TOPIC]: 'orders.get.reply',
        [KafkaHeaders.CORRELATION_ID]: 'c-1',
        [MessageHeaders.Principal]: 'operator:olga',
      };
      const asked = noting(0);
      await lastValueFrom(interceptor.intercept(contextFor(request, {}, 'orders.get').execution, asked.next));
      const unasked = noting(0);
      await lastValueFrom(interceptor.intercept(contextFor({}).execution, unasked.next), { defaultValue: undefined });
      expect([...asked.seen, ...unasked.seen]).toEqual(['operator:olga', undefined]);
    });
  });

  describe('requests', () => {
    const request = { [KafkaHeaders.REPLY_TOPIC]: 'orders.get.reply', [KafkaHeaders.CORRELATION_ID]: 'c-2' };

    it('waits out a database outage and answers with the result, not with a failure', async () => {
      const { interceptor } = setUp();
      const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      const { next, calls } = handlerFailing(4, refused);
      const answer = await lastValueFrom(interceptor.intercept(contextFor(request, {}, 'orders.get').execution, next));
      expect(answer).toEqual({ value: 'done' });
      expect(calls()).toBe(5);
    });

    it('answers any other failure at once, without a retry', async () => {
      const { interceptor } = setUp();
      const { next, calls } = handlerFailing(1, new Error('bug'));
      const answer = lastValueFrom(interceptor.intercept(contextFor(request, {}, 'orders.get').execution, next));
      await expect(answer).rejects.toBeInstanceOf(RpcException);
      expect(calls()).toBe(1);
    });
  });

  describe('inspection before any handler', () => {
    it.each([
      ['a tombstone', null, 'inventory.reserve', {}, 'NO_VALUE'],
      ['malformed JSON', '{"eventId": ', 'inventory.reserve', {}, 'MALFORMED'],
      ['an oversized value', 'x'.repeat(600 * 1024), 'inventory.reserve', {}, 'TOO_LARGE'],
      ['a foreign type', { type: 'payments.charge' }, 'inventory.reserve', {}, 'UNKNOWN_TYPE'],
      ['a request without a reply address', {}, 'orders.create', {}, 'NO_REPLY_ADDRESS'],
    ])('dead-letters %s without calling the handler', async (_name, value, topic, headers, reason) => {
      const { interceptor, publish } = setUp();
      const { next, calls } = handlerFailing(0, new Error('unused'));
      const { execution, kafka } = contextFor(headers, value, topic);
      await lastValueFrom(interceptor.intercept(execution, next), { defaultValue: undefined });
      expect(calls()).toBe(0);
      expect(publish).toHaveBeenCalledWith(kafka, reason, expect.any(Error), 0);
    });

    it('dead-letters a message of a schema version newer than this consumer reads', async () => {
      const { interceptor, publish } = setUp();
      const { next, calls } = handlerFailing(0, new Error('unused'));
      const future = { ...stockRejectedVersion1(), schemaVersion: 3, payload: { orderId: 'order-1', shortfall: [] } };
      const { execution, kafka } = contextFor({ 'x-schema-version': '3' }, future, 'inventory.rejected');
      await lastValueFrom(interceptor.intercept(execution, next), { defaultValue: undefined });
      expect(calls()).toBe(0);
      expect(publish).toHaveBeenCalledWith(
        kafka,
        'UNSUPPORTED_VERSION',
        expect.objectContaining({ message: expect.stringContaining('inventory.rejected version 3 is newer') }),
        0,
      );
    });

    it('answers a request of an unknown version, and dead-letters it', async () => {
      const { interceptor, publish } = setUp();
      const headers = {
        [KafkaHeaders.REPLY_TOPIC]: 'orders.get.reply',
        [KafkaHeaders.CORRELATION_ID]: 'c-3',
        'x-schema-version': '7',
      };
      const { next, calls } = handlerFailing(0, new Error('unused'));
      const answered = lastValueFrom(
        interceptor.intercept(contextFor(headers, { orderId: randomUUID() }, 'orders.get').execution, next),
      );
      const error = (await answered.catch((caught: unknown) => caught)) as RpcException;
      expect(error.getError()).toMatchObject({ code: 'INVALID', details: [expect.stringContaining('version 7')] });
      expect(calls()).toBe(0);
      expect(publish).toHaveBeenCalledWith(expect.anything(), 'UNSUPPORTED_VERSION', expect.any(Error), 0);
    });

    it('answers a malformed request that has a reply address, and dead-letters it', async () => {
      const { interceptor, publish } = setUp();
      const headers = { [KafkaHeaders.REPLY_TOPIC]: 'orders.create.reply', [KafkaHeaders.CORRELATION_ID]: 'c-2' };
      const { next, calls } = handlerFailing(0, new Error('unused'));
      const answered = lastValueFrom(
        interceptor.intercept(contextFor(headers, 'not json', 'orders.create').execution, next),
      );
      await expect(answered).rejects.toBeInstanceOf(RpcException);
      expect(calls()).toBe(0);
      expect(publish).toHaveBeenCalledWith(expect.anything(), 'MALFORMED', expect.any(Error), 0);
    });
  });

  describe('a message of the previous schema version', () => {
    it('reaches the handler upcast to the current version, and stays as published in the message', async () => {
      const { interceptor } = setUp();
      const published = stockRejectedVersion1(['PEN', 'MUG']);
      const { execution, kafka, args } = contextFor({}, published, 'inventory.rejected');
      let handed: unknown;
      const next = { handle: () => defer(() => of((handed = args[0]))) };
      await lastValueFrom(interceptor.intercept(execution, next), { defaultValue: undefined });
      expect(handed).toEqual({
        ...published,
        schemaVersion: 2,
        payload: { orderId: 'order-1', reason: 'OUT_OF_STOCK', lines: [{ sku: 'PEN' }, { sku: 'MUG' }] },
      });
      // Not changed in place: a dead letter of this message would carry what was published.
      expect(kafka.getMessage().value).toBe(published);
      expect(published.payload).toEqual({ orderId: 'order-1', reason: 'OUT_OF_STOCK', skus: ['PEN', 'MUG'] });
    });

    it('is upcast inside a batch, beside a message of the current version left as it is', async () => {
      const { interceptor } = setUp();
      const current = {
        ...stockRejectedVersion1(),
        schemaVersion: 2,
        payload: { orderId: 'order-2', reason: 'UNKNOWN_SKU', lines: [{ sku: 'NOPE', requestedQuantity: 1 }] },
      };
      const execution = batchContextFor([stockRejectedVersion1(['PEN']), current], 'inventory.rejected');
      let handed: unknown;
      const next = { handle: () => defer(() => of((handed = execution.args[0]))) };
      await lastValueFrom(interceptor.intercept(execution, next), { defaultValue: undefined });
      expect(handed).toEqual([
        expect.objectContaining({ schemaVersion: 2, payload: expect.objectContaining({ lines: [{ sku: 'PEN' }] }) }),
        current,
      ]);
      expect((handed as unknown[])[1]).toBe(current);
    });
  });

  describe('request-reply', () => {
    const request = { [KafkaHeaders.REPLY_TOPIC]: 'orders.get.reply', [KafkaHeaders.CORRELATION_ID]: 'c-1' };

    it('sends the result back as an explicit record', async () => {
      const { interceptor } = setUp();
      const reply = await lastValueFrom(
        interceptor.intercept(contextFor(request).execution, { handle: () => of({ value: 'a field named value' }) }),
      );
      expect(reply).toEqual({ value: { value: 'a field named value' } });
    });

    it('answers a rejection with its code and an unexpected failure with no details', async () => {
      const { interceptor } = setUp();
      const rejected = lastValueFrom(
        interceptor.intercept(contextFor(request).execution, {
          handle: () => throwError(() => RequestRejectedError.notFound('order 1 does not exist')),
        }),
      );
      await expect(rejected).rejects.toEqual(
        new RpcException({ code: 'NOT_FOUND', message: 'order 1 does not exist' }),
      );
      const reused = lastValueFrom(
        interceptor.intercept(contextFor(request).execution, {
          handle: () => throwError(() => RequestRejectedError.idempotencyKeyReused('key used before')),
        }),
      );
      await expect(reused).rejects.toEqual(
        new RpcException({ code: 'CONFLICT', message: 'key used before', reason: 'IDEMPOTENCY_KEY_REUSED' }),
      );

      const failed = lastValueFrom(
        interceptor.intercept(contextFor(request).execution, {
          handle: () => throwError(() => new Error('secret internals')),
        }),
      );
      const error = (await failed.catch((caught: unknown) => caught)) as RpcException;
      expect(error.getError()).toEqual({ status: 'error', message: 'Internal server error' });
    });
  });

  describe('a batch of an InBatches handler', () => {
    const valid = { type: 'order.created' };

    it('gets one attempt: a failure is not retried nor dead-lettered, so the transport splits the batch', async () => {
      const { interceptor, publish } = setUp(5);
      const { next, calls } = handlerFailing(10, new Error('database unavailable'));
      const attempt = lastValueFrom(interceptor.intercept(batchContextFor([valid, valid]), next));
      await expect(attempt).rejects.toThrow('database unavailable');
      expect(calls()).toBe(1);
      expect(publish).not.toHaveBeenCalled();
    });

    it('never reaches the handler when one of its messages fails inspection', async () => {
      const { interceptor, publish } = setUp();
      const { next, calls } = handlerFailing(0, new Error('unused'));
      const attempt = lastValueFrom(interceptor.intercept(batchContextFor([valid, null, valid]), next));
      await expect(attempt).rejects.toThrow('message at offset 1 needs handling on its own');
      expect(calls()).toBe(0);
      expect(publish).not.toHaveBeenCalled();
    });

    it('handles a batch of one as a single message: retried, then dead-lettered', async () => {
      const { interceptor, publish } = setUp(3);
      const { next, calls } = handlerFailing(10, new Error('still down'));
      await lastValueFrom(interceptor.intercept(batchContextFor([valid]), next), { defaultValue: undefined });
      expect(calls()).toBe(3);
      expect(publish).toHaveBeenCalledWith(expect.any(KafkaBatchContext), 'FAILED', expect.any(Error), 3);
    });

    it('dead-letters a batch of one that fails inspection, without a handler call', async () => {
      const { interceptor, publish } = setUp();
      const { next, calls } = handlerFailing(0, new Error('unused'));
      await lastValueFrom(interceptor.intercept(batchContextFor([null]), next), { defaultValue: undefined });
      expect(calls()).toBe(0);
      expect(publish).toHaveBeenCalledWith(expect.any(KafkaBatchContext), 'NO_VALUE', expect.any(Error), 0);
    });
  });
});
