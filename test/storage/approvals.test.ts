import { describe, expect, it } from 'vitest';
import { delegateWork, requestApproval } from '../../src/approvals/approval-commands.js';
import type { DecisionInput } from '../../src/approvals/decision-input.js';
import type { RequestInput } from '../../src/approvals/request-input.js';
import { routeOutbox } from '../../src/outbox/dispatch-outbox.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry } from '../support/entries.js';
import { answer, importLoop, ownedBy, tick } from '../support/loop.js';
import { itemFactsOf } from './support/approved-state.js';
import { at, decide, email, later, paymentsEntries, policy, seededPayments } from '../support/payments-approvals-store.js';
import { auditEvents, itemOf, openAttestationOf, outbox } from './support/loop-state.js';

/** Ledger's orders-api, which depends on payments-api: seeded beside payments' items. */
const ordersApi = apiEntry({ ref: 'orders-api', sensitivity: 'internal', exposure: 'internal', links: [{ relation: 'depends_on', kind: 'api', ref: 'payments-api' }], owner: ownedBy('ledger', 'lia') });
const seeded = () => seededPayments(ordersApi);

async function ask(store: SqliteStore, who: string, ref: string, request: RequestInput, when = at) {
  const kind = ref === 'ci-deployer' ? 'identity' : 'api';
  return requestApproval(store, fixedClock(when), policy, { actor: { email: email(who) }, itemId: await store.itemIdOf(kind, ref), request });
}

const approve = (reason: string | null = null, confirmRef: string | null = null): DecisionInput => ({ action: 'approve', reason, confirmRef });

