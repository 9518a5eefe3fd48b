export * from './config-validation.error';
export * from './env-schemas';
export * from './parse-env';
export * from './service-config.module';
export * from './startup-port';
