export * from './common';
export * from './envelope';
export * from './inventory.messages';
export * from './messages';
export * from './notifications.messages';
export * from './orders.messages';
export * from './payments.messages';
export * from './topics';
