import { approvalReminder, blastRadiusNotices, decisionEvent, offerMessage, receiptMessage, requestCard, type RequestView } from '../../../../src/approvals/approval-messages.js';
import type { ApprovalItem, ApprovalKind, ApprovalPayload, StoredApproval } from '../../../../src/approvals/approval-request.js';
import type { AttestedFacts } from '../../../../src/attestation/tick-state.js';
import { decideDigest, type DigestPlan, type DigestSnapshot } from '../../../../src/digest/decide-digest.js';
import type { DigestFigures } from '../../../../src/digest/digest-figures.js';
import {
  credentialWarningMessages,
  escalationMessages,
  ownerLeftMessages,
  promptMessages,
  reminderMessages,
  personAddressee,
  teamChannelAddressee,
  teamQueueMessages,
  unownedQueueMessages,
  type ItemRef,
} from '../../../../src/messages/attestation-messages.js';
import { withResolved, type MessageKind, type OutgoingMessage } from '../../../../src/messages/outgoing-message.js';
import type { ItemSummary } from '../../../../src/model/index.js';
import type { MyItems, PendingAttestation, PendingDecision } from '../../../../src/queries/my-items.js';
import { storedApproval } from '../../../support/approval-fixtures.js';

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

export const lena = { id: 3, email: 'lena@acme.example', displayName: 'Lena', active: true };
export const zed = { id: 4, email: 'zed@acme.example', displayName: null, active: true };

export function anApprovalItem(overrides: Partial<ApprovalItem> = {}): ApprovalItem {
  return {
    id: 21,
    kind: 'identity',
    ref: 'ci-deployer',
    name: 'CI deployer',
    sensitivity: 'restricted',
    exposure: 'internal',
    identityKind: 'token',
    status: 'active',
    lifecycle: null,
    scopes: ['contents:read'],
    revocationPath: null,
    recoveryProcedure: 'https://runbooks.acme.example/rotate?key=ci&env=prod',
    owner: { team: payments, accountable: ana, backup: ben },
    approver: null,
    vanished: false,
    ...overrides,
  };
}

const payloads: Readonly<Record<ApprovalKind, ApprovalPayload>> = {
  scope_change: { kind: 'scope_change', scopes: ['contents:read', 'contents:write'], previous: ['contents:read'] },
  rotation: { kind: 'rotation', trigger: 'expiry_warning' },
  decommission: { kind: 'decommission' },
  ownership_transfer: { kind: 'ownership_transfer', toPersonId: ben.id, to: ben.email, toTeamId: payments.id, toTeam: payments.slug, fromPersonId: ana.id, from: ana.email, fromTeam: payments.slug },
  exception: { kind: 'exception', until: '2026-12-01T00:00:00.000Z', what: 'extend_due' },
};

/** A request as the core's messages show it: `kind` of ci-deployer, asked by Ana, for Lena and Zed to approve. */
export function aRequestView(kind: ApprovalKind = 'scope_change', overrides: Partial<RequestView> = {}): RequestView {
  return {
    id: 12,
    kind,
    item: anApprovalItem(),
    requester: ana,
    requestedAt: at,
    justification: 'Deploys now publish <artefacts> & tags',
    payload: payloads[kind],
    approvers: [lena, zed],
    needed: 2,
    why: 'lena@acme.example decides as the owning team’s lead. A second approval is needed for restricted data.',
    dependents: kind === 'decommission' ? [{ kind: 'api', ref: 'orders-api', name: 'Orders', how: 'depends on it', accountable: ben, team: 'ledger' }] : [],
    ...overrides,
  };
}

