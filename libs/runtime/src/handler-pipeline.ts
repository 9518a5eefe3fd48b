import { DynamicModule, Module, Provider, Type } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { MessageHandlingInterceptor } from '@orderflow/messaging';
import { HandlerMetricsInterceptor, OrderflowMetrics } from '@orderflow/observability';

/**
 * What runs around every handler of an app (Kafka and HTTP), from the outside in. Declared here and
 * nowhere else: runService gives it to every app, and handler-pipeline.spec.ts holds it in place.
 *
 * 1. The message log context (observability's MessageLogContext), a pre-request hook: Nest runs hooks
 *    outside every interceptor, so each line logged while a message is handled, its retries included,
 *    carries the message's topic, offset and correlation id.
 * 2. MessageHandlingInterceptor (messaging): inspects the message, reads it as the current version of
 *    its type, retries a passing failure with backoff, dead-letters what keeps failing, answers requests.
 * 3. HandlerMetricsInterceptor (observability), inside the retry: it sees each attempt, so a failed
 *    attempt is a failure and each attempt has its duration, while the message is counted once. Outside
 *    the retry it would see one call per message, and none of the failures that a retry hid.
 * 4. The validation pipe (`@ValidPayload`), per parameter: Nest runs pipes after every interceptor, on
 *    each attempt; an invalid message throws there, and the retry dead-letters it at once.
 * 5. The handler.
 *
 * Nest runs global interceptors in the order they are registered, the first outermost. These come
 * first (this module is the root), so the order of this list is the order around the handler; an app's
 * own global interceptor (the gateway's ActAsPrincipalInterceptor) runs inside them.
 */
export const handlerInterceptors: Provider[] = [
  { provide: APP_INTERCEPTOR, useClass: MessageHandlingInterceptor },
  {
    provide: APP_INTERCEPTOR,
    // An app without ObservabilityModule (the bench's consumer) has no metrics: Nest skips a null enhancer.
    useFactory: (metrics?: OrderflowMetrics) => (metrics ? new HandlerMetricsInterceptor(metrics) : null),
    inject: [{ token: OrderflowMetrics, optional: true }],
  },
];

@Module({})
class HandlerPipelineModule {}

/** The app's module with the handler pipeline around it: the root module that runService creates. */
export function withHandlerPipeline(appModule: Type<unknown>): DynamicModule {
  return { module: HandlerPipelineModule, imports: [appModule], providers: handlerInterceptors };
}
