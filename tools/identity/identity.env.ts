import { z } from 'zod';

/** The local provider's settings; `npm start` and the e2e setup pass the port and the audience. */
export const identityEnvSchema = z.object({
  HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(3100),
  /** The issuer as callers reach it; defaults to this process on the loopback address. */
  OIDC_ISSUER_URL: z.url().optional(),
  /** The API that access tokens are for (a resource indicator, the tokens' `aud`). */
  OIDC_AUDIENCE: z.string().min(1).default('urn:orderflow:api'),
  IDENTITY_SEED_FILE: z.string().min(1).default('tools/identity/seed.json'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
});

export type IdentityEnv = z.infer<typeof identityEnvSchema>;
