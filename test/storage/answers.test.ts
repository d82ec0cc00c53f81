import { describe, expect, it } from 'vitest';
import type { AnswerAction } from '../../src/attestation/decide-answer.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { dumpTables } from './support/dump-tables.js';
import { apiEntry, identityEntry, personEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { answer, directoryEntries, importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../support/loop.js';
import { attestations, auditEvents, itemOf, lastAuditId, openAttestationOf, openAttestations, openQueue, outbox, outboxAt } from './support/loop-state.js';
import { secretShapes } from '../support/secret-shapes.js';

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const answeredAt = plusDays(askedAt, 1);
const policy = loopPolicy();

const inventory = (overrides: { ciPurpose?: string; checkoutOwner?: ReturnType<typeof ownedBy> } = {}) => [
  apiEntry({ ref: 'checkout-api', purpose: 'Takes card payments', sensitivity: 'restricted', revocationPath: 'runbooks/checkout', owner: overrides.checkoutOwner ?? ownedBy('payments', 'ana', 'ben') }),
  identityEntry({
    ref: 'ci-key',
    identityKind: 'api_key',
    purpose: overrides.ciPurpose ?? 'CI',
    scopes: ['deploy:read', 'deploy:write'],
    createdAt: '2026-10-01',
    expiresAt: '2027-03-01',
    lastUsedAt: '2026-11-01',
    recoveryProcedure: 'Rotate in Vault',
    owner: ownedBy('payments', 'ana', 'ben'),
  }),
  apiEntry({ ref: 'fx-api', owner: ownedBy('ledger', 'leo') }),
];

/** ana is asked about checkout-api and ci-key, leo about fx-api. */
async function asked(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory());
  await tick(store, policy, askedAt);
  return store;
}

const idOf = (store: SqliteStore, ref: string) => openAttestationOf(store, ref).id;
const withoutAudit = (tables: Record<string, string[]>) => ({ ...tables, audit_events: [] });

/** Asserts that `act` changed nothing but the audit trail, where it added only refusals. */
async function expectNothingChanged(store: SqliteStore, act: () => Promise<unknown>): Promise<void> {
  const before = dumpTables(store);
  const auditBefore = lastAuditId(store);
  await act();
  expect(withoutAudit(dumpTables(store))).toEqual(withoutAudit(before));
  expect(new Set(auditEvents(store, { after: auditBefore }).map((e) => e.action))).toEqual(new Set(['attestation.answer_refused']));
}

describe('answers: confirm', () => {
  it('when the owner confirms, then the attestation closes as attested with the facts shown, and the next is on the cadence', async () => {
    const store = await asked();
    const id = idOf(store, 'checkout-api');
    const plan = await answer(store, policy, answeredAt, 'ana@acme.example', [id], { type: 'confirm' });
    const next = plusDays(answeredAt, 30);
    expect(plan.results).toEqual([{ attestationId: id, ref: 'checkout-api', ok: true, outcome: 'attested', text: `checkout-api: confirmed. Next asked ${next.slice(0, 10)}.` }]);
    expect(attestations(store).find((a) => a.id === id)).toMatchObject({
      status: 'closed',
      outcome: 'attested',
      closedAt: answeredAt,
      answeredBy: 'ana@acme.example',
      changes: null,
      facts: { purpose: 'Takes card payments', sensitivity: 'restricted', exposure: null, revocationPath: 'runbooks/checkout', linked: [] },
    });
    expect(itemOf(store, 'checkout-api')).toMatchObject({ nextAttestationAt: next, nextCheckAt: next });
    expect(auditEvents(store, { action: 'attestation.answered' })).toEqual([
      expect.objectContaining({ at: answeredAt, actor: 'ana@acme.example', subject: 'checkout-api', details: expect.objectContaining({ attestation: id, outcome: 'attested' }) }),
    ]);
  });

  it('when one of two items in a prompt is confirmed, then its section shows the outcome, the other keeps its buttons, and Confirm all goes', async () => {
    const store = await asked();
    await answer(store, policy, answeredAt, 'ana@acme.example', [idOf(store, 'checkout-api')], { type: 'confirm' });
    const prompt = outbox(store).find((m) => m.to === 'ana@acme.example');
    const byRef = Object.fromEntries(prompt?.message.sections.map((s) => [s.itemRef, s]) ?? []);
    expect(byRef['checkout-api']).toMatchObject({ actions: [], resolved: `Confirmed by ana@acme.example on ${answeredAt.slice(0, 10)}` });
    expect(byRef['ci-key']?.actions).toHaveLength(5);
    expect(prompt?.message.actions).toEqual([]);
  });

  it('when the item is confirmed, then later ticks send it no reminder and ask again only at its cadence', async () => {
    const store = await asked();
    await answer(store, policy, answeredAt, 'ana@acme.example', [idOf(store, 'checkout-api')], { type: 'confirm' });
    for (const n of [2, 5, 7, 10, 21, 29]) await tick(store, policy, plusDays(askedAt, n));
    expect(outbox(store).filter((m) => m.refs.includes('checkout-api')).map((m) => m.kind)).toEqual(['attestation_prompt']);
    await tick(store, policy, plusDays(answeredAt, 30));
    expect(openAttestationOf(store, 'checkout-api').openedAt).toBe(plusDays(answeredAt, 30));
  });

  it('when the backup confirms, then that counts, recorded as theirs', async () => {
    const store = await asked();
    const id = idOf(store, 'checkout-api');
    expect((await answer(store, policy, answeredAt, 'ben@acme.example', [id], { type: 'confirm' })).results[0]).toMatchObject({ ok: true });
    expect(attestations(store).find((a) => a.id === id)?.answeredBy).toBe('ben@acme.example');
  });

  it('when the same confirmation arrives twice (a double click), then the second says so and changes nothing', async () => {
    const store = await asked();
    const id = idOf(store, 'checkout-api');
    await answer(store, policy, answeredAt, 'ana@acme.example', [id], { type: 'confirm' });
    let second;
    await expectNothingChanged(store, async () => (second = await answer(store, policy, answeredAt, 'ana@acme.example', [id], { type: 'confirm' })));
    expect(second).toMatchObject({
      results: [{ ok: false, code: 'already_closed', text: `checkout-api was already confirmed by ana@acme.example on ${answeredAt.slice(0, 10)}; nothing changed.` }],
    });
  });
});

describe('answers: update (attest with changes)', () => {
  it('when the owner corrects facts, then the diff against the facts shown is recorded with the attestation', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, inventory());
    await tick(store, policy, askedAt);
    // The source changes after the prompt went out: the diff is against what the owner was shown.
    await importLoop(store, plusDays(askedAt, 0.5), inventory({ ciPurpose: 'CI (changed at source)' }));
    const id = idOf(store, 'ci-key');
    const plan = await answer(store, policy, answeredAt, 'ana@acme.example', [id], {
      type: 'update',
      changes: { purpose: 'Deploys checkout', scopes: 'deploy:read', recoveryProcedure: 'Rotate in Vault' },
      reason: 'deploys only read now',
    });
    // The scopes do not change by the answer: they go to an approver as a scope change request, in the same transaction.
    expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'attested', text: expect.stringMatching(/^ci-key: confirmed with 1 change\(s\) recorded\. Update the source too, or the next import will show the old facts\. The scope change goes to an approver: Request #1 scope change of identity ci-key/) });
    expect(auditEvents(store, { action: 'approval.requested' }).map((e) => e.details.payload)).toEqual([{ kind: 'scope_change', scopes: ['deploy:read'], previous: ['deploy:read', 'deploy:write'] }]);
    expect(attestations(store).find((a) => a.id === id)).toMatchObject({
      outcome: 'attested',
      changes: { purpose: ['CI', 'Deploys checkout'], scopes: ['deploy:read deploy:write', 'deploy:read'] },
      facts: expect.objectContaining({ purpose: 'CI' }),
    });
    expect(auditEvents(store, { action: 'attestation.answered' })[0]?.details.changes).toEqual({ purpose: ['CI', 'Deploys checkout'], scopes: ['deploy:read deploy:write', 'deploy:read'] });
    expect(outbox(store).find((m) => m.to === 'ana@acme.example')?.message.sections.find((s) => s.itemRef === 'ci-key')?.resolved).toBe(
      `Confirmed with changes (purpose, scopes) by ana@acme.example on ${answeredAt.slice(0, 10)}`,
    );
  });

  it('when an update names a fact that cannot be edited, then it is refused and nothing changes', async () => {
    const store = await asked();
    let plan;
    await expectNothingChanged(store, async () => (plan = await answer(store, policy, answeredAt, 'ana@acme.example', [idOf(store, 'ci-key')], { type: 'update', changes: { owner: 'zed' } })));
    expect(plan).toMatchObject({ results: [{ ok: false, code: 'bad_request', text: 'Only these facts can be updated: purpose, scopes, expiresAt, recoveryProcedure, revocationPath (not owner).' }] });
  });
});

