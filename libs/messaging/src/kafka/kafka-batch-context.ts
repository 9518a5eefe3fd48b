import { KafkaContext } from '@nestjs/microservices';
import type { KafkaMessage } from 'kafkajs';

type KafkaContextArgs = ConstructorParameters<typeof KafkaContext>[0];

/**
 * The context of one call to an `InBatches` handler: every message of the call (as Nest's parser left
 * them), in offset order. `getMessage()` is the first, so code written for one message (log fields,
 * dead-lettering a batch of one) reads it as it reads any KafkaContext.
 */
export class KafkaBatchContext extends KafkaContext {
  constructor(
    args: KafkaContextArgs,
    private readonly messages: readonly KafkaMessage[],
  ) {
    super(args);
  }

  getMessages(): readonly KafkaMessage[] {
    return this.messages;
  }
}

/** The messages a handler call is about: the batch of an `InBatches` handler, else the one message. */
export function messagesOf(context: KafkaContext): readonly KafkaMessage[] {
  return context instanceof KafkaBatchContext ? context.getMessages() : [context.getMessage()];
}
