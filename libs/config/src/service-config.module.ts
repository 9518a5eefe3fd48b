import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { z } from 'zod';
import { parseEnv } from './parse-env';

/**
 * The one place an app reads its environment: validated once at boot against the app's schema,
 * then injected as `ConfigService<AppEnv, true>` everywhere else.
 *
 * Validated when Nest creates the ConfigService, not when the app module is imported (as
 * `ConfigModule.forRoot({ validate })` does): a bad environment is a ConfigValidationError thrown by
 * Nest's start-up, never an exit or an unhandled rejection at import time. The values are the
 * ConfigService's own, so no provider can read them before they are validated. `runService` checks
 * the same schema before it creates the app and reports a bad environment as not ready.
 */
@Module({})
export class ServiceConfigModule {
  static forRoot(schema: z.ZodType): DynamicModule {
    return {
      module: ServiceConfigModule,
      global: true,
      providers: [
        {
          provide: ConfigService,
          useFactory: () => new ConfigService(parseEnv(schema, process.env) as Record<string, unknown>),
        },
      ],
      exports: [ConfigService],
    };
  }
}
