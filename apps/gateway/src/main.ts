import 'reflect-metadata';
import { runService } from '@orderflow/runtime';
import { GatewayAppModule } from './gateway-app.module';
import { gatewayEnvSchema } from './gateway.env';
import { setUpOpenApi } from './http/open-api';

// Status changes are consumed in a group per instance, from the latest offset: every instance sees
// every change, and only changes from now on matter to the requests it holds.
void runService({
  service: 'gateway',
  module: GatewayAppModule,
  env: gatewayEnvSchema,
  consumer: (settings) => ({ groupId: `gateway-${settings.instanceId}`, fromBeginning: false }),
  configure: setUpOpenApi,
});