describe('answers: not mine (dispute)', () => {
  it('when the owner says not mine and suggests someone Steward knows, then the item is offered to them and stays theirs until accepted', async () => {
    const store = await asked();
    const id = idOf(store, 'checkout-api');
    const plan = await answer(store, policy, answeredAt, 'ana@acme.example', [id], { type: 'dispute', reason: 'Moved to ledger', suggestedOwner: 'leo@acme.example' });
    expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'disputed', text: expect.stringMatching(/^checkout-api: noted as not yours\. Request #1 ownership transfer .* Until they accept, you stay accountable\.$/) });
    expect(openQueue(store)).toEqual([]);
    expect(summarise(outboxAt(store, answeredAt))).toEqual(['approval_request → team:payments: checkout-api', 'transfer_offer → leo@acme.example: checkout-api']);
    expect(itemOf(store, 'checkout-api').accountable).toBe('ana@acme.example');
  });

  it('when the owner says not mine, then the item joins the security queue with the suggested owner, posted with Claim', async () => {
    const store = await asked();
    const id = idOf(store, 'checkout-api');
    const plan = await answer(store, policy, answeredAt, 'ana@acme.example', [id], { type: 'dispute', reason: 'Moved to ledger', suggestedOwner: 'leo@elsewhere.example' });
    expect(plan.results[0]).toMatchObject({
      ok: true,
      outcome: 'disputed',
      text: 'checkout-api: noted as not yours; it is in the security queue with leo@elsewhere.example suggested (it could not be offered to leo@elsewhere.example: Steward does not know leo@elsewhere.example: they must be in the inventory (a person of some team) before they can own anything.).',
    });
    expect(attestations(store).find((a) => a.id === id)).toMatchObject({ outcome: 'disputed', suggestedOwner: 'leo@elsewhere.example', note: 'Moved to ledger' });
    expect(openQueue(store)).toEqual([expect.objectContaining({ ref: 'checkout-api', queue: 'security', reason: 'disputed', detail: 'suggested owner: leo@elsewhere.example' })]);
    const posts = outboxAt(store, answeredAt);
    expect(summarise(posts)).toEqual(['unowned_queue → security: checkout-api']);
    expect(posts[0]?.message.sections[0]?.facts[0]).toEqual({ label: 'Why', value: 'ana@acme.example says it is not theirs (suggested owner: leo@elsewhere.example)' });
    expect(posts[0]?.message.sections[0]?.actions.map((a) => a.id)).toEqual(['queue.claim']);
    expect(auditEvents(store, { after: lastAuditId(store) - 2 }).map((e) => e.action)).toEqual(['attestation.answered', 'queue.added']);
  });

  it('when the item was disputed, then the disputer is not asked again by later ticks', async () => {
    const store = await asked();
    await answer(store, policy, answeredAt, 'ana@acme.example', [idOf(store, 'checkout-api')], { type: 'dispute', reason: null, suggestedOwner: null });
    for (const n of [1, 2, 7, 30, 60, 120]) await tick(store, policy, plusDays(answeredAt, n));
    expect(attestations(store).filter((a) => a.ref === 'checkout-api')).toHaveLength(1);
    expect(openQueue(store).filter((q) => q.ref === 'checkout-api').map((q) => q.reason)).toEqual(['disputed']);
  });

  it('when a disputed item gets a new owner by import, then it leaves the queue and the new owner is asked', async () => {
    const store = await asked();
    await answer(store, policy, answeredAt, 'ana@acme.example', [idOf(store, 'checkout-api')], { type: 'dispute', reason: null, suggestedOwner: null });
    const movedAt = plusDays(answeredAt, 2);
    await importLoop(store, movedAt, inventory({ checkoutOwner: ownedBy('ledger', 'leo') }));
    await tick(store, policy, movedAt);
    expect(openQueue(store)).toEqual([]);
    expect(openAttestationOf(store, 'checkout-api').person).toBe('leo@acme.example');
    expect(outboxAt(store, answeredAt)[0]?.message.sections[0]).toMatchObject({ actions: [], resolved: 'Resolved: leo@acme.example is accountable now' });
  });
});

describe('answers: decommission request and snooze', () => {
  it('when the owner asks to decommission, then it is recorded with the reason', async () => {
    const store = await asked();
    const id = idOf(store, 'checkout-api');
    const plan = await answer(store, policy, answeredAt, 'ana@acme.example', [id], { type: 'decommission', reason: 'Replaced by checkout-v2' });
    expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'decommission_requested' });
    expect(attestations(store).find((a) => a.id === id)).toMatchObject({ outcome: 'decommission_requested', note: 'Replaced by checkout-v2' });
    expect(auditEvents(store, { action: 'attestation.answered' })[0]?.details).toMatchObject({ outcome: 'decommission_requested', note: 'Replaced by checkout-v2' });
  });

  it('when the owner snoozes with a reason, then it is asked again when the snooze ends', async () => {
    const store = await asked();
    const id = idOf(store, 'checkout-api');
    const until = plusDays(answeredAt, 10);
    const plan = await answer(store, policy, answeredAt, 'ana@acme.example', [id], { type: 'snooze', days: 10, reason: 'Owner on leave' });
    expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'snoozed', text: `checkout-api: snoozed until ${until.slice(0, 10)}.` });
    expect(attestations(store).find((a) => a.id === id)).toMatchObject({ outcome: 'snoozed', snoozedUntil: until, note: 'Owner on leave' });
    expect(itemOf(store, 'checkout-api').nextAttestationAt).toBe(until);
    await tick(store, policy, plusDays(until, -0.5));
    expect(openAttestations(store).map((a) => a.ref)).not.toContain('checkout-api');
    await tick(store, policy, until);
    expect(openAttestationOf(store, 'checkout-api').openedAt).toBe(until);
  });

  it.each<[string, AnswerAction]>([
    ['longer than the policy allows', { type: 'snooze', days: 31, reason: 'Busy' }],
    ['without a reason', { type: 'snooze', days: 5, reason: '   ' }],
    ['for no days', { type: 'snooze', days: 0, reason: 'Busy' }],
  ])('when a snooze is %s, then it is refused and nothing changes', async (_, action) => {
    const store = await asked();
    let plan;
    await expectNothingChanged(store, async () => (plan = await answer(store, policy, answeredAt, 'ana@acme.example', [idOf(store, 'checkout-api')], action)));
    expect(plan).toMatchObject({ results: [{ ok: false, code: 'bad_request', text: 'A snooze needs a reason and lasts 1 to 30 days.' }] });
  });

  it('when the policy allows longer snoozes, then a longer one is accepted', async () => {
    const store = await asked();
    const long = loopPolicy({ attestation: { snoozeMaxDays: 60 } });
    expect((await answer(store, long, answeredAt, 'ana@acme.example', [idOf(store, 'checkout-api')], { type: 'snooze', days: 45, reason: 'Freeze' })).results[0]).toMatchObject({ ok: true });
  });
});

