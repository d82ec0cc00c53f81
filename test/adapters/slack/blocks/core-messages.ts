import type { AttestedFacts } from '../../../../src/attestation/tick-state.js';
import {
  credentialWarningMessages,
  escalationMessages,
  ownerLeftMessages,
  promptMessages,
  reminderMessages,
  securityAddressee,
  teamQueueMessages,
  unownedQueueMessages,
  type ItemRef,
} from '../../../../src/messages/attestation-messages.js';
import { withResolved, type MessageKind, type OutgoingMessage } from '../../../../src/messages/outgoing-message.js';
import type { ItemSummary } from '../../../../src/model/index.js';
import type { MyItems, PendingAttestation } from '../../../../src/queries/my-items.js';

/** Core messages of every kind, built by the core's own builders, for rendering tests. */

export const ana = { id: 1, email: 'ana@acme.example', displayName: 'Ana Lima', active: true };
export const ben = { id: 2, email: 'ben@acme.example', displayName: null, active: true };
export const payments = { id: 7, slug: 'payments', channel: '#payments', lead: ben };
export const at = '2026-11-09T09:00:00.000Z';

export const identityFacts = (overrides: Partial<AttestedFacts> = {}): AttestedFacts => ({
  purpose: 'Deploys the checkout service',
  scopes: ['contents:read', 'deployments:write'],
  expiresAt: '2027-01-31T00:00:00.000Z',
  recoveryProcedure: 'https://runbooks.acme.example/rotate?key=ci&env=prod',
  lastUsedAt: '2026-11-01T10:00:00.000Z',
  linked: ['calls api payments-api'],
  ...overrides,
});

export const apiFacts = (overrides: Partial<AttestedFacts> = {}): AttestedFacts => ({
  purpose: 'Takes card payments',
  sensitivity: 'restricted',
  exposure: 'public',
  revocationPath: 'Rotate the gateway key, then <redeploy> & tell #payments',
  linked: [],
  ...overrides,
});

export function anIdentity(id: number, overrides: Partial<ItemRef> = {}): ItemRef {
  return { id, kind: 'identity', ref: `ci-token-${id}`, name: `CI token ${id}`, facts: identityFacts(), ...overrides };
}

export function anApi(id: number, overrides: Partial<ItemRef> = {}): ItemRef {
  return { id, kind: 'api', ref: `api-${id}`, name: `API ${id}`, facts: apiFacts(), ...overrides };
}

export const prompts = (n: number, item: (i: number) => ItemRef = (i) => (i % 2 === 0 ? anIdentity(i) : anApi(i))) =>
  Array.from({ length: n }, (_, i) => ({ attestationId: 100 + i, item: item(i + 1), reason: 'scheduled' as const }));

/** One message of each kind the core sends, with buttons wherever the core gives them. */
export function oneOfEachKind(): Record<MessageKind, OutgoingMessage> {
  const first = <T extends { message: OutgoingMessage }>(planned: readonly T[]): OutgoingMessage => {
    const message = planned[0]?.message;
    if (!message) throw new Error('the core planned no message');
    return message;
  };
  const escalated = (attestationId: number, canAnswer: boolean) => ({
    attestationId,
    item: anApi(attestationId),
    owner: { team: payments, accountable: ana, backup: ben },
    asked: ana,
    openedAt: '2026-11-02T09:00:00.000Z',
    canAnswer,
  });
  const prompt = first(promptMessages(ana, prompts(3)));
  return {
    attestation_prompt: prompt,
    reminder: first(reminderMessages(ana, at, [{ attestationId: 5, item: anIdentity(5), dueAt: '2026-11-16T09:00:00.000Z' }, { attestationId: 6, item: anApi(6), dueAt: '2026-11-17T09:00:00.000Z' }])),
    escalation: first(escalationMessages({ kind: 'person', personId: 2, email: ben.email, displayName: null }, 1, [escalated(1, true), escalated(2, true)])),
    credential_warning: first(credentialWarningMessages(securityAddressee('#sec'), at, [{ item: anIdentity(3), what: 'expires on 2026-12-08' }])),
    unowned_queue: first(unownedQueueMessages('#sec', at, [{ item: anApi(4), why: 'nobody is accountable' }, { item: anIdentity(8), why: 'its owner left' }])),
    team_queue: first(teamQueueMessages(payments, at, [{ item: anApi(9), why: 'no named person' }])),
    owner_left: first(ownerLeftMessages({ kind: 'person', personId: 2, email: ben.email, displayName: null }, ana, [anApi(1), anIdentity(2)])),
    // The core has no builder for receipts yet: one as the model allows, every item resolved.
    answer_receipt: { ...withResolved(prompt, 'attestation:100', 'Confirmed by ana@acme.example on 2026-11-09'), kind: 'answer_receipt', title: 'Your answer' },
  };
}

export function aPending(attestationId: number, overrides: Partial<PendingAttestation> = {}): PendingAttestation {
  const identity = attestationId % 2 === 0;
  return {
    attestationId,
    itemId: attestationId,
    kind: identity ? 'identity' : 'api',
    ref: identity ? `ci-token-${attestationId}` : `api-${attestationId}`,
    name: identity ? `CI token ${attestationId}` : `API ${attestationId}`,
    facts: identity ? identityFacts() : apiFacts(),
    openedAt: '2026-11-02T09:00:00.000Z',
    dueAt: '2026-11-16T09:00:00.000Z',
    asBackup: false,
    ...overrides,
  };
}

export function aSummary(i: number, overrides: Partial<ItemSummary> = {}): ItemSummary {
  return { kind: i % 2 === 0 ? 'identity' : 'api', ref: `item-${i}`, name: `Item ${i}`, team: 'payments', accountable: ana.email, expiresAt: null, vanished: false, ...overrides };
}

export function myItems(pending: number, owned: number, backing: number): MyItems {
  return {
    person: { email: ana.email, displayName: ana.displayName },
    pending: Array.from({ length: pending }, (_, i) => aPending(1000 + i)),
    owned: Array.from({ length: owned }, (_, i) => aSummary(i)),
    backing: Array.from({ length: backing }, (_, i) => aSummary(5000 + i, { accountable: ben.email })),
  };
}
