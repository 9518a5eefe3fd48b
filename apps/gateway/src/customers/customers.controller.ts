import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CustomerIdRequest, CustomerView, NotificationView, Page, PageRequest } from '@orderflow/contracts';
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
  @ApiOperation({ summary: 'Open a customer account with an opening balance' })
  @ApiCreatedResponse({ type: CustomerViewDoc })
  @ApiErrors(400, 409)
  create(@Body() body: CreateCustomerBody, @RequestId() requestId: string): Promise<CustomerView> {
    return this.customers.create(body, requestId);
  }

  @Get(':customerId')
  @ApiOperation({ summary: 'One customer and their balance' })
  @ApiOkResponse({ type: CustomerViewDoc })
  @ApiErrors(400, 404)
  get(@Param() params: CustomerIdRequest, @RequestId() requestId: string): Promise<CustomerView> {
    return this.customers.get(params.customerId, requestId);
  }

  @Get(':customerId/notifications')
  @ApiOperation({ summary: "The customer's notifications, newest first" })
  @ApiOkResponse({ type: NotificationPageDoc })
  @ApiErrors(400)
  notifications(
    @Param() params: CustomerIdRequest,
    @Query() page: PageRequest,
    @RequestId() requestId: string,
  ): Promise<Page<NotificationView>> {
    return this.customers.notifications({ customerId: params.customerId, ...page }, requestId);
  }
}
