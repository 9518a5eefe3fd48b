import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { loggerParams, loggingSettings } from './logger-options';
import { MessageLogContext } from './message-log-context';

/**
 * Structured JSON logs (pino) with the service name and, per HTTP request or Kafka message, its context.
 * `runService` hands Nest's own lines to this logger (`app.useLogger`), the buffered boot lines included.
 */
@Module({})
export class LoggingModule {
  static forService(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService) =>
            loggerParams(
              loggingSettings(service, { LOG_LEVEL: config.get('LOG_LEVEL'), NODE_ENV: config.get('NODE_ENV') }),
            ),
        }),
      ],
      providers: [MessageLogContext],
    };
  }
}
