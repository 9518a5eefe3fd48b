import { ValidationError } from 'class-validator';

/** Flattens class-validator's tree into lines such as `items.0.quantity: quantity must not be less than 1`. */
export function validationProblems(errors: ValidationError[], parentPath = ''): string[] {
  return errors.flatMap((error) => {
    const path = parentPath ? `${parentPath}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => `${path}: ${message}`);
    return [...own, ...validationProblems(error.children ?? [], path)];
  });
}
