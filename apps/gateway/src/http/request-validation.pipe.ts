import { ArgumentMetadata, BadRequestException, Injectable, ValidationPipe } from '@nestjs/common';
import { validationProblems } from '@orderflow/messaging';

/**
 * Bodies, queries and path parameters are checked against the contract classes before a request
 * leaves the gateway: 400 with one `path: problem` line per bad field.
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException(validationProblems(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // express.json() accepts arrays; a body that is not an object would give class-validator's
    // "unknown value" error instead of naming the fields.
    if (metadata.type === 'body' && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new BadRequestException(['body: must be a JSON object']);
    }
    return super.transform(value, metadata);
  }
}
