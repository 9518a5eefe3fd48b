import { Type } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { MessageBatchValidationPipe } from './message-batch-validation.pipe';
import { MessageValidationPipe } from './message-validation.pipe';

/** `@Payload()` validated against the parameter's class; an invalid message never reaches the handler. */
export const ValidPayload = (): ParameterDecorator => Payload(MessageValidationPipe);

/**
 * The payload of an `InBatches` handler, every message validated against `messageClass` (a parameter
 * typed as an array carries no element class for Nest to read, hence the argument).
 */
export const ValidPayloads = (messageClass: Type<object>): ParameterDecorator =>
  Payload(new MessageBatchValidationPipe(messageClass));