/** A pending request as the store holds it (what a decision modal is opened with). */
export function aStoredApproval(kind: ApprovalKind = 'scope_change', overrides: Partial<StoredApproval> = {}): StoredApproval {
  const view = aRequestView(kind);
  return storedApproval({
    id: view.id,
    kind,
    item: view.item,
    requester: view.requester,
    requestedAt: view.requestedAt,
    justification: view.justification,
    payload: view.payload,
    approvers: view.approvers,
    needed: view.needed,
    offer: kind === 'ownership_transfer' ? 'offered' : null,
    policyVersion: 'p1',
    ...overrides,
  });
}

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
    credential_warning: first(credentialWarningMessages(personAddressee(ana), at, [{ item: anIdentity(3), what: 'expires on 2026-12-08', rotation: 'expiry_warning' }])),
    unowned_queue: first(unownedQueueMessages('#sec', at, [{ item: anApi(4), why: 'nobody is accountable' }, { item: anIdentity(8), why: 'its owner left' }])),
    team_queue: first(teamQueueMessages(payments, at, [{ item: anApi(9), why: 'no named person' }])),
    owner_left: first(ownerLeftMessages({ kind: 'person', personId: 2, email: ben.email, displayName: null }, ana, [anApi(1), anIdentity(2)])),
    // The core has no builder for receipts yet: one as the model allows, every item resolved.
    answer_receipt: { ...withResolved(prompt, 'attestation:100', 'Confirmed by ana@acme.example on 2026-11-09'), kind: 'answer_receipt', title: 'Your answer' },
    approval_request: requestCard(aRequestView(), teamChannelAddressee(payments)).message,
    approval_reminder: approvalReminder(aRequestView(), personAddressee(lena), 'r1', at, true).message,
    approval_receipt: receiptMessage(aRequestView(), 'approved', 'Approved by lena@acme.example on 2026-11-09.').message,
    approval_notice: first(blastRadiusNotices(aRequestView('decommission'))),
    transfer_offer: offerMessage(aRequestView('ownership_transfer', { approvers: [], needed: 0 }), ben).message,
    approval_decision: decisionEvent(aRequestView(), { status: 'approved', at, decidedBy: [lena.email, zed.email], reason: null, policyVersion: 'p1' }).message,
    digest: aDigest().message.message,
  };
}

/** A week's figures: 1,310 items, most of them accounted for; `week` moves coverage up and overdue down a little. */
export function digestFigures(week = 0, overrides: Partial<DigestFigures> = {}): DigestFigures {
  return {
    coverage: { apis: { total: 310, owned: 290 + week, accountable: 270 + week }, identities: { total: 1_000, owned: 930 + week, accountable: 880 + 2 * week } },
    attestations: { since: '2026-11-30T09:00:00.000Z', answered: 120, onTime: 101, expired: 4, overdue: Math.max(0, 40 - 3 * week), overdueByTeam: [{ team: 'payments', count: 12 }, { team: 'ledger', count: 5 }, { team: null, count: 1 }] },
    unowned: { waiting: 9, oldestSince: '2026-10-01T09:00:00.000Z' },
    credentials: { expiringIn7Days: 3, expiringIn30Days: 11, pastLifetime: 2, stale: 17, vanished: 1 },
    approvals: { pending: 4, byAge: { underTwoDays: 1, twoToSevenDays: 2, overSevenDays: 1 }, oldestSince: '2026-11-20T09:00:00.000Z' },
    snoozes: { active: 2, endingFirst: [{ ref: 'ci-token-3', until: '2026-12-20T00:00:00.000Z' }] },
    exceptions: { active: 1, endingFirst: [{ ref: 'payments-api', until: '2027-01-31T00:00:00.000Z', rule: 'revocation_path' }] },
    undeliverable: 0,
    ...overrides,
  };
}

export const digestAt = '2026-12-07T08:00:00.000Z';
export const digestHeadHash = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';

/**
 * The security digest the core makes at `digestAt` (Mon 7 Dec 2026, 09:00 in Paris) after `previous` weekly ones,
 * by the core's own decision: the first digest (no changes) by default.
 */
export function aDigest(previous = 0, figures: DigestFigures = digestFigures(previous), channel: string | null = '#sec-ownership'): DigestPlan {
  const week = 7 * 86_400_000;
  const before: DigestSnapshot[] = Array.from({ length: previous }, (_, i) => ({ at: new Date(Date.parse(digestAt) - (i + 1) * week).toISOString(), figures: digestFigures(previous - i - 1) }));
  return decideDigest({
    now: digestAt,
    timezone: 'Europe/Paris',
    scope: { kind: 'security', channel, digestChannel: null },
    scheduledAt: digestAt,
    figures,
    previous: before,
    anchor: { events: 1_234, headHash: digestHeadHash },
    staleAfterDays: 90,
  });
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

/** A request waiting for the person's decision, as `myItems` gives it: #id, a scope change of ci-deployer asked by Ben, for them to approve. */
export function aDecision(requestId: number, overrides: Partial<PendingDecision> = {}): PendingDecision {
  return { requestId, kind: 'scope_change', itemKind: 'identity', ref: 'ci-deployer', requestedBy: ben.email, requestedAt: '2026-11-09T09:00:00.000Z', as: 'approver', ...overrides };
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
