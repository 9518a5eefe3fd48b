/**
 * What a tool needs to provision the broker (the topic plan, a poll), without Nest, TypeORM or the
 * transport: the index loads all of those, and `npm start`'s launcher stays resident for the whole run.
 */
export * from './kafka/poll-until';
export * from './kafka/topic-plan';
