import { Controller, Get, Header, MessageEvent, Res, Sse, StreamableFile } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { createReadStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { map, Observable } from 'rxjs';
import { Allow, Public } from '../auth/access-rules';
import type { GatewayEnv } from '../gateway.env';
import type { HttpResponse } from '../http/express-types';
import { dashboardPage, dashboardPageCsp } from './dashboard-page';
import { DashboardService } from './dashboard.service';

// Chart.js and oauth4webapi (the sign-in) from node_modules: the page loads nothing from a CDN.
const chartScript = join(dirname(require.resolve('chart.js')), 'chart.umd.min.js');
const oauthScript = join(dirname(require.resolve('oauth4webapi/package.json')), 'build', 'index.js');

/** What the page needs to sign an operator in at the issuer the gateway trusts; nothing secret. */
export interface DashboardSignIn {
  issuer: string;
  clientId: string;
  audience: string;
}

@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  private readonly signInSettings: DashboardSignIn;
  private readonly pageCsp: string;

  constructor(
    private readonly dashboard: DashboardService,
    config: ConfigService<GatewayEnv, true>,
  ) {
    this.signInSettings = {
      issuer: config.get('OIDC_ISSUER_URL', { infer: true }),
      clientId: config.get('DASHBOARD_CLIENT_ID', { infer: true }),
      audience: config.get('OIDC_AUDIENCE', { infer: true }),
    };
    this.pageCsp = dashboardPageCsp(new URL(this.signInSettings.issuer).origin);
  }

  /** The page loads before sign-in; it holds no data, only what renders the stream. */
  @Get()
  @Public()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  page(@Res({ passthrough: true }) response: HttpResponse): string {
    response.setHeader('content-security-policy', this.pageCsp);
    return dashboardPage;
  }

  @Get('chart.js')
  @Public()
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  chart(): StreamableFile {
    return new StreamableFile(createReadStream(chartScript));
  }

  @Get('sign-in.json')
  @Public()
  @Header('cache-control', 'no-cache')
  signIn(): DashboardSignIn {
    return this.signInSettings;
  }

  @Get('oauth4webapi.js')
  @Public()
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'public, max-age=3600')
  oauth(): StreamableFile {
    return new StreamableFile(createReadStream(oauthScript));
  }

  /** Server-Sent Events: a snapshot every second and every order status change as it happens. */
  @Sse('events')
  @Allow(['operator'])
  events(): Observable<MessageEvent> {
    return this.dashboard.stream().pipe(map((event) => ({ type: event.type, data: event.data })));
  }
}
