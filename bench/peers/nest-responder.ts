import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { MessagePattern } from '@nestjs/microservices';
import {
  DeadLetterPublisher,
  KAFKA_SETTINGS,
  KafkaConnection,
  kafkaServerTransport,
  MessageHandlingInterceptor,
  ValidPayload,
} from '@orderflow/messaging';
import { IsString, MaxLength } from 'class-validator';
import { BenchTopics } from '../bench-topics';
import { benchKafkaSettings, describeKafkaOptions, orderflowServerOptions } from './bench-kafka-settings';
import { argument, report } from './peer-protocol';

class EchoRequest {
  @IsString()
  id: string;

  @IsString()
  @MaxLength(10_000)
  padding: string;
}

@Controller()
class EchoController {
  @MessagePattern(BenchTopics.NestEcho)
  echo(@ValidPayload() request: EchoRequest): EchoRequest {
    return request;
  }
}

/** Orderflow's request path as the services run it: Nest's ServerKafka, the validation pipe and the interceptor. */
async function main(): Promise<void> {
  const settings = benchKafkaSettings(argument('brokers'), argument('group'));
  @Module({
    controllers: [EchoController],
    providers: [
      { provide: KAFKA_SETTINGS, useValue: settings },
      KafkaConnection,
      DeadLetterPublisher,
      { provide: APP_INTERCEPTOR, useClass: MessageHandlingInterceptor },
    ],
  })
  class EchoModule {}
  const transport = kafkaServerTransport(settings, { fromBeginning: false });
  const app = await NestFactory.createMicroservice(EchoModule, { ...transport, logger: ['error'] });
  await app.listen();
  report({ ready: true, kafka: describeKafkaOptions(orderflowServerOptions(transport)) });
}

void main();
