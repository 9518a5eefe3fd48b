import { BearerChallengeError } from './bearer-challenge';
import type { Principal } from './principal';

/**
 * Ownership, for the routes customers may use: a customer acts as themselves only; operators and
 * machine clients (whose route rules already hold) act for any customer.
 */
export function mayActFor(principal: Principal, customerId: string): boolean {
  return principal.kind !== 'customer' || principal.customerId === customerId;
}

/** Refuses (403) a request made in another customer's name; asking reveals nothing, as no lookup ran. */
export function assertActsFor(principal: Principal, customerId: string): void {
  if (!mayActFor(principal, customerId)) {
    throw BearerChallengeError.insufficientScope('a customer may act only as themselves');
  }
}

/** The customer a listing is limited to: a customer's own, whatever was asked (another's is refused). */
export function customerScopeOf(principal: Principal, requested: string | undefined): string | undefined {
  if (principal.kind !== 'customer') return requested;
  if (requested !== undefined) assertActsFor(principal, requested);
  return principal.customerId;
}
