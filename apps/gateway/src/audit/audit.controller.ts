import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  AuditEventView,
  ListAuditEventsRequest,
  OrderTimeline,
  OrderTimelineRequest,
  Page,
} from '@orderflow/contracts';
import { Allow } from '../auth/access-rules';
import { ApiErrors } from '../http/api-docs';
import { HttpApi } from '../http/http-api.decorator';
import { RequestId } from '../http/request-id.decorator';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Allow(['operator'], ['audit:read'])
@HttpApi()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('audit')
  @ApiOperation({ summary: 'The event log, oldest first; filter by order, correlation id, type and time' })
  @ApiOkResponse({ description: 'A page of recorded events; pass `nextCursor` as `cursor` for the next' })
  @ApiErrors(400)
  list(@Query() query: ListAuditEventsRequest, @RequestId() requestId: string): Promise<Page<AuditEventView>> {
    return this.audit.list(query, requestId);
  }

  @Get('orders/:orderId/timeline')
  @ApiOperation({ summary: 'Every event of one order, from every service, in causal order' })
  @ApiOkResponse({ description: 'The order id and its events' })
  @ApiErrors(400, 404)
  timeline(@Param() params: OrderTimelineRequest, @RequestId() requestId: string): Promise<OrderTimeline> {
    return this.audit.timeline(params.orderId, requestId);
  }
}
