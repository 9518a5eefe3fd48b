import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { z } from 'zod';
import { ConfigValidationError } from './config-validation.error';
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
      validate: (env) => validateOrExit(schema, env),
    });
  }
}

/**
 * @nestjs/config validates while the app module is being imported, before Nest or any logger is up:
 * a bad environment ends the process here with one line per problem and no stack trace.
 */
function validateOrExit(schema: z.ZodType, env: Record<string, unknown>): Record<string, unknown> {
  try {
    return parseEnv(schema, env) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
