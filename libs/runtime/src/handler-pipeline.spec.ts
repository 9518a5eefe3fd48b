import { Controller, INestApplication, Module, Type } from '@nestjs/common';
import { CustomTransportStrategy, EventPattern, KafkaContext, Server } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { commonEnv, kafkaEnv, ServiceConfigModule } from '@orderflow/config';
import {
  DeadLetterPublisher,
  MessageHandlingInterceptor,
  MessageValidationPipe,
  MessagingModule,
  TopicProvisioner,
  ValidPayload,
} from '@orderflow/messaging';
import { HandlerMetricsInterceptor, ObservabilityModule, OrderflowMetrics } from '@orderflow/observability';
import { IsString } from 'class-validator';
import { isObservable, lastValueFrom, of } from 'rxjs';
import { z } from 'zod';
import { withHandlerPipeline } from './handler-pipeline';

const TOPIC = 'pipeline.probe';
const MAX_ATTEMPTS = 3;

/** What ran, in order, for the messages delivered in one test. */
const trace: string[] = [];
/** How many more calls of the handler fail (a passing failure each). */
let failuresLeft = 0;

class ProbeMessage {
  @IsString()
  text: string;
}

@Controller()
class ProbeController {
  @EventPattern(TOPIC)
  handle(@ValidPayload() message: ProbeMessage): void {
    trace.push(`handler(${message.text})`);
    if (failuresLeft > 0) {
      failuresLeft -= 1;
      throw new Error('a passing failure');
    }
  }
}

const env = z.object({ ...commonEnv, ...kafkaEnv, HTTP_PORT: z.coerce.number().int().default(0) });

@Module({
  imports: [
    ServiceConfigModule.forRoot(env),
    MessagingModule.forService({ service: 'pipeline' }),
    ObservabilityModule.forService({ service: 'pipeline' }),
  ],
  controllers: [ProbeController],
})
class ObservedAppModule {}

/** An app like the bench's consumer: messaging without ObservabilityModule. */
@Module({
  imports: [ServiceConfigModule.forRoot(env), MessagingModule.forService({ service: 'pipeline' })],
  controllers: [ProbeController],
})
class UnobservedAppModule {}

/** The transport, in memory: Nest registers the app's handlers with it, the test delivers to them. */
class InMemoryTransport extends Server implements CustomTransportStrategy {
  listen(callback: () => void): void {
    callback();
  }
  close(): void {}
  on(): void {}
  unwrap<T>(): T {
    throw new Error('no underlying client');
  }

  /** One Kafka message to the handler of its topic, as ServerKafka hands it over; resolves with the outcome. */
  async deliver(topic: string, value: object): Promise<unknown> {
    const message = { key: null, value, headers: {}, offset: '42', timestamp: String(Date.now()), attributes: 0 };
    const context = new KafkaContext([message as never, 0, topic, {} as never, async () => undefined, {} as never]);
    const result: unknown = await this.getHandlerByPattern(topic)!(value, context);
    return lastValueFrom(isObservable(result) ? result : of(result), { defaultValue: undefined });
  }
}

/** Records entering a class's method in `trace`, then runs it. */
function traced<T extends object>(type: Type<T>, method: keyof T & string, name: string): void {
  const original = type.prototype[method] as (...args: unknown[]) => unknown;
  jest.spyOn(type.prototype, method as never).mockImplementation(function (this: T, ...args: unknown[]) {
    trace.push(name);
    return original.apply(this, args);
  } as never);
}

/** The app as runService starts it (the pipeline around its module, the transport sharing its enhancers). */
async function startApp(appModule: Type<unknown>) {
  const publish = jest.fn().mockResolvedValue(undefined);
  const moduleRef = await Test.createTestingModule({ imports: [withHandlerPipeline(appModule)] })
    // No broker here: topics are not provisioned and dead letters are recorded, not written.
    .overrideProvider(TopicProvisioner)
    .useValue({ ensureTopics: async () => undefined, awaitGroupCoordinator: async () => undefined })
    .overrideProvider(DeadLetterPublisher)
    .useValue({ publish })
    .compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  const transport = new InMemoryTransport();
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  return { app, transport, publish };
}

