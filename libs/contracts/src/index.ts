// The message classes' decorators (class-transformer's @Type) read design-time types: whoever imports
// the contracts gets the polyfill with them, not only the processes that load Nest.
import 'reflect-metadata';

export * from './analytics.messages';
export * from './audit.messages';
export * from './common';
export * from './dead-letters';
export * from './envelope';
export * from './inventory.messages';
export * from './messages';
export * from './notifications.messages';
export * from './orders.messages';
export * from './payments.messages';
export * from './search.messages';
export * from './topics';
export * from './schema/breaking-changes';
export * from './schema/compatibility';
export * from './schema/json-schemas';
export * from './schema/schema-versions';
export * from './schema/upcasters';
export * from './topic-declarations';
export * from './kafka-acls';
