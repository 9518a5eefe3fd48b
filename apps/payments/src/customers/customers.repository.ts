import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CustomerAccountEntity } from './customer-account.entity';

export type NewCustomerAccount = Pick<CustomerAccountEntity, 'id' | 'name' | 'balanceCents'>;

@Injectable()
export class CustomersRepository {
  constructor(@InjectRepository(CustomerAccountEntity) private readonly accounts: Repository<CustomerAccountEntity>) {}

  /** Inserts unless the id exists; true when this call inserted it. */
  async insertIfAbsent(account: NewCustomerAccount): Promise<boolean> {
    const result = await this.accounts
      .createQueryBuilder()
      .insert()
      .values(account)
      .orIgnore()
      .returning(['id'])
      .execute();
    return result.raw.length > 0;
  }

  findById(id: string): Promise<CustomerAccountEntity | null> {
    return this.accounts.findOneBy({ id });
  }
}
