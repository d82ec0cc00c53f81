import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { delegateWork, requestApproval } from '../../src/approvals/approval-commands.js';
import type { DelegationInput } from '../../src/approvals/decide-delegation.js';
import type { DecisionInput } from '../../src/approvals/decision-input.js';
import type { RequestInput } from '../../src/approvals/request-input.js';
import { fixedClock } from '../../src/ports/clock.js';
import { migrate } from '../../storage/migrate.js';
import { migrations } from '../../storage/migrations.js';
import { SqliteStore } from '../../storage/sqlite-store.js';
import { plusDays, tick } from '../support/loop.js';
import { itemFactsOf, ownershipPeriodsOf } from './support/approved-state.js';
import { at, decide, email, later, policy, seededPayments } from '../support/payments-approvals-store.js';
import { attestations, auditEvents, itemOf, openAttestationOf, outbox } from './support/loop-state.js';

/*
 * The approvals through the store, against a real migrated SQLite database: decisions applied exactly once,
 * migration 12's carried-over decommissions, delegation, the `approvals` listing, and what an approval changes.
 */

const seeded = () => seededPayments();

const kindOf = (ref: string) => (ref === 'ci-deployer' ? 'identity' : 'api');

async function ask(store: SqliteStore, who: string, ref: string, request: RequestInput, when = at) {
  const plan = await requestApproval(store, fixedClock(when), policy, { actor: { email: email(who) }, itemId: await store.itemIdOf(kindOf(ref), ref), request });
  if (!plan.result.ok) throw new Error(`request refused: ${plan.result.text}`);
  return plan.result.id;
}

async function delegate(store: SqliteStore, who: string, to: string | null, delegation: DelegationInput, when = at) {
  return delegateWork(store, fixedClock(when), policy, { actor: { email: email(who) }, forEmail: null, toEmail: to === null ? null : email(to), delegation });
}

const approve = (confirmRef: string | null = null): DecisionInput => ({ action: 'approve', reason: null, confirmRef });
const exception: RequestInput = { kind: 'exception', until: '2026-12-01', rule: null, justification: 'audit freeze' };
const scopeChange: RequestInput = { kind: 'scope_change', scopes: 'read write', justification: 'deploys write artefacts' };
const webhookMessages = (store: SqliteStore) => outbox(store).filter((m) => m.kind === 'approval_decision');

async function votesOf(store: SqliteStore, id: number): Promise<string[]> {
  const request = await store.getApproval(id);
  return (request?.votes ?? []).map((v) => `${v.person.email} ${v.vote}${v.onBehalfOf ? ` for ${v.onBehalfOf.email}` : ''}`).sort();
}

