import { AsyncLocalStorage } from 'node:async_hooks';
import { ExecutionContext, Injectable, PreRequestHook } from '@nestjs/common';
import { ApplicationConfig } from '@nestjs/core';
import { KafkaContext } from '@nestjs/microservices';
import { KafkaBatchContext } from '@orderflow/messaging';
import { getRpcInfo, PinoLogger } from 'nestjs-pino';
import type { Level } from 'pino';
import { Observable } from 'rxjs';
import { acceptedId, CORRELATION_ID_HEADER } from './correlation-id';
import { messageLogLevels } from './message-log-levels';

const handledMessage = new AsyncLocalStorage<ExecutionContext>();
const fieldsOf = new WeakMap<ExecutionContext, Record<string, unknown>>();

/**
 * pino's `mixin`: the fields of the Kafka message being handled (`kafkaLogFields`) on every line logged
 * while it is, nothing outside a message. Computed when a line is first written, so a message that logs
 * nothing costs no logger of its own.
 */
export function handledMessageLogFields(): Record<string, unknown> {
  const context = handledMessage.getStore();
  return context ? logFieldsOf(context) : {};
}

function logFieldsOf(context: ExecutionContext): Record<string, unknown> {
  let fields = fieldsOf.get(context);
  if (!fields) {
    fields = kafkaLogFields(context);
    fieldsOf.set(context, fields);
  }
  return fields;
}

/**
 * The log context and the closing line of every Kafka message handled, as nestjs-pino's microservice
 * hook would write them (levels from `messageLogLevels`), without its three child loggers per message:
 * building them (pino serializes a child's bindings up front) was a large share of a no-op consumer's
 * CPU (bench/README.md, "Optimisations").
 * Registered as a pre-request hook, so guards, pipes, interceptors and the handler all run inside it.
 */
@Injectable()
export class MessageLogContext {
  constructor(
    applicationConfig: ApplicationConfig,
    private readonly logger: PinoLogger,
  ) {
    // Here rather than in a lifecycle hook: the message handlers, built later, pick the hook up.
    applicationConfig.registerPreRequestHook(this.hook);
  }

  readonly hook: PreRequestHook = (context, next) =>
    new Observable((subscriber) => {
      const startedAt = Date.now();
      const subscription = handledMessage.run(context, () =>
        next().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            this.logClosing(context, startedAt, error);
            subscriber.error(error);
          },
          complete: () => {
            this.logClosing(context, startedAt);
            subscriber.complete();
          },
        }),
      );
      return () => subscription.unsubscribe();
    });

  private logClosing(context: ExecutionContext, startedAt: number, error?: unknown): void {
    const level = messageLogLevels.customLogLevel(context, error as Error);
    const pino = this.logger.logger;
    if (!pino.isLevelEnabled(level)) return;
    // Explicitly too: a stream may settle outside the message's scope.
    const value = { ...logFieldsOf(context), responseTime: Date.now() - startedAt };
    if (error === undefined) {
      pino[level as Level](value, `${getRpcInfo(context).type} completed`);
      return;
    }
    pino[level as Level](
      messageLogLevels.customErrorObject(context, error as Error, { ...value, err: error }),
      messageLogLevels.customErrorMessage(context, error as Error),
    );
  }
}

/**
 * Where a Kafka message came from and which handler has it, on every line written while it is handled.
 * For the batch of an `InBatches` handler: its first offset (and correlation id), its last, its size.
 */
export function kafkaLogFields(context: ExecutionContext): Record<string, unknown> {
  if (context.getType() !== 'rpc') return {};
  const kafka = context.switchToRpc().getContext<unknown>();
  if (!(kafka instanceof KafkaContext)) return {};
  const fields = {
    topic: kafka.getTopic(),
    partition: kafka.getPartition(),
    offset: kafka.getMessage().offset,
    correlationId: acceptedId(kafka.getMessage().headers?.[CORRELATION_ID_HEADER]),
    handler: handlerName(context),
  };
  if (!(kafka instanceof KafkaBatchContext)) return fields;
  const messages = kafka.getMessages();
  return { ...fields, lastOffset: messages.at(-1)?.offset, messages: messages.length };
}

function handlerName(context: ExecutionContext): string | undefined {
  const controller = context.getClass?.()?.name;
  const method = context.getHandler?.()?.name;
  return controller && method ? `${controller}.${method}` : undefined;
}