describe('approvals through the store: request, decide, apply once', () => {
  it('a scope change goes to the team lead, the wrong person is refused, the approval changes the scopes once and tells everyone', async () => {
    const store = await seeded();
    const asked = await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'deploys need to write artefacts' });
    expect(asked.result).toMatchObject({ ok: true, id: 1 });
    const card = outbox(store).find((m) => m.kind === 'approval_request');
    expect(card?.to).toBe('team:payments');
    expect(card?.message.mentions?.map((m) => m.email)).toEqual([email('lena')]);

    const wrong = await decide(store, 'ben', 1, approve());
    expect(wrong.result).toMatchObject({ ok: false, code: 'not_approver' });
    const own = await decide(store, 'ana', 1, approve());
    expect(own.result).toMatchObject({ ok: false, code: 'own_request' });
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read']);

    const yes = await decide(store, 'lena', 1, approve('fine'));
    expect(yes.result).toMatchObject({ ok: true, status: 'approved' });
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read', 'write']);
    const again = await decide(store, 'lena', 1, approve('fine'));
    expect(again.result).toMatchObject({ ok: false, code: 'already_decided' });

    const kinds = outbox(store).map((m) => `${m.kind} → ${m.to}`);
    expect(kinds).toEqual(expect.arrayContaining(['approval_receipt → ana@acme.example', 'approval_decision → webhook']));
    const rewritten = outbox(store).find((m) => m.kind === 'approval_request');
    expect(rewritten?.message.sections[0]?.resolved).toMatch(/^Approved by lena@acme.example/);
    expect(auditEvents(store, { action: 'approval.decided' })).toHaveLength(1);
    expect(auditEvents(store, { action: 'item.scopes_changed' })).toHaveLength(1);
  });

  it('restricted data needs two approvals, the approver of record among them', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'card-vault', { kind: 'exception', until: '2026-12-01', rule: null, justification: 'audit freeze' });
    const first = await decide(store, 'zed', 1, approve());
    expect(first.result).toMatchObject({ ok: true, status: 'pending' });
    const second = await decide(store, 'lena', 1, approve());
    expect(second.result).toMatchObject({ ok: true, status: 'approved' });
  });

  it('a decommission lists what depends on it, tells its owners, and asks the approver to type the ref', async () => {
    const store = await seeded();
    const asked = await ask(store, 'ana', 'payments-api', { kind: 'decommission', justification: 'replaced by payments-v2' });
    expect(asked.result.ok).toBe(true);
    const card = outbox(store).find((m) => m.kind === 'approval_request');
    expect(card?.message.sections[0]?.facts.find((f) => f.label === 'Depends on it')?.value).toMatch(/orders-api .*lia@acme.example/);
    expect(outbox(store).filter((m) => m.kind === 'approval_notice').map((m) => m.to)).toEqual([email('lia')]);
    const untyped = await decide(store, 'lena', 1, approve());
    expect(untyped.result).toMatchObject({ ok: false, code: 'bad_request' });
    const typed = await decide(store, 'lena', 1, approve(null, 'payments-api'));
    expect(typed.result).toMatchObject({ ok: true, status: 'approved' });
    expect(itemFactsOf(store, 'payments-api').lifecycle).toBe('decommissioned');
  });

  it('a transfer is a handshake: the owner offers, the proposed owner accepts, and only then does it change hands', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: 'cy runs CI now' });
    expect(outbox(store).find((m) => m.kind === 'transfer_offer')?.to).toBe(email('cy'));
    expect(itemOf(store, 'ci-deployer').accountable).toBe(email('ana'));
    const wrong = await decide(store, 'ben', 1, { action: 'accept', reason: null });
    expect(wrong.result).toMatchObject({ ok: false, code: 'not_offered_to_you' });
    const accepted = await decide(store, 'cy', 1, { action: 'accept', reason: null });
    expect(accepted.result).toMatchObject({ ok: true, status: 'approved' });
    expect(itemOf(store, 'ci-deployer').accountable).toBe(email('cy'));
    // The channel's card says it was offered and accepted: nobody "approved" it.
    const card = outbox(store).find((m) => m.kind === 'approval_request');
    expect(card?.message.title).toBe('Ownership transfer offered: identity ci-deployer');
    expect(card?.message.sections[0]?.resolved).toBe(`Accepted by ${email('cy')} on 2026-11-02`);
  });

  it('a declined transfer leaves the item as it was, and the requester is told why', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: null });
    const declined = await decide(store, 'cy', 1, { action: 'decline', reason: 'not my team' });
    expect(declined.result).toMatchObject({ ok: true, status: 'rejected' });
    expect(itemOf(store, 'ci-deployer').accountable).toBe(email('ana'));
    expect(outbox(store).find((m) => m.kind === 'approval_receipt')?.message.text).toMatch(/not my team/);
  });

  it('Decommission on a prompt raises the request in the same transaction as the answer', async () => {
    const store = await seeded();
    await tick(store, policy, later(7));
    const attestation = openAttestationOf(store, 'payments-api');
    const plan = await answer(store, policy, later(7), email('ana'), [attestation.id], { type: 'decommission', reason: 'retired' });
    expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'decommission_requested' });
    expect(auditEvents(store, { action: 'approval.requested' })).toHaveLength(1);
  });

  it('an unanswered request is reminded, escalated and expires; a delegate decides for an approver who is away', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'needed' });
    const delegated = await delegateWork(store, fixedClock(at), policy, { actor: { email: email('lena') }, forEmail: null, toEmail: email('ben'), delegation: { action: 'start', until: '2026-11-20', reason: 'leave' } });
    expect(delegated.result.ok).toBe(true);
    const report = await tick(store, policy, later(2));
    expect(report.decisions.map((d) => d.type)).toContain('approval_remind');
    const asDelegate = await decide(store, 'ben', 1, approve(), later(3));
    expect(asDelegate.result).toMatchObject({ ok: true, status: 'approved' });
    expect(auditEvents(store, { action: 'approval.voted' })[0]?.details).toMatchObject({ onBehalfOf: email('lena') });

    await ask(store, 'ana', 'ci-deployer', { kind: 'rotation', trigger: 'owner', justification: null }, later(3));
    const expired = await tick(store, policy, later(30));
    expect(expired.decisions.map((d) => d.type)).toContain('approval_expire');
  });

  it('out of office: the prompt goes to the delegate when it is sent, the delegate answers for the owner, and it ends by itself', async () => {
    const store = await seeded();
    await delegateWork(store, fixedClock(at), policy, { actor: { email: email('ana') }, forEmail: null, toEmail: email('ben'), delegation: { action: 'start', until: '2026-11-12', reason: 'holiday' } });
    await tick(store, policy, later(7));
    const reach = [{ platform: 'console', people: 'anyone' as const, teamChannels: 'all' as const, securityChannel: true }];
    await routeOutbox(store, fixedClock(later(7)), reach, ['console']);
    const prompt = outbox(store).find((m) => m.kind === 'attestation_prompt');
    expect(prompt?.to).toBe(email('ben'));
    const delivered = await store.claimDeliveries({ now: later(7), platform: 'console', owner: 'test', leaseMs: 60_000, limit: 100 });
    expect(delivered.find((d) => d.messageId === prompt?.id)?.message.text).toMatch(/^For ana@acme.example, who is away until 2026-11-12: you stand in for them\./);
    const attestation = openAttestationOf(store, 'payments-api');
    const plan = await answer(store, policy, later(8), email('ben'), [attestation.id], { type: 'confirm' });
    expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'attested' });
    expect(auditEvents(store, { action: 'attestation.answered' }).at(-1)?.details).toMatchObject({ onBehalfOf: email('ana') });

    // After the delegation's end, the owner's messages are theirs again, and the delegate answers for nothing.
    await tick(store, policy, later(30));
    await tick(store, policy, later(60));
    await routeOutbox(store, fixedClock(later(60)), reach, ['console']);
    const again = outbox(store).filter((m) => m.kind === 'attestation_prompt' && m.refs.includes('card-vault'));
    expect(again.map((m) => m.to)).toEqual([email('ben'), email('ana')]);
  });

  it('the next import keeps what was approved, reports the drift, and takes the source again once it agrees', async () => {
    const store = await seeded();
    await ask(store, 'ana', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'deploys write artefacts' });
    await decide(store, 'lena', 1, approve());
    const source = (scopes: string[]) => [...paymentsEntries(scopes), ordersApi];
    const stale = await importLoop(store, later(1), source(['read']));
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read', 'write']);
    expect(stale.sources[0]?.drift).toEqual([expect.objectContaining({ kind: 'identity', ref: 'ci-deployer', field: 'scopes', requestId: 1 })]);
    const fixed = await importLoop(store, later(2), source(['read', 'write']));
    expect(fixed.sources[0]?.drift).toEqual([]);
    await importLoop(store, later(3), source(['read']));
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read']);
  });

  it('out of office: a message that waited for a platform goes by the delegation in force when it is routed at last, once', async () => {
    const store = await seeded();
    await delegateWork(store, fixedClock(at), policy, { actor: { email: email('ana') }, forEmail: null, toEmail: email('ben'), delegation: { action: 'start', until: '2026-11-10', reason: 'holiday' } });
    await delegateWork(store, fixedClock(at), policy, { actor: { email: email('ben') }, forEmail: null, toEmail: email('cy'), delegation: { action: 'start', until: '2026-11-20', reason: 'away too' } });
    await tick(store, policy, later(7));
    // No platform reaches people yet: the prompt waits, routed to Ben (the delegate then), not onwards to Cy.
    const channelsOnly = [{ platform: 'console', people: 'linked' as const, teamChannels: 'all' as const, securityChannel: true }];
    await routeOutbox(store, fixedClock(later(7)), channelsOnly, ['console']);
    expect(outbox(store).find((m) => m.kind === 'attestation_prompt')?.to).toBe(email('ben'));
    // Routed at last after Ana's delegation ended: it is hers again, without the line for a delegate.
    const reach = [{ platform: 'console', people: 'anyone' as const, teamChannels: 'all' as const, securityChannel: true }];
    await routeOutbox(store, fixedClock(later(9)), reach, ['console']);
    const prompt = outbox(store).find((m) => m.kind === 'attestation_prompt');
    expect(prompt?.to).toBe(email('ana'));
    const delivered = await store.claimDeliveries({ now: later(9), platform: 'console', owner: 'test', leaseMs: 60_000, limit: 100 });
    expect(delivered.find((d) => d.messageId === prompt?.id)?.message.text).not.toMatch(/^For /);
  });
});
