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
    return `${variable}: ${describeIssue(issue)}`;
  });
  throw new ConfigValidationError(problems);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required but not set';
  return issue.message;
}