describe('exactly once: double submits and two approvers at the same moment', () => {
  it('when both approvers of a restricted item press Approve at once, then both votes count, it is approved once, and the webhook hears once', async () => {
    const store = await seeded();
    const id = await ask(store, 'ana', 'card-vault', exception);

    const plans = await Promise.all([decide(store, 'lena', id, approve()), decide(store, 'zed', id, approve())]);

    expect(plans.map((p) => p.result.ok && p.result.status).sort()).toEqual(['approved', 'pending']);
    expect(await votesOf(store, id)).toEqual(['lena@acme.example approve', 'zed@acme.example approve']);
    expect((await store.getApproval(id))?.status).toBe('approved');
    expect(auditEvents(store, { action: 'approval.voted' })).toHaveLength(2);
    expect(auditEvents(store, { action: 'approval.decided' })).toHaveLength(1);
    expect(webhookMessages(store)).toHaveLength(1);
    expect(webhookMessages(store)[0]?.message.event).toMatchObject({ request: { id, status: 'approved', decidedBy: expect.arrayContaining([email('lena'), email('zed')]) } });
  });

  it('when one approver of a restricted item presses Approve twice at once, then one vote is cast and the request still waits for the second approver', async () => {
    const store = await seeded();
    const id = await ask(store, 'ana', 'card-vault', exception);

    const plans = await Promise.all([decide(store, 'lena', id, approve()), decide(store, 'lena', id, approve())]);

    expect(plans.map((p) => (p.result.ok ? p.result.status : p.result.code))).toEqual(['pending', 'already_voted']);
    expect(await votesOf(store, id)).toEqual(['lena@acme.example approve']);
    expect((await store.getApproval(id))?.status).toBe('pending');
    expect(auditEvents(store, { action: 'approval.decided' })).toEqual([]);
    expect(auditEvents(store, { action: 'approval.decision_refused' }).map((e) => e.details.code)).toEqual(['already_voted']);
    expect(webhookMessages(store)).toEqual([]);
  });

  it('when the only approver presses Approve twice at once, then the scopes change once, and one decision is recorded and sent', async () => {
    const store = await seeded();
    const id = await ask(store, 'ana', 'ci-deployer', scopeChange);

    const plans = await Promise.all([decide(store, 'lena', id, approve()), decide(store, 'lena', id, approve())]);

    expect(plans.map((p) => (p.result.ok ? p.result.status : p.result.code))).toEqual(['approved', 'already_decided']);
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read', 'write']);
    expect(await votesOf(store, id)).toEqual(['lena@acme.example approve']);
    expect(auditEvents(store, { action: 'approval.decided' })).toHaveLength(1);
    expect(auditEvents(store, { action: 'item.scopes_changed' })).toHaveLength(1);
    expect(webhookMessages(store)).toHaveLength(1);
    expect(outbox(store).filter((m) => m.kind === 'approval_receipt')).toHaveLength(1);
  });

  it('when an approve and a reject arrive at once, then the first decides and the second finds it decided', async () => {
    const store = await seeded();
    const id = await ask(store, 'ana', 'ci-deployer', scopeChange);

    const plans = await Promise.all([decide(store, 'lena', id, { action: 'reject', reason: 'too broad' }), decide(store, 'lena', id, approve())]);

    expect(plans.map((p) => (p.result.ok ? p.result.status : p.result.code))).toEqual(['rejected', 'already_decided']);
    expect(plans[1]?.result.ok === false && plans[1].result.text).toMatch(/was already rejected by lena@acme\.example on 2026-11-02/);
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read']);
    expect(webhookMessages(store).map((m) => m.message.event)).toEqual([expect.objectContaining({ request: expect.objectContaining({ status: 'rejected', reason: 'too broad' }) })]);
  });
});

/*
 * A database as Steward left it at migration 11, before approvals existed: the only way to have one is to write its
 * rows, as migrate.test.ts does for earlier migrations.
 */
function databaseAtMigration11(): Database.Database {
  const db = new Database(':memory:');
  migrate(db, migrations.filter((m) => m.version <= 11), '2026-10-01T00:00:00.000Z');
  const seen = '2026-10-01T09:00:00.000Z';
  db.prepare("INSERT INTO imports (id, source, format, actor, at) VALUES (1, 'inventory', 'test', 'test', ?)").run(seen);
  const personIds = new Map<string, number>();
  for (const name of ['ana', 'lena', 'zed']) personIds.set(name, Number(db.prepare('INSERT INTO people (email, first_seen_at, last_seen_at) VALUES (?, ?, ?)').run(email(name), seen, seen).lastInsertRowid));
  const ana = personIds.get('ana');
  const team = Number(
    db.prepare("INSERT INTO teams (slug, name, lead_person_id, channel, first_seen_at, last_seen_at) VALUES ('payments', 'payments', ?, '#payments', ?, ?)").run(personIds.get('lena'), seen, seen).lastInsertRowid,
  );
  for (const id of personIds.values()) db.prepare("INSERT INTO team_members (team_id, person_id, source) VALUES (?, ?, 'inventory')").run(team, id);
  const addApi = (ref: string, lifecycle: string) =>
    Number(
      db
        .prepare(
          `INSERT INTO items (kind, ref, name, sensitivity, exposure, lifecycle, owner_team_id, accountable_person_id, owned_since, source, source_key, last_import_id, first_seen_at, last_seen_at)
           VALUES ('api', ?, ?, 'internal', 'internal', ?, ?, ?, ?, 'inventory', ?, 1, ?, ?)`,
        )
        .run(ref, ref, lifecycle, team, ana, seen, `api:${ref}`, seen, seen).lastInsertRowid,
    );
  const addDecommissionRequested = (itemId: number, closedAt: string, note: string) =>
    db
      .prepare(
        `INSERT INTO attestations (item_id, person_id, reason, opened_at, due_at, status, outcome, closed_at, answered_by, facts, note, policy_version)
         VALUES (?, ?, 'scheduled', ?, ?, 'closed', 'decommission_requested', ?, ?, '{"purpose":null,"linked":[]}', ?, 'v11')`,
      )
      .run(itemId, ana, seen, seen, closedAt, ana, note);
  const paymentsApi = addApi('payments-api', 'production');
  addDecommissionRequested(paymentsApi, '2026-10-10T09:00:00.000Z', 'first thoughts');
  addDecommissionRequested(paymentsApi, '2026-10-20T09:00:00.000Z', 'replaced by payments-v2');
  // Already retired since it was asked: nothing to carry over.
  addDecommissionRequested(addApi('legacy-api', 'decommissioned'), '2026-10-12T09:00:00.000Z', 'gone');
  // Its owner confirmed it after all: the later answer stands.
  const kept = addApi('kept-api', 'production');
  addDecommissionRequested(kept, '2026-10-12T09:00:00.000Z', 'maybe');
  db.prepare(
    `INSERT INTO attestations (item_id, person_id, reason, opened_at, due_at, status, outcome, closed_at, answered_by, facts, policy_version)
     VALUES (?, ?, 'scheduled', ?, ?, 'closed', 'attested', '2026-10-15T09:00:00.000Z', ?, '{"purpose":null,"linked":[]}', 'v11')`,
  ).run(kept, ana, seen, seen, ana);
  // Gone from its source since: nothing to ask anyone.
  const vanished = addApi('vanished-api', 'production');
  db.prepare('UPDATE items SET vanished_at = ? WHERE id = ?').run('2026-10-25T09:00:00.000Z', vanished);
  addDecommissionRequested(vanished, '2026-10-12T09:00:00.000Z', 'old');
  return db;
}

