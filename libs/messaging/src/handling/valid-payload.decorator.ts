import { Payload } from '@nestjs/microservices';
import { MessageValidationPipe } from './message-validation.pipe';

/** `@Payload()` validated against the parameter's class; an invalid message never reaches the handler. */
export const ValidPayload = (): ParameterDecorator => Payload(MessageValidationPipe);
