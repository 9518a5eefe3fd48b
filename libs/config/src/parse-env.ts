import { z } from 'zod';
import { ConfigProblem, ConfigValidationError } from './config-validation.error';
import { kafkaCredentialProblems, KafkaCredentialsValues } from './env-schemas';

/**
 * Validates raw environment variables against an app's schema.
 * Every problem is reported at once, each naming its variable, so one restart fixes them all.
 */
export function parseEnv<Schema extends z.ZodType>(schema: Schema, env: Record<string, unknown>): z.infer<Schema> {
  const check = checkEnvironment(schema, env);
  if (check.ok) return check.values;
  throw new ConfigValidationError(check.problems);
}

export type EnvironmentCheck<Schema extends z.ZodType> =
  { ok: true; values: z.infer<Schema> } | { ok: false; problems: ConfigProblem[] };

/** The environment read with an app's schema: its values, or everything that is wrong with it. */
export function checkEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  env: Record<string, unknown> = process.env,
): EnvironmentCheck<Schema> {
  const result = schema.safeParse(env);
  if (!result.success) return { ok: false, problems: problemsOf(result.error, env) };
  const problems = crossVariableProblems(result.data);
  return problems.length === 0 ? { ok: true, values: result.data } : { ok: false, problems };
}

/** Rules between variables, which no single variable's schema can check. */
function crossVariableProblems(values: unknown): ConfigProblem[] {
  if (typeof values !== 'object' || values === null) return [];
  return kafkaCredentialProblems(values as KafkaCredentialsValues);
}

/** What is wrong with the environment for an app's schema: nothing when it is valid. */
export function environmentProblems(schema: z.ZodType, env: Record<string, unknown> = process.env): ConfigProblem[] {
  const check = checkEnvironment(schema, env);
  return check.ok ? [] : check.problems;
}

function problemsOf(error: z.ZodError, env: Record<string, unknown>): ConfigProblem[] {
  return error.issues.map((issue) => {
    const isMissing = issue.path.length > 0 && env[String(issue.path[0])] === undefined;
    return {
      variable: issue.path.join('.') || '(environment)',
      problem: isMissing ? 'is required but not set' : issue.message,
    };
  });
}
