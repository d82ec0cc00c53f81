import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EvidenceRecord } from '../../src/evidence/evidence-record.js';
import { evidenceReport } from '../../src/evidence/evidence-report.js';
import { fixedClock } from '../../src/ports/clock.js';
import { evidenceScenario, recordsOf, scenarioTimes as t } from '../support/evidence-scenario.js';
import { memoryStore } from '../support/import-into-memory.js';
import { delegateWork } from '../../src/approvals/approval-commands.js';
import { answer, claim, importLoop, loopPolicy, tick } from '../support/loop.js';
import { apiEntry } from '../support/entries.js';
import { decideApproval, requestApproval } from '../../src/approvals/approval-commands.js';
import { at, email, later, paymentsEntries, policy } from '../support/payments-approvals-store.js';

const year = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };

/** One line per record: what it is, when, about what, whose it was then, who acted, and the controls. */
const line = (r: EvidenceRecord) => `${r.at.slice(0, 10)} ${r.id} ${r.type} ${r.kind ?? '-'} ${r.item.ref} ${r.outcome} owner=${r.owner.accountable} by=${r.by ?? '-'} [${r.controls.join(' ')}]`;

describe('evidence read from the store', () => {
  it('when a period holds attestations, approvals, an exception, a transfer and a claim, then each is a record in time order with its controls', async () => {
    const store = await evidenceScenario();
    expect((await recordsOf(store, year)).map(line)).toEqual([
      '2026-11-03 approval:1 approval scope_change ci-deployer approved owner=ana@acme.example by=ben@acme.example [GV.RR-02 NHI5]',
      '2026-11-03 approval:2 exception exception card-vault approved owner=ana@acme.example by=lena@acme.example [GV.RR-01 GV.RR-02]',
      '2026-11-04 approval:3 approval rotation ci-deployer rejected owner=ana@acme.example by=lena@acme.example [GV.RR-02 NHI7]',
      '2026-11-10 attestation:1 attestation - ci-deployer attested owner=ana@acme.example by=ana@acme.example [GV.RR-02 ID.AM-02 NHI5 NHI7]',
      '2026-11-10 attestation:2 attestation - payments-api decommission_requested owner=ana@acme.example by=ana@acme.example [GV.RR-02 ID.AM-08 NHI1]',
      '2026-11-12 approval:5 transfer ownership_transfer ci-deployer approved owner=cy@acme.example by=cy@acme.example [GV.RR-02]',
      '2026-11-13 claim:1 claim - orphan-api claimed owner=leo@acme.example by=leo@acme.example [GV.RR-02]',
      '2026-12-02 approval:4 approval decommission payments-api expired owner=ana@acme.example by=- [GV.RR-02 ID.AM-08 NHI1]',
      '2026-12-23 attestation:3 attestation - ci-deployer expired owner=cy@acme.example by=- [GV.RR-02]',
      '2026-12-23 attestation:4 attestation - orphan-api expired owner=leo@acme.example by=- [GV.RR-02]',
      '2026-12-23 attestation:5 attestation - card-vault expired owner=ana@acme.example by=- [GV.RR-02]',
    ]);
  });

  it('when ownership changed hands later, then a record shows the owner it had when it ended', async () => {
    const store = await evidenceScenario();
    const records = await recordsOf(store, year);
    const owner = (id: string) => records.find((r) => r.id === id)?.owner;
    // ci-deployer was ana's when she confirmed it, cy's from the transfer on (which closed ana's period).
    expect(owner('attestation:1')).toEqual({ team: 'payments', accountable: 'ana@acme.example' });
    expect(owner('approval:5')).toEqual({ team: 'payments', accountable: 'cy@acme.example' });
    expect(owner('attestation:3')).toEqual({ team: 'payments', accountable: 'cy@acme.example' });
    // orphan-api had nobody until leo claimed it.
    expect(owner('claim:1')).toEqual({ team: 'ledger', accountable: 'leo@acme.example' });
  });

  it('when an item nobody owned is decided on, then claimed later, then the decision’s record shows no owner at its time', async () => {
    const store = memoryStore();
    const admins = loopPolicy({ admins: [email('zed'), email('leo')] });
    await importLoop(store, later(0), [...paymentsEntries(), apiEntry({ ref: 'orphan-api', sensitivity: 'internal', exposure: 'internal' })]);
    await tick(store, admins, later(0));
    const orphan = await store.itemIdOf('api', 'orphan-api');
    const asked = await requestApproval(store, fixedClock(later(1)), admins, { actor: { email: email('zed') }, itemId: orphan, request: { kind: 'decommission', justification: 'nobody uses it' } });
    if (!asked.result.ok) throw new Error(asked.result.text);
    const decided = await decideApproval(store, fixedClock(later(2)), admins, { actor: { email: email('leo') }, requestId: asked.result.id, decision: { action: 'reject', reason: 'the ledger reads it' } });
    expect(decided.result.ok).toBe(true);
    expect(await claim(store, later(3), email('leo'), orphan as number)).toMatchObject({ ok: true });
    const records = await recordsOf(store, year);
    expect(records.map((r) => [r.id, r.owner])).toEqual([
      ['approval:1', { team: null, accountable: null }],
      ['claim:1', { team: 'ledger', accountable: email('leo') }],
    ]);
  });

  it('a record says what was attested or asked, who asked, who decided and for whom, and each vote', async () => {
    const store = await evidenceScenario();
    const records = await recordsOf(store, year);
    const byId = (id: string) => records.find((r) => r.id === id);
    expect(byId('attestation:1')).toMatchObject({ facts: { scopes: ['read', 'write'], expiresAt: null }, openedAt: t.ticked, dueAt: expect.any(String), policyVersion: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(byId('attestation:2')).toMatchObject({ reason: 'replaced by\npayments-v2', facts: { revocationPath: 'runbook://payments/revoke' } });
    expect(byId('approval:1')).toMatchObject({
      by: 'ben@acme.example',
      onBehalfOf: 'lena@acme.example',
      requestedBy: 'ana@acme.example',
      reason: 'fine',
      facts: { scopes: ['read', 'write'], previous: ['read'], justification: 'deploys write artefacts' },
      votes: [{ by: 'ben@acme.example', onBehalfOf: 'lena@acme.example', vote: 'approve', at: t.scopeApproved, reason: 'fine' }],
    });
    expect(byId('approval:2')?.votes.map((v) => `${v.by} ${v.vote}`).sort()).toEqual(['lena@acme.example approve', 'zed@acme.example approve']);
    // A transfer names its people by email; the ids Steward keeps for itself stay out.
    expect(byId('approval:5')?.facts).toEqual({ to: 'cy@acme.example', toTeam: 'payments', from: 'ana@acme.example', fromTeam: 'payments', justification: 'cy runs CI now', offer: 'accepted' });
    expect(byId('claim:1')).toMatchObject({ facts: { queue: 'security', queuedBecause: 'unowned' }, openedAt: t.ticked, policyVersion: null });
  });

  it('when a stand-in answered for an owner who is away, then the record names both', async () => {
    const store = memoryStore();
    await importLoop(store, at, paymentsEntries());
    await delegateWork(store, fixedClock(at), policy, { actor: { email: email('ana') }, forEmail: null, toEmail: email('ben'), delegation: { action: 'start', until: '2026-11-12', reason: 'holiday' } });
    await tick(store, policy, later(7));
    const open = await store.openAttestationOf('api', 'payments-api');
    await answer(store, policy, later(8), email('ben'), open.id === null ? [] : [open.id], { type: 'confirm' });
    expect((await recordsOf(store, year)).map((r) => [r.item.ref, r.by, r.onBehalfOf, r.owner.accountable])).toEqual([['payments-api', email('ben'), email('ana'), email('ana')]]);
  });

  it('when a period is given, then it starts at from (included) and ends before to (excluded)', async () => {
    const store = await evidenceScenario();
    const ids = async (from: string, to: string) => (await recordsOf(store, { from, to })).map((r) => r.id);
    expect(await ids(t.scopeApproved, t.answered)).toEqual(['approval:1', 'approval:2', 'approval:3']);
    expect(await ids(t.answered, t.claimed)).toEqual(['attestation:1', 'attestation:2', 'approval:5']);
    expect(await ids(later(1.5), t.rotationRejected)).toEqual([]);
  });

  it('when the records span many pages, then walking them a page at a time gives the same records, ties in time included', async () => {
    const store = await evidenceScenario();
    const whole = (await recordsOf(store, year)).map((r) => r.id);
    for (const pageSize of [1, 2, 3]) expect((await recordsOf(store, year, pageSize)).map((r) => r.id)).toEqual(whole);
  });

  it('the summary counts the records per type, outcome and control, and the policy each ran under has its text', async () => {
    const store = await evidenceScenario();
    const report = await evidenceReport(store, fixedClock(later(60)), year);
    const records = await recordsOf(store, year);
    expect(report.summary.records).toBe(records.length);
    expect(report.summary.byType).toEqual({ attestation: 5, approval: 3, exception: 1, transfer: 1, claim: 1 });
    for (const control of report.controls) expect(report.summary.byControl[control.id], control.id).toBe(records.filter((r) => r.controls.includes(control.id)).length);
    expect(report.summary.byControl.NHI2).toBe(0);
    expect(report.summary.outcomes).toContainEqual({ type: 'attestation', outcome: 'expired', count: 3 });
    const used = [...new Set(records.flatMap((r) => (r.policyVersion === null ? [] : [r.policyVersion])))];
    expect(Object.keys(report.policies)).toEqual(used);
    for (const version of used) {
      const text = report.policies[version];
      expect(text, version).toEqual(expect.any(String));
      expect(createHash('sha256').update(JSON.stringify(JSON.parse(text ?? ''))).digest('hex').slice(0, 12)).toBe(version);
    }
  });

  it('when the period holds nothing, then there are no records and every count is zero', async () => {
    const store = memoryStore();
    const report = await evidenceReport(store, fixedClock(later(0)), year);
    expect(await recordsOf(store, year)).toEqual([]);
    expect(report.summary).toMatchObject({ records: 0, withoutControl: 0, policyVersions: [], outcomes: [] });
    expect(Object.values(report.summary.byControl).every((n) => n === 0)).toBe(true);
    expect(report.policies).toEqual({});
  });

  it('a policy text is kept once per version: the first text stands', async () => {
    const store = memoryStore();
    await store.recordPolicyVersion('abc123abc123', '{"a": 1}', later(0));
    await store.recordPolicyVersion('abc123abc123', '{"a": 2}', later(1));
    expect(await store.policyTexts(['abc123abc123', 'missing'])).toEqual([{ version: 'abc123abc123', text: '{"a": 1}', firstSeenAt: later(0) }]);
  });
});
