import { Injectable } from '@nestjs/common';
import { CreateCustomerRequest, CustomerView } from '@orderflow/contracts';
import { RequestRejectedError } from '@orderflow/messaging';
import { randomUUID } from 'node:crypto';
import { toCustomerView } from './customer-view';
import { CustomersRepository } from './customers.repository';

@Injectable()
export class CustomersService {
  constructor(private readonly customers: CustomersRepository) {}

  async create(request: CreateCustomerRequest): Promise<CustomerView> {
    const account = { id: request.id ?? randomUUID(), name: request.name, balanceCents: request.openingBalanceCents };
    // A copy: TypeORM writes the generated columns back into the object it inserts.
    if (!(await this.customers.insertIfAbsent({ ...account }))) {
      throw RequestRejectedError.conflict(`customer ${account.id} already exists`);
    }
    return account;
  }

  async get(customerId: string): Promise<CustomerView> {
    const account = await this.customers.findById(customerId);
    if (!account) throw RequestRejectedError.notFound(`customer ${customerId} does not exist`);
    return toCustomerView(account);
  }
}
