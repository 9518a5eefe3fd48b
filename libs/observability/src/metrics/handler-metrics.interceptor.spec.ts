import { CallHandler, ExecutionContext } from '@nestjs/common';
import { KafkaContext } from '@nestjs/microservices';
import { KafkaBatchContext, RequestRejectedError } from '@orderflow/messaging';
import { lastValueFrom, of, throwError } from 'rxjs';
import { HandlerMetricsInterceptor } from './handler-metrics.interceptor';
import { OrderflowMetrics } from './orderflow-metrics';

function kafkaCall(message: object, topic = 'inventory.reserve'): ExecutionContext {
  const kafka = new KafkaContext([message as never, 0, topic, {} as never, async () => undefined, {} as never]);
  return {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => kafka }),
  } as unknown as ExecutionContext;
}

const succeeds: CallHandler = { handle: () => of('done') };
const fails: CallHandler = { handle: () => throwError(() => new TypeError('boom')) };
const rejects: CallHandler = { handle: () => throwError(() => RequestRejectedError.notFound('no such order')) };

async function value(metrics: OrderflowMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const base = name.replace(/_(count|bucket|sum)$/, '');
  const metric = await metrics.registry.getSingleMetric(base)!.get();
  const samples = metric.values.filter((sample) => ((sample as { metricName?: string }).metricName ?? base) === name);
  return (
    samples.find((sample) => Object.entries(labels).every(([key, v]) => String(sample.labels[key]) === v))?.value ?? 0
  );
}

describe('HandlerMetricsInterceptor', () => {
  it('counts a retried message once, and each failed attempt as a failure', async () => {
    const metrics = new OrderflowMetrics('inventory');
    const interceptor = new HandlerMetricsInterceptor(metrics);
    const message = { offset: '1', headers: {} };
    await expect(lastValueFrom(interceptor.intercept(kafkaCall(message), fails))).rejects.toThrow('boom');
    await expect(lastValueFrom(interceptor.intercept(kafkaCall(message), succeeds))).resolves.toBe('done');

    expect(
      await value(metrics, 'orderflow_messages_consumed_total', { topic: 'inventory.reserve', kind: 'message' }),
    ).toBe(1);
    expect(
      await value(metrics, 'orderflow_message_handler_failures_total', {
        topic: 'inventory.reserve',
        error: 'TypeError',
      }),
    ).toBe(1);
    expect(
      await value(metrics, 'orderflow_message_handler_duration_seconds_count', {
        topic: 'inventory.reserve',
        outcome: 'ok',
      }),
    ).toBe(1);
  });

  it('records a rejected request as an answer, not a failure', async () => {
    const metrics = new OrderflowMetrics('orders');
    const interceptor = new HandlerMetricsInterceptor(metrics);
    const request = { offset: '2', headers: { kafka_replyTopic: 'orders.get.reply' } };
    await expect(lastValueFrom(interceptor.intercept(kafkaCall(request, 'orders.get'), rejects))).rejects.toThrow();

    expect(await value(metrics, 'orderflow_messages_consumed_total', { topic: 'orders.get', kind: 'request' })).toBe(1);
    expect(
      await value(metrics, 'orderflow_message_handler_duration_seconds_count', {
        topic: 'orders.get',
        outcome: 'rejected',
      }),
    ).toBe(1);
    expect(await value(metrics, 'orderflow_message_handler_failures_total', { topic: 'orders.get' })).toBe(0);
  });

  it('records how long after it was produced a message was handled, once it succeeds', async () => {
    const metrics = new OrderflowMetrics('search');
    const interceptor = new HandlerMetricsInterceptor(metrics);
    const message = { offset: '3', headers: {}, timestamp: String(Date.now() - 1_200) };
    await expect(lastValueFrom(interceptor.intercept(kafkaCall(message, 'order.confirmed'), fails))).rejects.toThrow();
    const lag = { topic: 'order.confirmed' };
    expect(await value(metrics, 'orderflow_message_handled_lag_seconds_count', lag)).toBe(0);

    await lastValueFrom(interceptor.intercept(kafkaCall(message, 'order.confirmed'), succeeds));
    expect(await value(metrics, 'orderflow_message_handled_lag_seconds_count', lag)).toBe(1);
    expect(await value(metrics, 'orderflow_message_handled_lag_seconds_bucket', { ...lag, le: '1' })).toBe(0);
    expect(await value(metrics, 'orderflow_message_handled_lag_seconds_bucket', { ...lag, le: '1.5' })).toBe(1);
  });

  it('counts every message of an InBatches call, once even when they come again one by one, with a lag each', async () => {
    const metrics = new OrderflowMetrics('audit');
    const interceptor = new HandlerMetricsInterceptor(metrics);
    const messages = ['1', '2', '3'].map((offset) => ({ offset, headers: {}, timestamp: String(Date.now()) }));
    const batchCall = (batch: object[]) => {
      const kafka = new KafkaBatchContext(
        [batch[0] as never, 0, 'order.created', {} as never, async () => undefined, {} as never],
        batch as never,
      );
      return { getType: () => 'rpc', switchToRpc: () => ({ getContext: () => kafka }) } as unknown as ExecutionContext;
    };
    await expect(lastValueFrom(interceptor.intercept(batchCall(messages), fails))).rejects.toThrow('boom');
    for (const message of messages) await lastValueFrom(interceptor.intercept(batchCall([message]), succeeds));

    const topic = { topic: 'order.created' };
    expect(await value(metrics, 'orderflow_messages_consumed_total', { ...topic, kind: 'message' })).toBe(3);
    expect(await value(metrics, 'orderflow_message_handled_lag_seconds_count', topic)).toBe(3);
    expect(
      await value(metrics, 'orderflow_message_handler_duration_seconds_count', { ...topic, outcome: 'error' }),
    ).toBe(1);
  });
});