describe('migration 12: decommissions recorded before approvals existed', () => {
  it('when a database at migration 11 has a recorded decommission, then it is carried over as one pending request that the next tick posts to its approver', async () => {
    const db = databaseAtMigration11();
    migrate(db, migrations, '2026-11-01T00:00:00.000Z');
    const store = new SqliteStore(db);

    const carried = await store.listApprovals({ pending: true, limit: 10 });
    expect(carried.total).toBe(1);
    expect(carried.requests.map((r) => ({ kind: r.kind, ref: r.item.ref, requester: r.requester.email, why: r.justification, at: r.requestedAt, where: r.wherePosted }))).toEqual([
      { kind: 'decommission', ref: 'payments-api', requester: email('ana'), why: 'replaced by payments-v2', at: '2026-10-20T09:00:00.000Z', where: null },
    ]);

    const report = await tick(store, policy, at);

    expect(report.decisions).toContainEqual(expect.objectContaining({ type: 'approval_post', ref: 'payments-api', where: 'team', needed: 1 }));
    const posted = await store.getApproval(carried.requests[0]?.id ?? 0);
    expect(posted).toMatchObject({ status: 'pending', wherePosted: 'team', needed: 1, requestedAt: at });
    expect(posted?.approvers.map((p) => p.email)).toEqual([email('lena')]);
    const card = outbox(store).find((m) => m.kind === 'approval_request');
    expect(card?.to).toBe('team:payments');
    expect(card?.message.mentions?.map((m) => m.email)).toEqual([email('lena')]);
    expect(auditEvents(store, { action: 'approval.posted' })).toHaveLength(1);

    const again = await tick(store, policy, plusDays(at, 0.5));
    expect(again.decisions.filter((d) => d.type === 'approval_post')).toEqual([]);

    const decided = await decide(store, 'lena', posted?.id ?? 0, approve('payments-api'), later(1));
    expect(decided.result).toMatchObject({ ok: true, status: 'approved' });
    expect(itemFactsOf(store, 'payments-api').lifecycle).toBe('decommissioned');
  });
});

