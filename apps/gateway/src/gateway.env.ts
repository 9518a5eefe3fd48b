import { commonEnv, httpEnv, kafkaEnv } from '@orderflow/config';
import { z } from 'zod';
import { ASYMMETRIC_ALGORITHMS } from './auth/token-claims';

const algorithmList = z
  .string()
  .transform((value) => value.split(',').map((algorithm) => algorithm.trim()))
  .pipe(z.array(z.enum(ASYMMETRIC_ALGORITHMS, 'must list asymmetric JWS algorithms only, e.g. RS256,ES256')).min(1));

/** The gateway is stateless: Kafka and HTTP only, no database. */
export const gatewayEnvSchema = z.object({
  ...commonEnv,
  ...kafkaEnv,
  HTTP_PORT: httpEnv.HTTP_PORT.default(3000),
  MANAGEMENT_PORT: httpEnv.MANAGEMENT_PORT.default(4000),
  /**
   * Requests one principal (a client address when anonymous) may make per minute on one instance, the
   * probes not counted. A ceiling against a runaway client rather than a quota: the saga benchmark sends
   * a few hundred orders per second from one principal.
   */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60_000),
  /**
   * The OpenID Connect issuer whose bearer tokens the gateway accepts; its keys are found by discovery
   * (`<issuer>/.well-known/openid-configuration`). The default is the local provider of `npm start`.
   */
  OIDC_ISSUER_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3100'),
  /** The `aud` an access token must name: this API's identifier at the issuer. */
  OIDC_AUDIENCE: z.string().min(1).default('urn:orderflow:api'),
  /** The claim holding a user's roles (`operator`, `customer`); a dotted path reaches into objects (Keycloak). */
  OIDC_ROLES_CLAIM: z.string().min(1).default('roles'),
  /** The claim binding a customer user to their Orderflow customer id. */
  OIDC_CUSTOMER_ID_CLAIM: z.string().min(1).default('customer_id'),
  /** The dashboard's client at the issuer: a public client (PKCE) redirecting to `<gateway>/dashboard`. */
  DASHBOARD_CLIENT_ID: z.string().min(1).default('orderflow-dashboard'),
  /** The signature algorithms accepted: asymmetric ones only, so no shared secret can sign a token. */
  OIDC_ALGORITHMS: algorithmList.default(['RS256', 'PS256', 'ES256', 'EdDSA']),
});

export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
