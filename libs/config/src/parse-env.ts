import { z } from 'zod';
import { ConfigValidationError } from './config-validation.error';

/**
 * Validates raw environment variables against an app's schema.
 * Every problem is reported at once, each naming its variable, so one restart fixes them all.
 */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, env: Record<string, unknown>): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const isMissing = issue.path.length > 0 && env[String(issue.path[0])] === undefined;
    return `${variable}: ${isMissing ? 'is required but not set' : issue.message}`;
  });
  throw new ConfigValidationError(problems);
}
