import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { runService } from '@orderflow/runtime';
import { GatewayAppModule } from './gateway-app.module';
import { gatewayEnvSchema } from './gateway.env';
import { setUpOpenApi } from './http/open-api';
import { setUpSecurityHeaders } from './http/security-headers';

// Status changes are consumed in a group per instance, from the latest offset: every instance sees
// every change, and only changes from now on matter to the requests it holds.
void runService({
  service: 'gateway',
  module: GatewayAppModule,
  env: gatewayEnvSchema,
  consumer: (settings) => ({ groupId: `gateway-${settings.instanceId}`, fromBeginning: false }),
  configure: (app: INestApplication) => {
    // First: every answer carries the headers, those of /docs and of errors included.
    setUpSecurityHeaders(app);
    setUpOpenApi(app);
  },
});
