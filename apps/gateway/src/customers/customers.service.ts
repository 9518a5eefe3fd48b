import { Injectable } from '@nestjs/common';
import {
  CreateCustomerRequest,
  CustomerView,
  ListNotificationsRequest,
  NotificationView,
  Page,
  Topics,
} from '@orderflow/contracts';
import { RequestClient } from '@orderflow/messaging';

/** The customers API of the gateway: accounts live in payments, notifications in notifications. */
@Injectable()
export class CustomersService {
  constructor(private readonly requests: RequestClient) {}

  create(request: CreateCustomerRequest, correlationId: string): Promise<CustomerView> {
    return this.requests.request<CustomerView>(Topics.CustomersCreate, request, { correlationId, key: request.id });
  }

  get(customerId: string, correlationId: string): Promise<CustomerView> {
    return this.requests.request<CustomerView>(Topics.CustomersGet, { customerId }, { correlationId, key: customerId });
  }

  notifications(request: ListNotificationsRequest, correlationId: string): Promise<Page<NotificationView>> {
    return this.requests.request<Page<NotificationView>>(Topics.NotificationsList, request, {
      correlationId,
      key: request.customerId,
    });
  }
}
