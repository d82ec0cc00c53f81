import { describe, expect, it } from 'vitest';
import { decideApproval, delegateWork, requestApproval } from '../../src/approvals/approval-commands.js';
import type { DecisionInput } from '../../src/approvals/decision-input.js';
import type { RequestInput } from '../../src/approvals/request-input.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry, personEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { routeOutbox } from '../../src/outbox/dispatch-outbox.js';
import { answer, directoryEntries, importLoop, loopPolicy, ownedBy, plusDays, tick } from '../support/loop.js';
import { itemFactsOf } from './support/approved-state.js';
import { auditEvents, itemOf, openAttestationOf, outbox } from './support/loop-state.js';

/*
 * Requests that no longer stand, and who may not decide them: what an attacker and an operator found. A request is
 * decided about the item as it is now, not as it was asked; nobody approves what they stand to gain by.
 */

const at = '2026-11-02T09:00:00.000Z';
const later = (days: number) => plusDays(at, days);
const policy = loopPolicy({ admins: ['zed@acme.example'] });
const email = (name: string) => `${name}@acme.example`;

const items = (owner = ownedBy('payments', 'ana', 'ben')) => [
  identityEntry({ ref: 'ci-deployer', scopes: ['read'], owner }),
  apiEntry({ ref: 'payments-api', sensitivity: 'internal', exposure: 'internal', owner: ownedBy('payments', 'ana') }),
];

async function seeded(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, at, items());
  return store;
}

async function ask(store: SqliteStore, who: string, ref: string, request: RequestInput, when = at) {
  const itemId = await store.itemIdOf(ref === 'ci-deployer' ? 'identity' : 'api', ref);
  return requestApproval(store, fixedClock(when), policy, { actor: { email: email(who) }, itemId, request });
}

async function decide(store: SqliteStore, who: string, requestId: number, decision: DecisionInput, when = at) {
  return decideApproval(store, fixedClock(when), policy, { actor: { email: email(who) }, requestId, decision });
}

const delegate = (store: SqliteStore, who: string, to: string, options: { forEmail?: string; until?: string } = {}) =>
  delegateWork(store, fixedClock(at), policy, { actor: { email: email(who) }, forEmail: options.forEmail ?? null, toEmail: email(to), delegation: { action: 'start', until: options.until ?? '2026-11-20', reason: null } });

const approve: DecisionInput = { action: 'approve', reason: null, confirmRef: null };
const accept: DecisionInput = { action: 'accept', reason: null };

describe('nobody approves what they stand to gain by', () => {
  it('when the proposed owner stands in for the approver, then they still cannot approve their own transfer', async () => {
    const store = await seeded();
    await ask(store, 'ben', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: 'cy runs CI' });
    expect((await delegate(store, 'lena', 'cy')).result.ok).toBe(true);
    const asDelegate = await decide(store, 'cy', 1, approve);
    expect(asDelegate.result).toMatchObject({ ok: false, code: 'not_approver' });
    await decide(store, 'cy', 1, accept);
    expect(itemOf(store, 'ci-deployer').accountable).toBe(email('ana'));
  });

  it('when an admin sets a delegation for someone else, then it may not name the admin, and the person away is told', async () => {
    const store = await seeded();
    const toSelf = await delegate(store, 'zed', 'zed', { forEmail: email('lena') });
    expect(toSelf.result).toMatchObject({ ok: false, text: expect.stringMatching(/never to themselves/) });
    const toBen = await delegate(store, 'zed', 'ben', { forEmail: email('lena') });
    expect(toBen.result.ok).toBe(true);
    expect(outbox(store).filter((m) => m.kind === 'approval_notice').map((m) => m.to)).toEqual([email('ben'), email('lena')]);
  });

  it('when someone who stands in for another delegates in turn, then it is refused: no chains, in either order', async () => {
    const store = await seeded();
    await delegate(store, 'lena', 'ben');
    const chained = await delegate(store, 'ben', 'cy');
    expect(chained.result).toMatchObject({ ok: false, text: expect.stringMatching(/^ben@acme.example stands in for lena@acme.example until 2026-11-20/) });
    const onwards = await delegate(store, 'cy', 'lena');
    expect(onwards.result).toMatchObject({ ok: false });
  });
});