describe('delegation: out of office, in force only for its period', () => {
  it('when a person delegates, replaces and ends a delegation, then each is in the audit trail and the delegate is told', async () => {
    const store = await seeded();

    const started = await delegate(store, 'lena', 'ben', { action: 'start', until: '2026-11-20', reason: 'leave' });
    expect(started.result).toEqual({ ok: true, text: "Until 2026-11-20, lena@acme.example's prompts, reminders and approvals go to ben@acme.example. It ends by itself." });
    expect(outbox(store).filter((m) => m.kind === 'approval_notice').map((m) => `${m.to}: ${m.message.title}`)).toEqual(['ben@acme.example: You stand in for lena@acme.example until 2026-11-20']);

    const replaced = await delegate(store, 'lena', 'cy', { action: 'start', until: '2026-11-25', reason: null }, later(1));
    expect(replaced.result.ok && replaced.result.text).toMatch(/go to cy@acme\.example \(replacing the delegation in force\)/);

    const ended = await delegate(store, 'lena', null, { action: 'end' }, later(2));
    expect(ended.result).toEqual({ ok: true, text: "Delegation ended: lena@acme.example's prompts and approvals come to them again." });
    const nothingLeft = await delegate(store, 'lena', null, { action: 'end' }, later(2));
    expect(nothingLeft.result).toEqual({ ok: false, text: 'lena@acme.example has no delegation in force; nothing changed.' });

    const trail = auditEvents(store).filter((e) => e.action.startsWith('delegation.'));
    expect(trail.map((e) => ({ action: e.action, actor: e.actor, subject: e.subject, at: e.at }))).toEqual([
      { action: 'delegation.started', actor: email('lena'), subject: email('lena'), at },
      { action: 'delegation.ended', actor: email('lena'), subject: email('lena'), at: later(1) },
      { action: 'delegation.started', actor: email('lena'), subject: email('lena'), at: later(1) },
      { action: 'delegation.ended', actor: email('lena'), subject: email('lena'), at: later(2) },
      { action: 'delegation.refused', actor: email('lena'), subject: email('lena'), at: later(2) },
    ]);
    expect(trail[0]?.details).toEqual({ delegate: email('ben'), until: '2026-11-20T00:00:00.000Z', reason: 'leave' });
  });

  it('when the delegate is away themselves for part of the period, then the delegation is refused (no chains)', async () => {
    const store = await seeded();
    expect((await delegate(store, 'ben', 'cy', { action: 'start', until: '2026-11-06', reason: null })).result.ok).toBe(true);

    const chain = await delegate(store, 'lena', 'ben', { action: 'start', until: '2026-11-20', reason: null });

    expect(chain.result).toEqual({ ok: false, text: 'ben@acme.example has delegated their own work for part of that time; choose someone who is around.' });
    expect(auditEvents(store, { action: 'delegation.started' })).toHaveLength(1);
    expect(auditEvents(store, { action: 'delegation.refused' })).toHaveLength(1);
  });

  it('when the delegate decides within the period, then the vote names both; after its end, the delegate can no longer decide', async () => {
    const store = await seeded();
    await delegate(store, 'lena', 'ben', { action: 'start', until: '2026-11-10', reason: 'leave' });
    const first = await ask(store, 'ana', 'ci-deployer', scopeChange);
    const second = await ask(store, 'ana', 'ci-deployer', { kind: 'rotation', trigger: 'owner', justification: null });

    const within = await decide(store, 'ben', first, approve(), '2026-11-09T23:59:00.000Z');
    expect(within.result).toMatchObject({ ok: true, status: 'approved' });
    expect(await votesOf(store, first)).toEqual(['ben@acme.example approve for lena@acme.example']);
    expect(auditEvents(store, { action: 'approval.voted' }).map((e) => ({ actor: e.actor, onBehalfOf: e.details.onBehalfOf }))).toEqual([{ actor: email('ben'), onBehalfOf: email('lena') }]);

    const after = await decide(store, 'ben', second, approve(), '2026-11-10T00:00:00.000Z');
    expect(after.result).toMatchObject({ ok: false, code: 'not_approver' });
    expect(await votesOf(store, second)).toEqual([]);
  });

  it('when the delegation is ended early, then the delegate can no longer decide', async () => {
    const store = await seeded();
    await delegate(store, 'lena', 'ben', { action: 'start', until: '2026-11-20', reason: null });
    const id = await ask(store, 'ana', 'ci-deployer', scopeChange);
    await delegate(store, 'lena', null, { action: 'end' }, later(1));

    const plan = await decide(store, 'ben', id, approve(), later(2));

    expect(plan.result).toMatchObject({ ok: false, code: 'not_approver' });
  });

  it('when the delegate made the request, then they cannot approve it for the approver they stand in for', async () => {
    const store = await seeded();
    await delegate(store, 'lena', 'ana', { action: 'start', until: '2026-11-20', reason: null });
    const id = await ask(store, 'ana', 'ci-deployer', scopeChange);

    const plan = await decide(store, 'ana', id, approve(), later(1));

    expect(plan.result).toMatchObject({ ok: false, code: 'own_request' });
    expect(itemFactsOf(store, 'ci-deployer').scopes).toEqual(['read']);
  });
});

