import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { z } from 'zod';
import { parseEnv } from './parse-env';

/**
 * The one place an app reads its environment: validated once at boot against the app's schema,
 * then injected as `ConfigService<AppEnv, true>` everywhere else.
 */
export class ServiceConfigModule {
  static forRoot(schema: z.ZodType): Promise<DynamicModule> {
    return ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      cache: true,
      validate: (env) => parseEnv(schema, env) as Record<string, unknown>,
    });
  }
}
