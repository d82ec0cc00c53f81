import { describe, expect, it } from 'vitest';
import { decideAnswer, type AnswerDecision } from '../../../src/attestation/decide-answer.js';
import { decideTick } from '../../../src/attestation/decide-tick.js';
import type { TickDecision, TickState } from '../../../src/attestation/tick-state.js';
import type { TickReport } from '../../../src/attestation/run-tick.js';
import { policyVersion } from '../../../src/policy/policy-version.js';
import type { Store } from '../../../src/ports/store.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import { ownedBy } from '../../support/loop.js';
import { secretShapes } from '../../support/secret-shapes.js';
import type { ContractSubject } from './contract-store.js';
import { portView, withoutAudit } from './port-view.js';
import { answerAs, claimAs, directoryAt, email, imported, importedAt, itemIdOf, openAttestationId, plusDays, policy, seeded, tickAt, trailActions } from './scenario.js';

const answeredAt = plusDays(importedAt, 1);
const version = policyVersion(policy);

/** ana owns checkout-api and ci-key (ben backs both up); leo owns fx-api. */
const inventory = () => [
  apiEntry({ ref: 'checkout-api', purpose: 'Takes card payments', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') }),
  identityEntry({ ref: 'ci-key', identityKind: 'api_key', purpose: 'CI', scopes: ['deploy:read'], expiresAt: '2027-03-01', owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'fx-api', owner: ownedBy('ledger', 'leo') }),
];

/** The inventory imported, and the tick at import time has asked ana and leo. */
async function asked(store: Store): Promise<Store> {
  await seeded(store, inventory());
  await tickAt(store, importedAt);
  return store;
}

const opened = (decisions: TickReport['decisions']) =>
  decisions.flatMap((d) => (d.type === 'open_attestation' ? [[d.ref, d.person, d.reason, d.dueAt] as const] : [])).sort(([a], [b]) => a.localeCompare(b));

/** A tick through the port itself, recording the state the store hands to the core's decide. */
async function tickRecordingState(store: Store, now: string, limit = 1000): Promise<{ states: TickState[]; more: boolean; decisions: readonly TickDecision[] }> {
  const states: TickState[] = [];
  const outcome = await store.runTick({
    now,
    policyVersion: version,
    limit,
    apply: true,
    decide: (state) => {
      states.push(state);
      return decideTick(state, policy);
    },
  });
  return { states, more: outcome.more, decisions: outcome.plan.decisions };
}

/** runTick, answerAttestations, claimItem, openAttestationOf and latestRecordedAt: the loop through the port. */
export function describeAttestationContract(subject: ContractSubject): void {
  describe('runTick: decisions are written with the state they came from', () => {
    it('when owned items are due, then one attestation opens for each, asking its accountable person, and the port shows it open', async () => {
      const store = await seeded(subject.store, inventory());
      expect(await store.openAttestationOf('api', 'checkout-api')).toEqual({ id: null, nextAt: null });
      const report = await tickAt(store, importedAt);
      const dueAt = plusDays(importedAt, policy.attestation.responseWindowDays);
      expect(opened(report.decisions)).toEqual([
        ['checkout-api', email('ana'), 'scheduled', dueAt],
        ['ci-key', email('ana'), 'scheduled', dueAt],
        ['fx-api', email('leo'), 'scheduled', dueAt],
      ]);
      const ids = report.decisions.flatMap((d) => (d.type === 'open_attestation' ? [d.id] : []));
      expect(new Set(ids).size).toBe(3);
      const checkoutId = report.decisions.find((d) => d.type === 'open_attestation' && d.ref === 'checkout-api');
      expect(await store.openAttestationOf('api', 'checkout-api')).toEqual({ id: checkoutId?.type === 'open_attestation' ? checkoutId.id : -1 });
      const mine = await store.myItems({ email: email('ana') });
      expect(mine?.pending.map((p) => [p.kind, p.ref, p.openedAt, p.dueAt, p.asBackup]).sort()).toEqual([
        ['api', 'checkout-api', importedAt, dueAt, false],
        ['identity', 'ci-key', importedAt, dueAt, false],
      ]);
      expect(mine?.pending.find((p) => p.ref === 'checkout-api')?.facts).toEqual({ purpose: 'Takes card payments', sensitivity: 'restricted', exposure: null, revocationPath: null, linked: [] });
      expect((await store.myItems({ email: email('ben') }))?.pending.map((p) => [p.ref, p.asBackup]).sort()).toEqual([
        ['checkout-api', true],
        ['ci-key', true],
      ]);
      expect(await trailActions(store, 'api', 'checkout-api')).toContain('attestation.opened');
    });

    it('when the same tick runs again at the same time, then it decides nothing and changes nothing', async () => {
      const store = await asked(subject.store);
      const before = await portView(store);
      const again = await tickAt(store, importedAt);
      expect(again.decisions).toEqual([]);
      expect(await portView(store)).toEqual(before);
    });

    it('when a tick is a dry run, then it decides what the real one will and writes nothing', async () => {
      const store = await seeded(subject.store, inventory());
      const before = await portView(store);
      const dry = await tickAt(store, importedAt, { dryRun: true });
      expect(opened(dry.decisions)).toHaveLength(3);
      expect(await portView(store)).toEqual(before);
      const real = await tickAt(store, importedAt);
      expect(real.decisions).toEqual(dry.decisions);
    });

    it('when nothing is due, then decide is handed nothing: no items, no attestations, no leavers', async () => {
      const store = await asked(subject.store);
      const { states, decisions } = await tickRecordingState(store, plusDays(importedAt, 1));
      expect(states).toHaveLength(1);
      expect(states[0]).toMatchObject({ now: plusDays(importedAt, 1), policyVersion: version, items: [], attestations: [], leavers: [] });
      expect(decisions).toEqual([]);
    });

    it('when the next attestation opens, then it gets the id the state promised, one past every id before', async () => {
      const store = await seeded(subject.store, [apiEntry({ ref: 'checkout-api', owner: ownedBy('payments', 'ana') })]);
      const first = await tickRecordingState(store, importedAt);
      const firstId = await openAttestationId(store, 'api', 'checkout-api');
      expect(firstId).toBe(first.states[0]?.nextAttestationId);
      await answerAs(store, answeredAt, email('ana'), [firstId], { type: 'snooze', days: 1, reason: 'on call' });
      const second = await tickRecordingState(store, plusDays(answeredAt, 1));
      expect(second.states[0]?.items.map((i) => i.ref)).toEqual(['checkout-api']);
      expect(second.states[0]?.nextAttestationId).toBeGreaterThan(firstId);
      expect(await openAttestationId(store, 'api', 'checkout-api')).toBe(second.states[0]?.nextAttestationId);
    });

    it('when more is due than the limit, then one transaction takes the limit with the other due items of the people in it, and says there is more; the core’s loop takes the rest', async () => {
      const store = await seeded(subject.store, inventory());
      const first = await tickRecordingState(store, importedAt, 1);
      expect(first.more).toBe(true);
      // The first due item is ana's, and so is her other one: one batch asks her about both, in one prompt.
      expect(first.states[0]?.items.map((i) => i.ref).sort()).toEqual(['checkout-api', 'ci-key']);
      expect(opened(first.decisions)).toHaveLength(2);
      const rest = await tickAt(store, importedAt, { batchSize: 1 });
      expect(opened(rest.decisions)).toHaveLength(1);
      for (const [kind, ref] of [['api', 'checkout-api'], ['identity', 'ci-key'], ['api', 'fx-api']] as const) expect((await store.openAttestationOf(kind, ref)).id).not.toBeNull();
      expect((await tickAt(store, importedAt)).decisions).toEqual([]);
    });

    it('when a plan would open a second attestation for one item, then the tick fails and nothing of it is written', async () => {
      const store = await seeded(subject.store, inventory());
      const before = await portView(store);
      const tick = store.runTick({
        now: importedAt,
        policyVersion: version,
        limit: 1000,
        apply: true,
        decide: (state) => {
          const plan = decideTick(state, policy);
          const open = plan.decisions.find((d) => d.type === 'open_attestation');
          if (open?.type !== 'open_attestation') throw new Error('contract: expected an attestation to open');
          return { decisions: [...plan.decisions, { ...open, id: open.id + 1000 }], messages: plan.messages };
        },
      });
      await expect(tick).rejects.toThrow();
      expect(await portView(store)).toEqual(before);
      expect((await tickAt(store, importedAt)).decisions.length).toBeGreaterThan(0);
    });

    it('when decide throws, then the tick rejects with its error and nothing is written', async () => {
      const store = await seeded(subject.store, inventory());
      const before = await portView(store);
      const failure = new Error('the core gave up');
      await expect(store.runTick({ now: importedAt, policyVersion: version, limit: 1000, apply: true, decide: () => { throw failure; } })).rejects.toBe(failure);
      expect(await portView(store)).toEqual(before);
    });

    it('when two ticks run at once, then each item is asked once', async () => {
      const store = await seeded(subject.store, inventory());
      const results = await Promise.allSettled([tickAt(store, importedAt), tickAt(store, importedAt)]);
      expect(results.some((r) => r.status === 'fulfilled')).toBe(true);
      for (const [kind, ref] of [['api', 'checkout-api'], ['identity', 'ci-key'], ['api', 'fx-api']] as const)
        expect((await trailActions(store, kind, ref)).filter((a) => a === 'attestation.opened')).toHaveLength(1);
    });
  });

  describe('latestRecordedAt: time does not go back', () => {
    it('when imports, a tick and an answer are recorded, then the latest time moves with each', async () => {
      const { store } = subject;
      expect(await store.latestRecordedAt()).toBeNull();
      await seeded(store, []);
      expect(await store.latestRecordedAt()).toBe(directoryAt);
      await imported(store, importedAt, 'inventory', inventory());
      expect(await store.latestRecordedAt()).toBe(importedAt);
      const tickedAt = plusDays(importedAt, 0.5);
      await tickAt(store, tickedAt);
      expect(await store.latestRecordedAt()).toBe(tickedAt);
      await answerAs(store, answeredAt, email('ana'), [await openAttestationId(store, 'api', 'checkout-api')], { type: 'confirm' });
      expect(await store.latestRecordedAt()).toBe(answeredAt);
    });

    it('when a tick is earlier than the latest record, then it is refused with that time, decides nothing and changes nothing', async () => {
      const store = await asked(subject.store);
      await answerAs(store, answeredAt, email('ana'), [await openAttestationId(store, 'api', 'checkout-api')], { type: 'confirm' });
      const before = await portView(store);
      let handed = false;
      const outcome = await store.runTick({
        now: plusDays(answeredAt, -0.5),
        policyVersion: version,
        limit: 1000,
        apply: true,
        decide: (state) => {
          handed = true;
          return decideTick(state, policy);
        },
      });
      expect(outcome).toMatchObject({ notBefore: answeredAt, queued: 0, more: false, plan: { decisions: [], messages: [] } });
      expect(handed).toBe(false);
      expect(await portView(store)).toEqual(before);
    });

    it('when something is recorded at an earlier time after a later one (a refusal at the clock’s time after a tick moved ahead), then the latest time stays the later one', async () => {
      const store = await asked(subject.store);
      const open = await openAttestationId(store, 'api', 'checkout-api');
      await answerAs(store, answeredAt, email('ana'), [open], { type: 'confirm' });
      // The core refuses an import then; a refused answer (a second click) is still recorded, at the time it was given.
      await answerAs(store, plusDays(importedAt, 0.25), email('ana'), [open], { type: 'confirm' });

      expect(await store.latestRecordedAt()).toBe(answeredAt);
      expect((await tickAt(store, plusDays(answeredAt, -0.1))).notBefore).toBe(answeredAt);
    });

    it('when a dry run is earlier than the latest record, then it is not refused, and writes nothing', async () => {
      const store = await asked(subject.store);
      const before = await portView(store);
      const dry = await tickAt(store, plusDays(importedAt, -0.5), { dryRun: true });
      expect(dry.notBefore).toBeUndefined();
      expect(await portView(store)).toEqual(before);
    });
  });

  describe('answerAttestations: an answer is recorded once, or not at all', () => {
    it('when the owner confirms, then the attestation closes as attested, by them, and the next one is on the cadence', async () => {
      const store = await asked(subject.store);
      const id = await openAttestationId(store, 'api', 'checkout-api');
      const plan = await answerAs(store, answeredAt, email('ana'), [id], { type: 'confirm' });
      expect(plan.results).toEqual([expect.objectContaining({ attestationId: id, ref: 'checkout-api', ok: true, outcome: 'attested' })]);
      const next = plusDays(answeredAt, 30);
      expect(await store.openAttestationOf('api', 'checkout-api')).toEqual({ id: null, nextAt: next });
      expect((await store.getItemDetail('api', 'checkout-api'))?.lastAttestation).toEqual({ at: answeredAt, outcome: 'attested', by: email('ana') });
      expect((await store.myItems({ email: email('ana') }))?.pending.map((p) => p.ref)).toEqual(['ci-key']);
      const [answered] = (await store.itemAuditTrail('api', 'checkout-api', 1))?.events ?? [];
      expect(answered).toMatchObject({ at: answeredAt, actor: email('ana'), action: 'attestation.answered', details: { attestation: id, outcome: 'attested' } });
    });

    it('when the backup answers, then that counts, recorded as theirs', async () => {
      const store = await asked(subject.store);
      const plan = await answerAs(store, answeredAt, email('ben'), [await openAttestationId(store, 'api', 'checkout-api')], { type: 'confirm' });
      expect(plan.results[0]).toMatchObject({ ok: true });
      expect((await store.getItemDetail('api', 'checkout-api'))?.lastAttestation).toEqual({ at: answeredAt, outcome: 'attested', by: email('ben') });
    });

    it('when the owner corrects facts, then the diff against the facts shown is recorded with the answer', async () => {
      const store = await asked(subject.store);
      const id = await openAttestationId(store, 'identity', 'ci-key');
      const plan = await answerAs(store, answeredAt, email('ana'), [id], { type: 'update', changes: { purpose: 'Deploys checkout', scopes: 'deploy:read' } });
      expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'attested' });
      const [answered] = (await store.itemAuditTrail('identity', 'ci-key', 1))?.events ?? [];
      expect(answered?.details).toMatchObject({ outcome: 'attested', changes: { purpose: ['CI', 'Deploys checkout'] } });
    });

    it('when the owner snoozes, then the item is asked again when the snooze ends', async () => {
      const store = await asked(subject.store);
      await answerAs(store, answeredAt, email('ana'), [await openAttestationId(store, 'api', 'checkout-api')], { type: 'snooze', days: 10, reason: 'migrating' });
      expect(await store.openAttestationOf('api', 'checkout-api')).toEqual({ id: null, nextAt: plusDays(answeredAt, 10) });
      expect((await store.getItemDetail('api', 'checkout-api'))?.lastAttestation).toMatchObject({ outcome: 'snoozed' });
      await tickAt(store, plusDays(answeredAt, 9));
      expect((await store.openAttestationOf('api', 'checkout-api')).id).toBeNull();
      await tickAt(store, plusDays(answeredAt, 10));
      expect((await store.openAttestationOf('api', 'checkout-api')).id).not.toBeNull();
    });

    it('when Confirm all holds an item the person may not answer, then the others are recorded and that one is refused', async () => {
      const store = await asked(subject.store);
      const checkout = await openAttestationId(store, 'api', 'checkout-api');
      const fx = await openAttestationId(store, 'api', 'fx-api');
      const plan = await answerAs(store, answeredAt, email('ana'), [checkout, fx], { type: 'confirm' });
      expect(plan.results.map((r) => [r.attestationId, r.ok])).toEqual([
        [checkout, true],
        [fx, false],
      ]);
      expect((await store.openAttestationOf('api', 'checkout-api')).id).toBeNull();
      expect(await store.openAttestationOf('api', 'fx-api')).toEqual({ id: fx });
    });

    it('when the same answer arrives twice (a double click), then the second is refused as already closed and changes nothing but the record of it', async () => {
      const store = await asked(subject.store);
      const id = await openAttestationId(store, 'api', 'checkout-api');
      await answerAs(store, answeredAt, email('ana'), [id], { type: 'confirm' });
      const before = await portView(store);
      const second = await answerAs(store, answeredAt, email('ana'), [id], { type: 'confirm' });
      expect(second.results).toEqual([expect.objectContaining({ ok: false, code: 'already_closed' })]);
      expect(withoutAudit(await portView(store))).toEqual(withoutAudit(before));
      expect((await trailActions(store, 'api', 'checkout-api')).filter((a) => a === 'attestation.answer_refused')).toHaveLength(1);
    });

    it('when an answer is refused (not the owner, unknown, no such attestation, a secret, a snooze too long), then nothing changes but the record of it', async () => {
      const store = await asked(subject.store);
      const id = await openAttestationId(store, 'api', 'checkout-api');
      const before = await portView(store);
      const refusals = [
        await answerAs(store, answeredAt, email('zed'), [id], { type: 'confirm' }),
        await answerAs(store, answeredAt, 'nobody@acme.example', [id], { type: 'confirm' }),
        await answerAs(store, answeredAt, email('ana'), [999_999], { type: 'confirm' }),
        await answerAs(store, answeredAt, email('ana'), [id], { type: 'confirm' }, `the key is ${secretShapes.githubClassicToken()}`),
        await answerAs(store, answeredAt, email('ana'), [id], { type: 'snooze', days: 365, reason: 'later' }),
      ];
      expect(refusals.map((plan) => plan.results.map((r) => (r.ok ? 'ok' : r.code)))).toEqual([['not_owner'], ['unknown_person'], ['not_found'], ['bad_request'], ['bad_request']]);
      expect(withoutAudit(await portView(store))).toEqual(withoutAudit(before));
      const trail = await store.itemAuditTrail('api', 'checkout-api', 4);
      expect(trail?.events.map((e) => [e.action, e.details['code']])).toEqual([
        ['attestation.answer_refused', 'not_owner'],
        ['attestation.answer_refused', 'unknown_person'],
        ['attestation.answer_refused', 'bad_request'],
        ['attestation.answer_refused', 'bad_request'],
      ]);
      expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
    });

    it('when a plan would close an attestation that is no longer open, then the whole answer fails and nothing of it is written', async () => {
      const store = await asked(subject.store);
      const checkout = await openAttestationId(store, 'api', 'checkout-api');
      const ciKey = await openAttestationId(store, 'identity', 'ci-key');
      const ciKeyItem = await itemIdOf(store, 'identity', 'ci-key');
      await answerAs(store, answeredAt, email('ana'), [ciKey], { type: 'confirm' });
      const before = await portView(store);
      const answer = store.answerAttestations({
        now: answeredAt,
        actor: { email: email('ana') },
        attestationIds: [checkout, ciKey],
        decide: (state) => {
          const plan = decideAnswer(state, { type: 'confirm' }, null, policy);
          const close = plan.decisions.find((d): d is Extract<AnswerDecision, { type: 'close' }> => d.type === 'close');
          if (!close) throw new Error('contract: expected checkout-api to close');
          return { ...plan, decisions: [...plan.decisions, { ...close, attestationId: ciKey, itemId: ciKeyItem, ref: 'ci-key' }] };
        },
      });
      await expect(answer).rejects.toThrow();
      expect(await portView(store)).toEqual(before);
      expect(await store.openAttestationOf('api', 'checkout-api')).toEqual({ id: checkout });
    });

    it('when the owner and the backup answer at once, then exactly one answer is recorded', async () => {
      const store = await asked(subject.store);
      const id = await openAttestationId(store, 'api', 'checkout-api');
      const results = await Promise.allSettled([
        answerAs(store, answeredAt, email('ana'), [id], { type: 'confirm' }),
        answerAs(store, answeredAt, email('ben'), [id], { type: 'decommission', reason: 'replaced' }),
      ]);
      const outcomes = results.flatMap((r) => (r.status === 'fulfilled' ? r.value.results.map((x) => (x.ok ? 'ok' : x.code)) : ['rejected']));
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(1);
      expect((await trailActions(store, 'api', 'checkout-api')).filter((a) => a === 'attestation.answered')).toHaveLength(1);
    });

    it('when nobody answers before it expires, then it closes as expired, and a late answer is refused', async () => {
      const store = await asked(subject.store);
      const id = await openAttestationId(store, 'api', 'fx-api');
      const expiredAt = plusDays(importedAt, policy.attestation.expireAfterDays);
      const report = await tickAt(store, expiredAt);
      expect(report.decisions).toContainEqual(expect.objectContaining({ type: 'expire', attestationId: id, ref: 'fx-api' }));
      expect((await store.getItemDetail('api', 'fx-api'))?.lastAttestation).toEqual({ at: expiredAt, outcome: 'expired', by: null });
      expect((await store.openAttestationOf('api', 'fx-api')).id).toBeNull();
      const late = await answerAs(store, plusDays(expiredAt, 1), email('leo'), [id], { type: 'confirm' });
      expect(late.results).toEqual([expect.objectContaining({ ok: false, code: 'already_closed' })]);
    });
  });

  describe('claimItem: an item waiting for an owner gets one', () => {
    /** orphan-api has no owner; the tick at import time puts it in the security queue. */
    async function queued(store: Store): Promise<{ store: Store; orphan: number }> {
      await seeded(store, [...inventory(), apiEntry({ ref: 'orphan-api' })]);
      await tickAt(store, importedAt);
      return { store, orphan: await itemIdOf(store, 'api', 'orphan-api') };
    }
    const claimedAt = answeredAt;

    it('when a person in one team claims a queued item, then they are accountable, it joins their team, and it is asked about next', async () => {
      const { store, orphan } = await queued(subject.store);
      expect((await store.listItems({ unowned: true })).items.map((i) => i.ref)).toEqual(['orphan-api']);
      const result = await claimAs(store, claimedAt, email('pat'), orphan);
      expect(result).toMatchObject({ ok: true, ref: 'orphan-api', team: 'platform' });
      const detail = await store.getItemDetail('api', 'orphan-api');
      expect(detail?.item.owner).toMatchObject({ team: { slug: 'platform' }, accountable: { email: email('pat') }, since: claimedAt });
      expect(detail?.history).toEqual([]);
      expect(await store.listItems({ unowned: true })).toEqual({ items: [], total: 0 });
      expect(await store.openAttestationOf('api', 'orphan-api')).toEqual({ id: null, nextAt: claimedAt });
      expect((await trailActions(store, 'api', 'orphan-api')).at(-1)).toBe('item.owner_changed');
      await tickAt(store, claimedAt);
      expect((await store.myItems({ email: email('pat') }))?.pending.map((p) => p.ref)).toEqual(['orphan-api']);
    });

    it('when the same claim arrives twice, then the second is refused as not queued and changes nothing but the record of it', async () => {
      const { store, orphan } = await queued(subject.store);
      await claimAs(store, claimedAt, email('pat'), orphan);
      const before = await portView(store);
      expect(await claimAs(store, claimedAt, email('pat'), orphan)).toMatchObject({ ok: false, code: 'not_queued' });
      expect(withoutAudit(await portView(store))).toEqual(withoutAudit(before));
      expect((await trailActions(store, 'api', 'orphan-api')).filter((a) => a === 'queue.claim_refused')).toHaveLength(1);
    });

    it('when a claim is refused (not queued, no such item, unknown person, needs a team), then nothing changes but the record of it', async () => {
      const { store, orphan } = await queued(subject.store);
      const before = await portView(store);
      expect(await claimAs(store, claimedAt, email('pat'), await itemIdOf(store, 'api', 'checkout-api'))).toMatchObject({ ok: false, code: 'not_queued' });
      expect(await claimAs(store, claimedAt, email('pat'), 999_999)).toMatchObject({ ok: false, code: 'not_found' });
      expect(await claimAs(store, claimedAt, 'nobody@acme.example', orphan)).toMatchObject({ ok: false, code: 'unknown_person' });
      expect(await claimAs(store, claimedAt, email('ana'), orphan)).toEqual(expect.objectContaining({ ok: false, code: 'needs_team', teams: ['payments', 'platform'] }));
      expect(withoutAudit(await portView(store))).toEqual(withoutAudit(before));
    });

    it('when a disputed item is taken by someone of its team, then the earlier owner becomes history and the new one is asked', async () => {
      const store = await asked(subject.store);
      const id = await openAttestationId(store, 'api', 'checkout-api');
      const plan = await answerAs(store, answeredAt, email('ana'), [id], { type: 'dispute', reason: 'moved teams', suggestedOwner: null });
      expect(plan.results[0]).toMatchObject({ ok: true, outcome: 'disputed' });
      expect(await store.openAttestationOf('api', 'checkout-api')).toEqual({ id: null, nextAt: null });
      const takenAt = plusDays(answeredAt, 1);
      expect(await claimAs(store, takenAt, email('cy'), await itemIdOf(store, 'api', 'checkout-api'))).toMatchObject({ ok: true, team: 'payments' });
      const detail = await store.getItemDetail('api', 'checkout-api');
      expect(detail?.item.owner).toMatchObject({ accountable: { email: email('cy') }, since: takenAt });
      expect(detail?.history).toEqual([{ team: 'payments', accountable: email('ana'), backup: email('ben'), approver: null, fromAt: importedAt, toAt: takenAt }]);
      await tickAt(store, takenAt);
      expect((await store.myItems({ email: email('cy') }))?.pending.map((p) => [p.ref, p.asBackup])).toEqual([['checkout-api', false]]);
    });

    it('when decide throws, then the claim rejects and nothing is written, not even a refusal', async () => {
      const { store, orphan } = await queued(subject.store);
      const before = await portView(store);
      const failure = new Error('the core gave up');
      await expect(store.claimItem({ now: claimedAt, actor: { email: email('pat') }, itemId: orphan, team: null, decide: () => { throw failure; } })).rejects.toBe(failure);
      expect(await portView(store)).toEqual(before);
    });

    it('when two people claim the same item at once, then exactly one becomes its owner', async () => {
      const { store, orphan } = await queued(subject.store);
      const results = await Promise.allSettled([claimAs(store, claimedAt, email('pat'), orphan), claimAs(store, claimedAt, email('leo'), orphan)]);
      const ok = results.flatMap((r) => (r.status === 'fulfilled' && r.value.ok ? [r.value] : []));
      expect(ok).toHaveLength(1);
      const winner = ok[0]?.team === 'platform' ? email('pat') : email('leo');
      expect((await store.getItemDetail('api', 'orphan-api'))?.item.owner.accountable?.email).toBe(winner);
    });
  });
}