describe('approvals: the listing', () => {
  it('when requests are listed, then the newest come first, filtered by pending and by item, with the total', async () => {
    const store = await seeded();
    const scopes = await ask(store, 'ana', 'ci-deployer', scopeChange);
    const decommission = await ask(store, 'ana', 'payments-api', { kind: 'decommission', justification: 'replaced' });
    const rotation = await ask(store, 'ana', 'ci-deployer', { kind: 'rotation', trigger: 'owner', justification: null });
    await decide(store, 'lena', scopes, approve());
    const ciDeployer = (await store.itemIdOf('identity', 'ci-deployer')) ?? undefined;
    const list = async (filter: { pending: boolean; itemId?: number; limit?: number }) => {
      const { requests, total } = await store.listApprovals({ limit: 10, ...filter });
      return { ids: requests.map((r) => r.id), total };
    };

    expect(await list({ pending: false })).toEqual({ ids: [rotation, decommission, scopes], total: 3 });
    expect(await list({ pending: true })).toEqual({ ids: [rotation, decommission], total: 2 });
    expect(await list({ pending: false, ...(ciDeployer === undefined ? {} : { itemId: ciDeployer }) })).toEqual({ ids: [rotation, scopes], total: 2 });
    expect(await list({ pending: true, ...(ciDeployer === undefined ? {} : { itemId: ciDeployer }) })).toEqual({ ids: [rotation], total: 1 });
    expect(await list({ pending: false, limit: 1 })).toEqual({ ids: [rotation], total: 3 });
    const [approved] = (await store.listApprovals({ pending: false, limit: 10 })).requests.filter((r) => r.id === scopes);
    expect(approved).toMatchObject({ status: 'approved', decidedBy: { email: email('lena') }, decidedAt: at });
  });
});

describe('what an approval changes', () => {
  it('when a transfer to another team is accepted, then an ownership period is written, the owner changes, and item.owner_changed names both sides', async () => {
    const store = await seeded();
    const periodsBefore = ownershipPeriodsOf(store, 'ci-deployer');
    const id = await ask(store, 'ana', 'ci-deployer', { kind: 'ownership_transfer', to: email('lia'), team: null, justification: 'ledger runs CI now' });

    const accepted = await decide(store, 'lia', id, { action: 'accept', reason: null }, later(1));

    expect(accepted.result).toMatchObject({ ok: true, status: 'approved' });
    expect(ownershipPeriodsOf(store, 'ci-deployer')).toBe(periodsBefore + 1);
    expect(itemOf(store, 'ci-deployer')).toMatchObject({ team: 'ledger', accountable: email('lia'), backup: null });
    const history = (await store.getItemDetail('identity', 'ci-deployer'))?.history ?? [];
    expect(history.at(-1)).toMatchObject({ team: 'payments', accountable: email('ana'), backup: email('ben'), toAt: later(1) });
    expect(auditEvents(store, { action: 'item.owner_changed' }).map((e) => e.details)).toEqual([
      { request: id, reason: 'transferred', from: { team: 'payments', accountable: email('ana') }, to: { team: 'ledger', accountable: email('lia') } },
    ]);
  });

  it('when a transfer is declined, then no ownership period is written and the owner stays', async () => {
    const store = await seeded();
    const periodsBefore = ownershipPeriodsOf(store, 'ci-deployer');
    const id = await ask(store, 'ana', 'ci-deployer', { kind: 'ownership_transfer', to: email('lia'), team: null, justification: null });

    await decide(store, 'lia', id, { action: 'decline', reason: 'not ours' }, later(1));

    expect(ownershipPeriodsOf(store, 'ci-deployer')).toBe(periodsBefore);
    expect(itemOf(store, 'ci-deployer')).toMatchObject({ team: 'payments', accountable: email('ana') });
    expect(auditEvents(store, { action: 'item.owner_changed' })).toEqual([]);
  });

  it('when a decommission is approved while the item’s attestation is open, then the next tick withdraws the attestation', async () => {
    const store = await seeded();
    await tick(store, policy, later(7));
    const open = openAttestationOf(store, 'payments-api');
    const id = await ask(store, 'ana', 'payments-api', { kind: 'decommission', justification: 'replaced by payments-v2' }, later(7));
    await decide(store, 'lena', id, approve('payments-api'), later(8));
    expect(itemFactsOf(store, 'payments-api').lifecycle).toBe('decommissioned');
    expect(attestations(store).find((a) => a.id === open.id)?.status).toBe('open');

    await tick(store, policy, later(8.5));

    expect(attestations(store).find((a) => a.id === open.id)).toMatchObject({ status: 'closed', outcome: 'superseded', closedAt: later(8.5) });
    expect(openAttestationOf(store, 'ci-deployer').ref).toBe('ci-deployer');
  });
});
