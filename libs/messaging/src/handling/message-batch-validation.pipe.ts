import { Injectable, PipeTransform, Type } from '@nestjs/common';
import { InvalidMessageError } from './message-errors';
import { MessageValidationPipe } from './message-validation.pipe';

/**
 * The payload of an `InBatches` handler (an array of decoded values) as validated instances of
 * `messageClass`, each checked as `MessageValidationPipe` checks one. One invalid message fails the
 * batch: its messages are then handed over one per call, and the invalid one is dead-lettered alone.
 */
@Injectable()
export class MessageBatchValidationPipe implements PipeTransform {
  private readonly single = new MessageValidationPipe();

  constructor(private readonly messageClass: Type<object>) {}

  async transform(values: unknown): Promise<object[]> {
    if (!Array.isArray(values)) throw new InvalidMessageError(['value: expected the messages of a batch']);
    const metadata = { type: 'custom', metatype: this.messageClass } as const;
    const instances: object[] = [];
    for (const value of values) instances.push((await this.single.transform(value, metadata)) as object);
    return instances;
  }
}
