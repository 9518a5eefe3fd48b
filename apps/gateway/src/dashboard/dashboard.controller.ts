import { Controller, Get, Header, MessageEvent, Sse, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { map, Observable } from 'rxjs';
import { Allow, Public } from '../auth/access-rules';
import { dashboardPage } from './dashboard-page';
import { DashboardService } from './dashboard.service';

// Chart.js from node_modules: the page works offline, with no CDN.
const chartScript = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');

@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  /** The page loads before sign-in; it holds no data, only what renders the stream. */
  @Get()
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(): string {
    return dashboardPage;
  }

  @Get('chart.js')
  @Public()
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  chart(): StreamableFile {
    return new StreamableFile(createReadStream(chartScript));
  }

  /** Server-Sent Events: a snapshot every second and every order status change as it happens. */
  @Sse('events')
  @Allow(['operator'])
  events(): Observable<MessageEvent> {
    return this.dashboard.stream().pipe(map((event) => ({ type: event.type, data: event.data })));
  }
}
