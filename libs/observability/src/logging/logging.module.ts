import { DynamicModule, Logger as NestLogger, Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Logger, LoggerModule } from 'nestjs-pino';
import { loggerParams, loggingSettings } from './logger-options';

/** Routes every `new Logger(context)` of the app into pino once the module is up. */
class UsePinoForNestLogs implements OnModuleInit {
  constructor(private readonly logger: Logger) {}

  onModuleInit(): void {
    NestLogger.overrideLogger(this.logger);
  }
}

/** Structured JSON logs (pino) with the service name and, per HTTP request or Kafka message, its context. */
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
      providers: [
        {
          provide: UsePinoForNestLogs,
          useFactory: (logger: Logger) => new UsePinoForNestLogs(logger),
          inject: [Logger],
        },
      ],
    };
  }
}
