import { Controller, Get, Header, MessageEvent, Sse, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { map, Observable } from 'rxjs';
import { DASHBOARD_PAGE_CSP, dashboardPage } from './dashboard-page';
import { DashboardService } from './dashboard.service';

// Chart.js from node_modules: the page works offline, with no CDN.
const chartScript = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');

@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('content-security-policy', DASHBOARD_PAGE_CSP)
  page(): string {
    return dashboardPage;
  }

  @Get('chart.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  chart(): StreamableFile {
    return new StreamableFile(createReadStream(chartScript));
  }

  /** Server-Sent Events: a snapshot every second and every order status change as it happens. */
  @Sse('events')
  events(): Observable<MessageEvent> {
    return this.dashboard.stream().pipe(map((event) => ({ type: event.type, data: event.data })));
  }
}
