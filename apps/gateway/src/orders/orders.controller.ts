import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { ListOrdersRequest, OrderAccepted, OrderIdRequest, OrderView, Page } from '@orderflow/contracts';
import { Allow } from '../auth/access-rules';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import { assertActsFor, customerScopeOf } from '../auth/ownership';
import type { Principal } from '../auth/principal';
import { ApiErrors, ErrorBodyDoc } from '../http/api-docs';
import { HttpApi } from '../http/http-api.decorator';
import { RequestId } from '../http/request-id.decorator';
import {
  CreateOrderBody,
  DEFAULT_WAIT_MS,
  OrderAcceptedDoc,
  OrderPageDoc,
  OrderViewDoc,
  WaitForStatusQuery,
} from './order.api';
import { scopedIdempotencyKey } from './idempotency-scope';
import { OrdersService } from './orders.service';

@ApiTags('orders')
@HttpApi()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Post()
  @Allow(['customer'], ['orders:write'])
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Place an order; the saga runs in the background (see GET with waitFor). A customer: in their own name',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retried POST with the same body within 24 hours returns the same order, also while the first is still ' +
      'in flight (it waits for it); the same key with another body is refused with 422. Scoped to the caller.',
  })
  @ApiAcceptedResponse({ type: OrderAcceptedDoc })
  @ApiUnprocessableEntityResponse({
    description: 'The Idempotency-Key was already used with a different request body',
    type: ErrorBodyDoc,
  })
  @ApiErrors(400)
  create(
    @Body() body: CreateOrderBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
  ): Promise<OrderAccepted> {
    assertActsFor(principal, body.customerId);
    // Checked as sent: the scoped key is a digest of fixed length, whatever the caller's key was.
    if (idempotencyKey !== undefined && (idempotencyKey.length < 1 || idempotencyKey.length > 128)) {
      throw new BadRequestException(['Idempotency-Key: must be 1 to 128 characters']);
    }
    const scoped = scopedIdempotencyKey(idempotencyKey ?? body.idempotencyKey, principal);
    return this.orders.create({ ...body, idempotencyKey: scoped }, requestId);
  }

  @Get()
  @Allow(['customer', 'operator'], ['orders:read'])
  @ApiOperation({ summary: 'List orders, newest first (a customer: their own)' })
  @ApiOkResponse({ type: OrderPageDoc })
  @ApiErrors(400)
  list(
    @Query() query: ListOrdersRequest,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
  ): Promise<Page<OrderView>> {
    return this.orders.list({ ...query, customerId: customerScopeOf(principal, query.customerId) }, requestId);
  }

  @Get(':orderId')
  @Allow(['customer', 'operator'], ['orders:read'])
  @ApiOperation({
    summary: 'One order; with waitFor, answers once it reaches one of those statuses or when timeoutMs is up',
  })
  @ApiOkResponse({ type: OrderViewDoc })
  @ApiServiceUnavailableResponse({ description: 'Too many requests are waiting on this instance', type: ErrorBodyDoc })
  @ApiErrors(400, 404)
  get(
    @Param() params: OrderIdRequest,
    @Query() query: WaitForStatusQuery,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
  ): Promise<OrderView> {
    if (!query.waitFor) return this.orders.get(params.orderId, requestId, principal);
    const wait = { statuses: query.waitFor, timeoutMs: query.timeoutMs ?? DEFAULT_WAIT_MS };
    return this.orders.getWhenStatus(params.orderId, wait, requestId, principal);
  }

  @Post(':orderId/cancel')
  @Allow(['customer'], ['orders:write'])
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Cancel an order; compensations (release, refund) run in the background' })
  @ApiAcceptedResponse({ type: OrderAcceptedDoc })
  @ApiErrors(400, 404, 409)
  cancel(
    @Param() params: OrderIdRequest,
    @CurrentPrincipal() principal: Principal,
    @RequestId() requestId: string,
  ): Promise<OrderAccepted> {
    return this.orders.cancel(params.orderId, requestId, principal);
  }
}
