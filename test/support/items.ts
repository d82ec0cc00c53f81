import type { Api, Identity, ItemDetail, ItemSummary, PersonSummary, TeamSummary } from '../../src/model/index.js';

/** Small factories for the read model, for rendering tests: every field set, overridable. */

export function aPerson(email: string, displayName: string | null = null, active = true): PersonSummary {
  return { email, displayName, active };
}

export function aTeam(slug: string, overrides: Partial<TeamSummary> = {}): TeamSummary {
  return { slug, name: slug, lead: null, channel: null, ...overrides };
}

const provenance = {
  source: 'backstage:catalog.yaml',
  sourceKey: 'api:default/payments-api',
  firstSeenAt: '2026-10-01T09:00:00.000Z',
  lastSeenAt: '2026-11-01T09:00:00.000Z',
  vanishedAt: null,
};

export function anApi(overrides: Partial<Api> = {}): Api {
  return {
    kind: 'api',
    ref: 'payments-api',
    name: 'Payments API',
    purpose: 'Takes card payments',
    owner: { team: aTeam('payments'), accountable: aPerson('alice@example.com', 'Alice'), backup: null, approver: null, since: '2026-10-01T09:00:00.000Z' },
    provenance,
    sensitivity: 'restricted',
    exposure: 'public',
    authMethod: 'OAuth 2.0',
    revocationPath: 'https://runbooks.example/revoke',
    lifecycle: 'production',
    system: null,
    codePath: null,
    ...overrides,
  };
}

export function anIdentity(overrides: Partial<Identity> = {}): Identity {
  return {
    kind: 'identity',
    ref: 'ci-deploy-token',
    name: 'CI deploy token',
    purpose: 'Deploys the checkout service',
    owner: { team: aTeam('payments'), accountable: aPerson('alice@example.com', 'Alice'), backup: null, approver: null, since: '2026-10-01T09:00:00.000Z' },
    provenance: { ...provenance, source: 'csv:identities.csv', sourceKey: 'ci-deploy-token' },
    identityKind: 'token',
    provider: 'github',
    scopes: ['contents:read'],
    createdAt: '2026-09-01T00:00:00.000Z',
    expiresAt: '2026-12-01T00:00:00.000Z',
    lastRotatedAt: null,
    lastUsedAt: null,
    lastUsedService: null,
    recoveryProcedure: null,
    status: 'active',
    ...overrides,
  };
}

export function detailOf(item: Api | Identity, overrides: Partial<Omit<ItemDetail, 'item'>> = {}): ItemDetail {
  return { item, links: [], history: [], suggestions: [], lastAttestation: null, ...overrides };
}

export function aSummary(ref: string, overrides: Partial<ItemSummary> = {}): ItemSummary {
  return { kind: 'api', ref, name: ref, team: null, accountable: null, expiresAt: null, vanished: false, ...overrides };
}
