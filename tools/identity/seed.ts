import { readFileSync } from 'node:fs';
import { z } from 'zod';

const user = z.object({
  username: z.string().regex(/^[a-z0-9._-]+$/),
  password: z.string().min(8),
  name: z.string().min(1),
  roles: z.array(z.enum(['customer', 'operator'])).min(1),
  /** A customer's own account at Orderflow, issued as the `customer_id` claim. */
  customerId: z.string().min(1).optional(),
});

const publicClient = z.object({
  clientId: z.string().min(1),
  kind: z.literal('public'),
  redirectUris: z.array(z.url()).min(1),
});

const machineClient = z.object({
  clientId: z.string().min(1),
  kind: z.literal('machine'),
  secret: z.string().min(16),
  scopes: z.array(z.string().regex(/^[a-z]+:[a-z]+$/)).min(1),
});

const seedSchema = z
  .object({
    users: z.array(user),
    clients: z.array(z.discriminatedUnion('kind', [publicClient, machineClient])),
  })
  .refine((seed) => seed.users.every((u) => u.roles.includes('customer') === (u.customerId !== undefined)), {
    message: 'a user has a customerId exactly when it has the customer role',
  });

export type SeedUser = z.infer<typeof user>;
export type IdentitySeed = z.infer<typeof seedSchema>;

/** The development users and clients; a bad file stops the provider with the zod error naming the field. */
export function loadSeed(path: string): IdentitySeed {
  return seedSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** Every scope a machine client may ask for: the API's scopes as far as this provider knows them. */
export function apiScopes(seed: IdentitySeed): string[] {
  const scopes = seed.clients.flatMap((client) => (client.kind === 'machine' ? client.scopes : []));
  return [...new Set(scopes)].sort();
}