describe('answers: confirm all, and who may answer', () => {
  it('when Confirm all covers allowed, foreign, closed and missing attestations, then each is decided on its own', async () => {
    const store = await asked();
    const checkout = idOf(store, 'checkout-api');
    const ciKey = idOf(store, 'ci-key');
    const fx = idOf(store, 'fx-api');
    await answer(store, policy, askedAt, 'ana@acme.example', [checkout], { type: 'confirm' });
    const plan = await answer(store, policy, answeredAt, 'ana@acme.example', [checkout, ciKey, fx, 999], { type: 'confirm' });
    expect(plan.results.map((r) => [r.attestationId, r.ok ? r.outcome : r.code])).toEqual([
      [999, 'not_found'],
      [checkout, 'already_closed'],
      [ciKey, 'attested'],
      [fx, 'not_owner'],
    ]);
    expect(openAttestations(store).map((a) => a.ref)).toEqual(['fx-api']);
    expect(auditEvents(store, { after: lastAuditId(store) - 4 }).map((e) => [e.action, e.details.attestation])).toEqual([
      ['attestation.answered', ciKey],
      ['attestation.answer_refused', 999],
      ['attestation.answer_refused', checkout],
      ['attestation.answer_refused', fx],
    ]);
  });

  it('when someone who is neither accountable nor backup answers, then they are told who can, and nothing changes', async () => {
    const store = await asked();
    let plan;
    await expectNothingChanged(store, async () => (plan = await answer(store, policy, answeredAt, 'zed@acme.example', [idOf(store, 'checkout-api')], { type: 'confirm' })));
    expect(plan).toMatchObject({ results: [{ ok: false, code: 'not_owner', text: "Only checkout-api's accountable person (ana@acme.example) or backup (ben@acme.example) can answer for it." }] });
  });

  it('when the team lead answers, then they are refused too (they are told, not asked)', async () => {
    const store = await asked();
    await expectNothingChanged(store, async () => {
      expect((await answer(store, policy, answeredAt, 'lena@acme.example', [idOf(store, 'checkout-api')], { type: 'confirm' })).results[0]).toMatchObject({ code: 'not_owner' });
    });
  });

  it('when a person Steward does not know answers, then they are refused, and the attempt is on record under their name', async () => {
    const store = await asked();
    let plan;
    await expectNothingChanged(store, async () => (plan = await answer(store, policy, answeredAt, 'stranger@elsewhere.example', [idOf(store, 'checkout-api')], { type: 'confirm' })));
    expect(plan).toMatchObject({ results: [{ ok: false, code: 'unknown_person' }] });
    expect(auditEvents(store, { action: 'attestation.answer_refused' })).toEqual([expect.objectContaining({ actor: 'stranger@elsewhere.example', details: expect.objectContaining({ code: 'unknown_person' }) })]);
  });

  it('when a person who has left answers, then they are refused', async () => {
    const store = await asked();
    const directory = [...directoryEntries().filter((e) => !(e.type === 'person' && e.data.email === 'leo@acme.example')), personEntry('leo@acme.example', { active: false })];
    await importLoop(store, askedAt, inventory(), directory);
    expect((await answer(store, policy, answeredAt, 'leo@acme.example', [idOf(store, 'fx-api')], { type: 'confirm' })).results[0]).toMatchObject({ ok: false, code: 'unknown_person' });
  });

  it('when an attestation was superseded by an owner change, then an answer to it says so and changes nothing', async () => {
    const store = await asked();
    const old = idOf(store, 'checkout-api');
    await importLoop(store, answeredAt, inventory({ checkoutOwner: ownedBy('ledger', 'leo') }));
    await tick(store, policy, answeredAt);
    let plan;
    await expectNothingChanged(store, async () => (plan = await answer(store, policy, plusDays(answeredAt, 1), 'leo@acme.example', [old], { type: 'confirm' })));
    expect(plan).toMatchObject({ results: [{ ok: false, code: 'already_closed', text: expect.stringMatching(/^checkout-api: this request was withdrawn on .*; nothing changed\.$/) }] });
  });
});

