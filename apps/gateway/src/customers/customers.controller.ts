import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CustomerIdRequest, CustomerView, NotificationView, Page, PageRequest } from '@orderflow/contracts';
import { Allow } from '../auth/access-rules';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { assertActsFor } from '../auth/ownership';
import type { Principal } from '../auth/principal';
import { ApiErrors } from '../http/api-docs';
import { HttpApi } from '../http/http-api.decorator';
import { RequestId } from '../http/request-id.decorator';
import { CreateCustomerBody, CustomerViewDoc, NotificationPageDoc } from './customer.api';
import { CustomersService } from './customers.service';

@ApiTags('customers')
@HttpApi()
@Controller('customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @Allow(['operator'], ['customers:write'])
  @ApiOperation({ summary: 'Open a customer account with an opening balance' })
  @ApiCreatedResponse({ type: CustomerViewDoc })
  @ApiErrors(400, 409)
  create(@Body() body: CreateCustomerBody, @RequestId() requestId: string): Promise<CustomerView> {
    return this.customers.create(body, requestId);
  }

  @Get(':customerId')
  @Allow(['customer', 'operator'], ['customers:read'])
  @ApiOperation({ summary: 'One customer and their balance (a customer: only their own)' })
  @ApiOkResponse({ type: CustomerViewDoc })
  @ApiErrors(400, 404)
  get(
    @Param() params: CustomerIdRequest,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
  ): Promise<CustomerView> {
    assertActsFor(principal, params.customerId);
    return this.customers.get(params.customerId, requestId);
  }

  @Get(':customerId/notifications')
  @Allow(['customer', 'operator'], ['customers:read'])
  @ApiOperation({ summary: "The customer's notifications, newest first (a customer: only their own)" })
  @ApiOkResponse({ type: NotificationPageDoc })
  @ApiErrors(400)
  notifications(
    @Param() params: CustomerIdRequest,
    @Query() page: PageRequest,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
  ): Promise<Page<NotificationView>> {
    assertActsFor(principal, params.customerId);
    return this.customers.notifications({ customerId: params.customerId, ...page }, requestId);
  }
}
