import { CustomerView } from '@orderflow/contracts';
import { CustomerAccountEntity } from './customer-account.entity';

export function toCustomerView({ id, name, balanceCents }: CustomerAccountEntity): CustomerView {
  return { id, name, balanceCents };
}
