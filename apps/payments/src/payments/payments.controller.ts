import { Controller } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import { ChargePaymentMessage, RefundPaymentMessage, Topics } from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { PaymentsService } from './payments.service';

@Controller()
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @EventPattern(Topics.PaymentsCharge)
  charge(@ValidPayload() message: ChargePaymentMessage): Promise<void> {
    return this.payments.charge(message);
  }

  @EventPattern(Topics.PaymentsRefund)
  refund(@ValidPayload() message: RefundPaymentMessage): Promise<void> {
    return this.payments.refund(message);
  }
}
