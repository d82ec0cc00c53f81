import { describe, expect, it } from 'vitest';
import { cadenceDays, firstAttestationAt, hasBroadScopes, isLongLived, riskOf, type RiskFacts } from '../../../src/attestation/cadence.js';
import type { Exposure, IdentityKind, Sensitivity } from '../../../src/model/vocabulary.js';
import { defaultPolicy, Policy } from '../../../src/policy/policy.js';

const api = (sensitivity: Sensitivity | null, exposure: Exposure | null): RiskFacts => ({ kind: 'api', sensitivity, exposure });

/** An identity with narrow scopes and a lifetime well inside every kind's maximum, unless overridden. */
const identity = (identityKind: IdentityKind, overrides: Partial<Extract<RiskFacts, { kind: 'identity' }>> = {}): RiskFacts => ({
  kind: 'identity',
  identityKind,
  scopes: ['s3:GetObject'],
  createdAt: '2026-10-01T00:00:00.000Z',
  expiresAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

describe('cadence: APIs by data sensitivity × exposure (the shorter wins)', () => {
  it.each<[Sensitivity | null, Exposure | null, number]>([
    ['restricted', 'internal', 30],
    ['restricted', 'public', 30],
    ['confidential', 'internal', 90],
    ['confidential', 'partner', 90],
    ['confidential', 'public', 30],
    ['internal', 'internal', 180],
    ['internal', 'partner', 90],
    ['internal', 'public', 30],
    ['public', 'internal', 180],
    ['public', 'partner', 90],
    ['public', null, 365],
    [null, 'internal', 180],
    [null, 'public', 30],
    ['restricted', null, 30],
    [null, null, 90],
  ])('when sensitivity is %s and exposure %s, then every %i days', (sensitivity, exposure, days) => {
    expect(cadenceDays(api(sensitivity, exposure), defaultPolicy)).toBe(days);
  });

  it('when the policy changes a cadence, then the API follows it', () => {
    const policy = Policy.parse({ attestation: { cadenceDays: { sensitivity: { restricted: 14 }, unclassified: 60 } } });
    expect(cadenceDays(api('restricted', 'internal'), policy)).toBe(14);
    expect(cadenceDays(api(null, null), policy)).toBe(60);
  });
});

describe('cadence: identities by kind, halved for broad scopes and again for long lives', () => {
  it.each<[IdentityKind, number]>([
    ['service_account', 90],
    ['oauth_client', 90],
    ['api_key', 30],
    ['token', 30],
    ['certificate', 180],
    ['ssh_key', 90],
    ['workload_identity', 180],
  ])('when a %s has narrow scopes and a short life, then every %i days', (kind, days) => {
    expect(cadenceDays(identity(kind), defaultPolicy)).toBe(days);
  });

  it.each<[string, readonly string[], number]>([
    ['a wildcard', ['s3:*'], 45],
    ['an admin role, in any case', ['roles/Admin'], 45],
    ['an owner role', ['roles/owner'], 45],
    ['root', ['root'], 45],
    ['more than ten scopes', Array.from({ length: 11 }, (_, i) => `scope-${i}`), 45],
    ['exactly ten narrow scopes', Array.from({ length: 10 }, (_, i) => `scope-${i}`), 90],
    ['no scopes', [], 90],
  ])('when a service account has %s (%j), then every %i days', (_, scopes, days) => {
    expect(cadenceDays(identity('service_account', { scopes }), defaultPolicy)).toBe(days);
  });

  it.each<[string, string | null, string | null, number]>([
    ['never expires', '2026-10-01T00:00:00.000Z', null, 45],
    ['never expires and its creation is unknown', null, null, 45],
    ['lives longer than the kind allows (731 of 730 days)', '2025-01-01T00:00:00.000Z', '2027-01-02T00:00:00.000Z', 45],
    ['lives exactly as long as the kind allows', '2025-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 90],
    ['has an expiry but no known creation', null, '2030-01-01T00:00:00.000Z', 90],
  ])('when a service account %s (created %s, expires %s), then every %i days', (_, createdAt, expiresAt, days) => {
    expect(cadenceDays(identity('service_account', { createdAt, expiresAt }), defaultPolicy)).toBe(days);
  });

  it('when an identity is both broad and long-lived, then it is asked four times as often, rounded down', () => {
    expect(cadenceDays(identity('service_account', { scopes: ['*'], expiresAt: null }), defaultPolicy)).toBe(22);
    expect(cadenceDays(identity('api_key', { scopes: ['*'], expiresAt: null }), defaultPolicy)).toBe(7);
  });

  it('when halving would go under a day, then the cadence is one day', () => {
    const policy = Policy.parse({ attestation: { cadenceDays: { identityKind: { token: 1 } } } });
    expect(cadenceDays(identity('token', { scopes: ['*'], expiresAt: null }), policy)).toBe(1);
  });

  it('when the policy names other broad patterns or another limit, then they decide breadth', () => {
    const policy = Policy.parse({ attestation: { broadScopes: { moreThan: 2, patterns: ['write'] } } });
    expect(hasBroadScopes(['repo:read'], policy)).toBe(false);
    expect(hasBroadScopes(['repo:WRITE'], policy)).toBe(true);
    expect(hasBroadScopes(['a', 'b', 'c'], policy)).toBe(true);
    expect(hasBroadScopes(['*'], policy)).toBe(false);
  });

  it('when an identity expires within its kind’s lifetime, then it is not long-lived', () => {
    expect(isLongLived({ kind: 'identity', identityKind: 'token', scopes: [], createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-03-01T00:00:00.000Z' }, defaultPolicy)).toBe(false);
    expect(isLongLived({ kind: 'identity', identityKind: 'token', scopes: [], createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-06-01T00:00:00.000Z' }, defaultPolicy)).toBe(true);
  });
});

describe('cadence: the risk facts of a stored item', () => {
  const base = { sensitivity: null, exposure: null, identityKind: null, scopes: [], createdAt: null, expiresAt: null };

  it('when the item is an API, then its sensitivity and exposure count', () => {
    expect(riskOf({ ...base, kind: 'api', sensitivity: 'restricted', exposure: 'partner' })).toEqual(api('restricted', 'partner'));
  });

  it('when the item is an identity, then its kind, scopes and lifetime count', () => {
    expect(riskOf({ ...base, kind: 'identity', identityKind: 'token', scopes: ['a'], createdAt: 'c', expiresAt: 'e' })).toEqual({
      kind: 'identity',
      identityKind: 'token',
      scopes: ['a'],
      createdAt: 'c',
      expiresAt: 'e',
    });
  });
});

describe('cadence: a new item’s first attestation is spread over the first days', () => {
  const importedAt = '2026-11-02T09:00:00.000Z';
  const window = defaultPolicy.attestation.firstWithinDays;
  const ids = Array.from({ length: 1000 }, (_, i) => i + 1);
  const days = ids.map((id) => (Date.parse(firstAttestationAt(id, importedAt, defaultPolicy)) - Date.parse(importedAt)) / 86_400_000);

  it('when a thousand items arrive together, then each is first asked within firstWithinDays of arriving', () => {
    expect(Math.min(...days)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...days)).toBeLessThan(window);
  });

  it('when a thousand items arrive together, then every day of the window gets a share, none more than twice its due', () => {
    const perDay = Array.from({ length: window }, (_, d) => days.filter((x) => Math.floor(x) === d).length);
    for (const count of perDay) expect(count).toBeGreaterThan(1000 / window / 2);
    for (const count of perDay) expect(count).toBeLessThan((2 * 1000) / window);
  });

  it('when asked twice about the same item, then the answer is the same (the spread is by id, not by chance)', () => {
    expect(firstAttestationAt(42, importedAt, defaultPolicy)).toBe(firstAttestationAt(42, importedAt, defaultPolicy));
  });

  it('when the policy allows one day, then every item is first asked within that day', () => {
    const policy = Policy.parse({ attestation: { firstWithinDays: 1 } });
    for (const id of ids.slice(0, 100)) {
      const at = firstAttestationAt(id, importedAt, policy);
      expect(at >= importedAt && at < '2026-11-03T09:00:00.000Z').toBe(true);
    }
  });
});

describe('firstAttestationAt, when the policy asks at once (firstWithinDays: 0)', () => {
  it('when items arrive, then each is first asked the moment it arrives', () => {
    const policy = Policy.parse({ attestation: { firstWithinDays: 0 } });

    expect([1, 2, 977].map((id) => firstAttestationAt(id, '2027-01-05T09:00:00.000Z', policy))).toEqual(Array(3).fill('2027-01-05T09:00:00.000Z'));
  });
});
