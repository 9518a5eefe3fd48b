import { INestApplication, Logger, Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Consumer } from 'kafkajs';
import { KafkaConsumerState } from './kafka/consumer-state';
import { KAFKA_SETTINGS, KafkaSettings } from './kafka/kafka-settings';
import { kafkaServerTransport, ServerTransportOverrides } from './kafka/kafka-transport';

export interface ServiceRuntime {
  service: string;
  module: Type<unknown>;
  /** How this app consumes with Nest's ServerKafka; `false` for apps without handlers. */
  consumer?: ServerTransportOverrides | ((settings: KafkaSettings) => ServerTransportOverrides) | false;
  /** HTTP setup that must happen before init, such as mounting the OpenAPI document. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts one app: HTTP (API, health, metrics) plus the Kafka transport. The module initialises first
 * (database migrated, topics provisioned, producer and request client connected), so the consumer
 * never sees a message before the app can handle it.
 */
export async function runService(runtime: ServiceRuntime): Promise<INestApplication> {
  const app = await NestFactory.create(runtime.module, { abortOnError: false });
  const settings = app.get<KafkaSettings>(KAFKA_SETTINGS);
  await runtime.configure?.(app);
  const overrides = typeof runtime.consumer === 'function' ? runtime.consumer(settings) : runtime.consumer;
  const transport =
    overrides === false
      ? undefined
      : app.connectMicroservice(kafkaServerTransport(settings, overrides), { inheritAppConfig: true });
  app.enableShutdownHooks();
  await app.init();
  await app.startAllMicroservices();
  if (transport) app.get(KafkaConsumerState).watch(transport.unwrap<[unknown, Consumer]>()[1]);
  await app.listen(app.get(ConfigService).getOrThrow<number>('HTTP_PORT'));
  Logger.log(`${runtime.service} is up (instance ${settings.instanceId})`, 'Bootstrap');
  return app;
}
