import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { InvalidMessageError } from './message-errors';
import { validationProblems } from './validation-problems';

/**
 * Turns the decoded Kafka value into a validated instance of the handler's `@Payload()` class.
 * Nest decodes invalid JSON to a plain string, so "not an object" is checked first.
 */
@Injectable()
export class MessageValidationPipe implements PipeTransform {
  async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const target = metadata.metatype;
    if (metadata.type !== 'body' && metadata.type !== 'custom') return value;
    if (!target || isBuiltIn(target)) return value;
    if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value)) {
      throw new InvalidMessageError(['value: must be a JSON object']);
    }
    const instance = plainToInstance(target, value) as object;
    const errors = await validate(instance, { whitelist: true, forbidUnknownValues: true });
    if (errors.length > 0) throw new InvalidMessageError(validationProblems(errors));
    return instance;
  }
}

function isBuiltIn(type: unknown): boolean {
  return [Object, String, Number, Boolean, Array].includes(type as ObjectConstructor);
}