async function sample(metrics: OrderflowMetrics, name: string, labels: Record<string, string>): Promise<number> {
  const base = name.replace(/_count$/, '');
  const { values } = await metrics.registry.getSingleMetric(base)!.get();
  const found = values.find(
    (value) =>
      ((value as { metricName?: string }).metricName ?? base) === name &&
      Object.entries(labels).every(([key, label]) => String(value.labels[key]) === label),
  );
  return found?.value ?? 0;
}

describe('the handler pipeline', () => {
  const original = { ...process.env };
  let app: INestApplication | undefined;

  beforeAll(() => {
    process.env.MESSAGE_MAX_ATTEMPTS = String(MAX_ATTEMPTS);
    process.env.MESSAGE_RETRY_BACKOFF_MS = '1';
    process.env.LOG_LEVEL = 'fatal';
  });
  afterAll(() => {
    process.env = original;
  });
  beforeEach(() => {
    trace.splice(0);
    traced(MessageHandlingInterceptor, 'intercept', 'retry');
    traced(HandlerMetricsInterceptor, 'intercept', 'metrics');
    traced(MessageValidationPipe, 'transform', 'pipe');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await app?.close();
    app = undefined;
  });

  it('runs the retry outside the metrics, and the validation pipe inside both, once per attempt', async () => {
    const started = await startApp(ObservedAppModule);
    app = started.app;
    failuresLeft = 2;

    await started.transport.deliver(TOPIC, { text: 'a' });

    const attempt = ['metrics', 'pipe', 'handler(a)'];
    expect(trace).toEqual(['retry', ...attempt, ...attempt, ...attempt]);
    expect(started.publish).not.toHaveBeenCalled();
    const metrics = app.get(OrderflowMetrics);
    expect(await sample(metrics, 'orderflow_messages_consumed_total', { topic: TOPIC })).toBe(1);
    expect(await sample(metrics, 'orderflow_message_handler_failures_total', { topic: TOPIC })).toBe(2);
    const durations = 'orderflow_message_handler_duration_seconds_count';
    expect(await sample(metrics, durations, { topic: TOPIC, outcome: 'error' })).toBe(2);
    expect(await sample(metrics, durations, { topic: TOPIC, outcome: 'ok' })).toBe(1);
  });

  it('dead-letters a message that fails every attempt, the metrics having seen each failure', async () => {
    const started = await startApp(ObservedAppModule);
    app = started.app;
    failuresLeft = MAX_ATTEMPTS;

    await expect(started.transport.deliver(TOPIC, { text: 'b' })).resolves.toBeUndefined();

    expect(trace.filter((step) => step === 'metrics')).toHaveLength(MAX_ATTEMPTS);
    expect(started.publish).toHaveBeenCalledWith(expect.any(KafkaContext), 'FAILED', expect.any(Error), MAX_ATTEMPTS);
    const metrics = app.get(OrderflowMetrics);
    expect(await sample(metrics, 'orderflow_message_handler_failures_total', { topic: TOPIC })).toBe(MAX_ATTEMPTS);
  });

  it('dead-letters an invalid message at once: the pipe throws inside the retry, before the handler', async () => {
    const started = await startApp(ObservedAppModule);
    app = started.app;

    await started.transport.deliver(TOPIC, { text: 42 });

    expect(trace).toEqual(['retry', 'metrics', 'pipe']);
    expect(started.publish).toHaveBeenCalledWith(expect.any(KafkaContext), 'INVALID', expect.any(Error), 1);
  });

  it('keeps the retry for an app without ObservabilityModule, with no metrics interceptor', async () => {
    const started = await startApp(UnobservedAppModule);
    app = started.app;
    failuresLeft = 1;

    await started.transport.deliver(TOPIC, { text: 'c' });

    expect(trace).toEqual(['retry', 'pipe', 'handler(c)', 'pipe', 'handler(c)']);
  });
});
