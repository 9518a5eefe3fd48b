export * from './health/health.module';
export * from './health/kafka.health';
