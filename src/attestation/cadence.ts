import type { Exposure, IdentityKind, Sensitivity } from '../model/vocabulary.js';
import type { Policy } from '../policy/policy.js';
import { addDays, dayMs } from './days.js';

/** What the cadence depends on: an API's risk, or an identity's kind, breadth and lifetime. */
export type RiskFacts =
  | { readonly kind: 'api'; readonly sensitivity: Sensitivity | null; readonly exposure: Exposure | null }
  | {
      readonly kind: 'identity';
      readonly identityKind: IdentityKind;
      readonly scopes: readonly string[];
      readonly createdAt: string | null;
      readonly expiresAt: string | null;
    };

/** The risk facts of an item as the tick sees it. */
export function riskOf(item: {
  readonly kind: 'api' | 'identity';
  readonly sensitivity: Sensitivity | null;
  readonly exposure: Exposure | null;
  readonly identityKind: IdentityKind | null;
  readonly scopes: readonly string[];
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
}): RiskFacts {
  if (item.kind === 'api' || item.identityKind === null) return { kind: 'api', sensitivity: item.sensitivity, exposure: item.exposure };
  return { kind: 'identity', identityKind: item.identityKind, scopes: item.scopes, createdAt: item.createdAt, expiresAt: item.expiresAt };
}

/** True when an identity's scopes are many, or any of them is a wildcard or an admin role. */
export function hasBroadScopes(scopes: readonly string[], policy: Policy): boolean {
  const { moreThan, patterns } = policy.attestation.broadScopes;
  if (scopes.length > moreThan) return true;
  return scopes.some((scope) => patterns.some((pattern) => scope.toLowerCase().includes(pattern.toLowerCase())));
}

/** True when a credential lives longer than the policy allows for its kind, or never expires. */
export function isLongLived(facts: Extract<RiskFacts, { kind: 'identity' }>, policy: Policy): boolean {
  if (facts.expiresAt === null) return true;
  if (facts.createdAt === null) return false;
  return (Date.parse(facts.expiresAt) - Date.parse(facts.createdAt)) / dayMs > policy.credentials.maxLifetimeDays[facts.identityKind];
}

/**
 * Days between attestations (DESIGN.md "Policy as code"). An API takes the shorter of its sensitivity's and its
 * exposure's cadence (restricted or public-facing: monthly by default). An identity starts from its kind's
 * cadence, halved for broad scopes (OWASP NHI5) and halved again when it is long-lived (NHI7), never under a day.
 */
export function cadenceDays(facts: RiskFacts, policy: Policy): number {
  const cadence = policy.attestation.cadenceDays;
  if (facts.kind === 'api') {
    const candidates = [
      facts.sensitivity === null ? undefined : cadence.sensitivity[facts.sensitivity],
      facts.exposure === null ? undefined : cadence.exposure[facts.exposure],
    ].filter((d): d is number => d !== undefined);
    return candidates.length === 0 ? cadence.unclassified : Math.min(...candidates);
  }
  let days = cadence.identityKind[facts.identityKind];
  if (hasBroadScopes(facts.scopes, policy)) days /= 2;
  if (isLongLived(facts, policy)) days /= 2;
  return Math.max(1, Math.floor(days));
}

/**
 * When a new item is first asked about: within `firstWithinDays` of its arrival, spread by its id so that a
 * large import does not put every owner's whole inventory in front of them on the same morning.
 */
export function firstAttestationAt(itemId: number, firstSeenAt: string, policy: Policy): string {
  const window = policy.attestation.firstWithinDays;
  if (window === 0) return firstSeenAt;
  // Knuth's multiplicative hash spreads consecutive ids across the window.
  const spread = ((Math.imul(itemId, 2654435761) >>> 0) % (window * 24)) / 24;
  return addDays(firstSeenAt, spread);
}
