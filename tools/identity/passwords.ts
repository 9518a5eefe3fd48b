import { createHash, timingSafeEqual } from 'node:crypto';
import type { SeedUser } from './seed';

/**
 * The seed's development passwords are compared in constant time over fixed-length digests, so neither
 * the time nor the length of a wrong guess tells anything. Production users never live here.
 */
export function passwordMatches(user: SeedUser, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(user.password), digest(given));
}