describe('answers: a pasted secret is refused and never stored', () => {
  it.each<[string, (secret: string) => AnswerAction, boolean]>([
    ['a note', () => ({ type: 'confirm' }), true],
    ['an update', (secret) => ({ type: 'update', changes: { recoveryProcedure: `use ${secret}` } }), false],
    ['a dispute reason', (secret) => ({ type: 'dispute', reason: secret, suggestedOwner: null }), false],
    ['a snooze reason', (secret) => ({ type: 'snooze', days: 3, reason: secret }), false],
  ])('when %s holds a secret, then the answer is refused, and the secret is in no table', async (_, action, inNote) => {
    const store = await asked();
    const secret = secretShapes.slackBotToken();
    let plan;
    await expectNothingChanged(store, async () => (plan = await answer(store, policy, answeredAt, 'ana@acme.example', [idOf(store, 'ci-key')], action(secret), inNote ? `token is ${secret}` : undefined)));
    expect(plan).toMatchObject({ results: [{ ok: false, code: 'bad_request', text: expect.stringContaining('a Slack token') }] });
    expect(JSON.stringify(dumpTables(store))).not.toContain(secret);
  });
});

describe('answers: an unanswered item that sat in the queue', () => {
  it('when its owner answers the next attestation, then it leaves the security queue and its Claim button goes', async () => {
    const store = await asked();
    await tick(store, policy, plusDays(askedAt, 21));
    expect(openQueue(store).map((q) => [q.ref, q.reason])).toEqual([
      ['checkout-api', 'attestation_expired'],
      ['ci-key', 'attestation_expired'],
      ['fx-api', 'attestation_expired'],
    ]);
    const again = plusDays(askedAt, 21 + 30);
    await tick(store, policy, again);
    await answer(store, policy, again, 'ana@acme.example', [idOf(store, 'checkout-api')], { type: 'confirm' });
    expect(openQueue(store).map((q) => q.ref)).toEqual(['ci-key', 'fx-api']);
    const queuePost = outbox(store).find((m) => m.kind === 'unowned_queue');
    expect(queuePost?.message.sections.find((s) => s.itemRef === 'checkout-api')).toMatchObject({ actions: [], resolved: `Resolved: answered by ana@acme.example on ${again.slice(0, 10)}` });
  });
});

describe('answers: the audit trail', () => {
  it('when a month of ticks and answers has happened, then every answer, reminder and escalation is an event and the chain verifies', async () => {
    const store = await asked();
    await tick(store, policy, plusDays(askedAt, 2));
    await answer(store, policy, plusDays(askedAt, 3), 'ana@acme.example', [idOf(store, 'checkout-api')], { type: 'confirm' });
    await tick(store, policy, plusDays(askedAt, 8));
    await answer(store, policy, plusDays(askedAt, 9), 'ben@acme.example', [idOf(store, 'ci-key')], { type: 'snooze', days: 5, reason: 'Rotating' });
    await answer(store, policy, plusDays(askedAt, 9), 'zed@acme.example', [idOf(store, 'fx-api')], { type: 'confirm' });
    await tick(store, policy, plusDays(askedAt, 30));
    const actions = auditEvents(store).map((e) => e.action);
    for (const action of ['attestation.reminded', 'attestation.escalated', 'attestation.answered', 'attestation.answer_refused', 'attestation.expired'])
      expect(actions).toContain(action);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: actions.length, brokenAt: null });
  });
});
