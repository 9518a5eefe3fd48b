import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { CreateCustomerRequest, CustomerIdRequest, CustomerView, Topics } from '@orderflow/contracts';
import { ValidPayload } from '@orderflow/messaging';
import { CustomersService } from './customers.service';

@Controller()
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @MessagePattern(Topics.CustomersCreate)
  create(@ValidPayload() request: CreateCustomerRequest): Promise<CustomerView> {
    return this.customers.create(request);
  }

  @MessagePattern(Topics.CustomersGet)
  get(@ValidPayload() request: CustomerIdRequest): Promise<CustomerView> {
    return this.customers.get(request.customerId);
  }
}
