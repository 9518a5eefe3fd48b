export * from './handler-pipeline';
export * from './run-service';
