// What apps and libs/runtime use; health indicators, lag and backlog readers and logger options stay inside.
export * from './http/open-endpoint';
export * from './logging/logging.module';
export * from './logging/startup-logger';
export * from './metrics/handler-metrics.interceptor';
export { OrderflowMetrics } from './metrics/orderflow-metrics';
export * from './observability.module';