describe('a request is decided about the item as it is now', () => {
  it('when the owner changed by import after a transfer was offered, then Accept cancels it and nothing changes hands', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: null });
    await importLoop(store, later(1), items(ownedBy('payments', 'ben')));
    const accepted = await decide(store, 'cy', 1, accept, later(2));
    expect(accepted.result).toMatchObject({ ok: true, status: 'cancelled', text: expect.stringMatching(/accountable person changed since it was offered \(ben@acme.example now\)/) });
    expect(itemOf(store, 'ci-deployer').accountable).toBe(email('ben'));
    expect(outbox(store).filter((m) => m.kind === 'approval_decision').map((m) => (m.message.event?.request as { status: string }).status)).toEqual(['cancelled']);
  });

  it('when the proposed owner left before the approval, then the approval cancels it instead of handing the item to a leaver', async () => {
    const store = await seeded();
    await ask(store, 'ben', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: null });
    await decide(store, 'cy', 1, accept);
    const directory = directoryEntries().map((entry) => (entry.type === 'person' && entry.data.email === email('cy') ? personEntry(email('cy'), { active: false }) : entry));
    await importLoop(store, later(1), items(), directory);
    expect((await decide(store, 'lena', 1, approve, later(2))).result).toMatchObject({ ok: true, status: 'cancelled', text: expect.stringMatching(/cy@acme.example has left/) });
    expect(itemOf(store, 'ci-deployer').accountable).toBe(email('ana'));
  });

  it("when an item is retired, then its other pending requests are cancelled at the next tick, and an approval meanwhile applies nothing", async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write admin', justification: 'more' });
    await ask(store, 'ana', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: null });
    await ask(store, 'ana', 'ci-deployer', { kind: 'decommission', justification: 'unused' });
    await decide(store, 'lena', 3, { ...approve, confirmRef: 'ci-deployer' });
    expect((await decide(store, 'lena', 1, approve)).result).toMatchObject({ ok: true, status: 'cancelled' });
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read']);
    const report = await tick(store, policy, later(0.1));
    expect(report.decisions.filter((d) => d.type === 'approval_cancel').map((d) => d.requestId)).toEqual([2]);
    expect(itemOf(store, 'ci-deployer').accountable).toBe(email('ana'));
    expect(auditEvents(store, { action: 'approval.decided' }).map((e) => e.details.status)).toEqual(['approved', 'cancelled', 'cancelled']);
  });

  it('when the scopes changed by import after a scope change was asked, then approving it cancels it', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'write artefacts' });
    await importLoop(store, later(1), [identityEntry({ ref: 'ci-deployer', scopes: ['read', 'admin'], owner: ownedBy('payments', 'ana', 'ben') }), items()[1] as never]);
    expect((await decide(store, 'lena', 1, approve, later(2))).result).toMatchObject({ ok: true, status: 'cancelled', text: expect.stringMatching(/scopes changed since it was asked \(read admin now\)/) });
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read', 'admin']);
  });
});

describe('while someone is away', () => {
  it("when a stand-in answers Decommission on the owner's prompt, then the request is raised as theirs for the owner, not lost", async () => {
    const store = await seeded();
    await delegate(store, 'ana', 'leo');
    await tick(store, policy, later(7));
    const plan = await answer(store, policy, later(7), email('leo'), [openAttestationOf(store, 'payments-api').id], { type: 'decommission', reason: 'replaced' });
    expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'decommission_requested' });
    const [request] = (await store.listApprovals({ pending: true, limit: 5 })).requests;
    expect(request).toMatchObject({ kind: 'decommission', requester: { email: email('leo') }, onBehalfOf: { email: email('ana') } });
    expect(request?.approvers.map((p) => p.email)).toEqual([email('lena')]);
  });

  it('when an approver is away, then the request is also written to them, which reaches whoever stands in', async () => {
    const store = await seeded();
    await delegate(store, 'lena', 'cy');
    await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'artefacts' });
    const reach = [{ platform: 'console', people: 'anyone' as const, teamChannels: 'all' as const, securityChannel: true }];
    await routeOutbox(store, fixedClock(at), reach, ['console']);
    expect(outbox(store).filter((m) => m.kind === 'approval_reminder').map((m) => m.to)).toEqual([email('cy')]);
  });
});

describe('more requests that no longer stand', () => {
  it('when a pending request went stale (its scopes changed by import), then a new one of its kind is not refused as a duplicate, and the stale one is cancelled', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'artefacts' });
    await importLoop(store, later(1), [identityEntry({ ref: 'ci-deployer', scopes: ['read', 'admin'], owner: ownedBy('payments', 'ana', 'ben') }), items()[1] as never]);
    const again = await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'artefacts, again' }, later(2));
    expect(again.result).toMatchObject({ ok: true, id: 2 });
    const report = await tick(store, policy, later(2));
    expect(report.decisions.filter((d) => d.type === 'approval_cancel').map((d) => d.requestId)).toEqual([1]);
  });

  it('when the backup offers the item on, then its accountable person is told', async () => {
    const store = await seeded();
    await ask(store, 'ben', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: 'cy runs CI' });
    expect(outbox(store).filter((m) => m.kind === 'approval_notice').map((m) => [m.to, m.message.title])).toEqual([[email('ana'), `${email('ben')} offered identity ci-deployer to ${email('cy')}`]]);
  });
});

