import type { ICustomPartitioner, Message, RecordMetadata } from 'kafkajs';

/** A send that kafkajs resolved without an answer for every partition its messages went to. */
export class IncompleteSendError extends Error {
  constructor(readonly unanswered: string[]) {
    super(`kafkajs resolved a send without writing to ${unanswered.join(', ')}`);
    this.name = 'IncompleteSendError';
  }
}

/**
 * kafkajs 2.2.4 can resolve a send that did not write every message (tulios/kafkajs#1303, unfixed in
 * any release). Its retry keeps each broker's answer from the attempts before and sends again only
 * to brokers without one: when a partition's leader is killed and the partition moves to a broker
 * that already answered for other partitions of the same send, its messages are never sent again,
 * and the send resolves anyway. The outbox then marks as published events that no broker has.
 *
 * This records the partition the partitioner chose for each message (the message objects we hand to
 * kafkajs reach the partitioner as they are, on every attempt) and checks kafkajs's answer against it.
 */
export class SendCoverage {
  private readonly partitionOf = new WeakMap<Message, number>();

  /** `create` (the producer's partitioner), recording each choice. */
  recording(create: ICustomPartitioner): ICustomPartitioner {
    return () => {
      const choose = create();
      return (args) => {
        const partition = choose(args);
        this.partitionOf.set(args.message, partition);
        return partition;
      };
    };
  }

  /**
   * Throws IncompleteSendError unless `written` answers for the partition every message last went to.
   * A message the partitioner never saw (kafkajs calls it for each one) is not checked.
   */
  assertWritten(topicMessages: readonly { topic: string; messages: Message[] }[], written: RecordMetadata[]): void {
    const answered = new Set(written.map(({ topicName, partition }) => `${topicName}-${partition}`));
    const unanswered = new Set<string>();
    for (const { topic, messages } of topicMessages) {
      for (const message of messages) {
        const partition = this.partitionOf.get(message);
        if (partition !== undefined && !answered.has(`${topic}-${partition}`)) unanswered.add(`${topic}-${partition}`);
      }
    }
    if (unanswered.size > 0) throw new IncompleteSendError([...unanswered]);
  }
}
