import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { ContractClass } from '@orderflow/contracts';
import { plainToInstance } from 'class-transformer';
import { validate, validateSync, ValidatorOptions } from 'class-validator';
import { compiledValidationOf, compiledValidationProblems } from './compiled-validators';
import { InvalidMessageError } from './message-errors';
import { validationProblems } from './validation-problems';

/** What the pipe checks: unknown properties are dropped, and a value that is no known class fails. */
export const MESSAGE_VALIDATOR_OPTIONS: ValidatorOptions = { whitelist: true, forbidUnknownValues: true };

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
    const problems = await problemsOf(instance, target);
    if (problems.length > 0) throw new InvalidMessageError(problems);
    return instance;
  }
}

/**
 * The class's compiled validator checks (and strips) the instance; class-validator runs only for a
 * message it rejects, to name the problems as it always has, or for a class the compiled validator
 * does not reproduce (`compiled-validators.ts`).
 */
async function problemsOf(instance: object, target: ContractClass): Promise<string[]> {
  const validation = compiledValidationOf(target);
  let compiledProblems: string[] = [];
  if ('validate' in validation) {
    if (validation.validate(instance)) return [];
    // Read now: the function's `errors` belong to whichever message it checked last.
    compiledProblems = compiledValidationProblems(validation.validate.errors);
  }
  const problems = validationProblems(await validate(instance, MESSAGE_VALIDATOR_OPTIONS));
  // Empty where the compiled validator is stricter (an array where the class has one object).
  return problems.length > 0 ? problems : compiledProblems;
}

/**
 * The problems of an instance of a contract class, none when it is valid, found as the pipe finds them
 * (for a check beyond the handler's own class); the instance loses the fields the class does not declare.
 * Synchronous: class-validator's asynchronous constraints are not run (no contract has one).
 */
export function contractProblems(instance: object, contract: ContractClass): string[] {
  const validation = compiledValidationOf(contract);
  let compiledProblems: string[] = [];
  if ('validate' in validation) {
    if (validation.validate(instance)) return [];
    compiledProblems = compiledValidationProblems(validation.validate.errors);
  }
  const problems = validationProblems(validateSync(instance, MESSAGE_VALIDATOR_OPTIONS));
  return problems.length > 0 ? problems : compiledProblems;
}

function isBuiltIn(type: unknown): boolean {
  return [Object, String, Number, Boolean, Array].includes(type as ObjectConstructor);
}
