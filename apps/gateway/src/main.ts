import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { ConfigValidationError } from '@orderflow/config';
import { KAFKA_SETTINGS, KafkaSettings, kafkaServerTransport } from '@orderflow/messaging';
import { GatewayAppModule } from './gateway-app.module';
import { setUpOpenApi } from './http/open-api';

/**
 * runService's steps, plus Swagger, which must be mounted between create and init (runService has no
 * hook there yet). Status changes are consumed in a group per instance, from the latest offset: every
 * instance sees every change, and only changes from now on matter to the requests it holds.
 */
async function bootstrap(): Promise<void> {
  try {
    const app = await NestFactory.create(GatewayAppModule, { abortOnError: false });
    const settings = app.get<KafkaSettings>(KAFKA_SETTINGS);
    setUpOpenApi(app);
    app.connectMicroservice(
      kafkaServerTransport(settings, { groupId: `gateway-${settings.instanceId}`, fromBeginning: false }),
      { inheritAppConfig: true },
    );
    app.enableShutdownHooks();
    await app.init();
    await app.startAllMicroservices();
    await app.listen(app.get(ConfigService).getOrThrow<number>('HTTP_PORT'));
    Logger.log(`gateway is up (instance ${settings.instanceId})`, 'Bootstrap');
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`gateway: ${error.message}\n`);
    process.exit(1);
  }
}

void bootstrap();
