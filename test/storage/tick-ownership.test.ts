import { describe, expect, it } from 'vitest';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { dumpTables } from './support/dump-tables.js';
import { apiEntry, identityEntry, personEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { claim, directoryEntries, importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../support/loop.js';
import { attestations, auditEvents, itemOf, lastAuditId, openAttestationOf, openAttestations, openQueue, outbox, outboxAt, queueEntries } from './support/loop-state.js';

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const policy = loopPolicy();

/** The shared directory with `email`'s person entry replaced (e.g. marked inactive) or left out (undefined). */
function directoryWith(email: string, replacement?: RawEntry): RawEntry[] {
  const others = directoryEntries().filter((e) => !(e.type === 'person' && e.data.email === email));
  return replacement ? [...others, replacement] : others;
}

const checkout = (owner = ownedBy('payments', 'ana', 'ben')) => apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner });

describe('unowned items: the security queue, with Claim', () => {
  it('when an item has no team and nobody accountable, then it joins the security queue, posted with a Claim button', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'orphan-api', purpose: 'Nobody knows' })]);
    await tick(store, policy, importedAt);
    expect(openQueue(store)).toEqual([expect.objectContaining({ ref: 'orphan-api', queue: 'security', reason: 'unowned' })]);
    const [post] = outbox(store);
    expect(summarise(outbox(store))).toEqual(['unowned_queue → security: orphan-api']);
    expect(post?.message.sections[0]?.actions).toEqual([{ id: 'queue.claim', label: 'Claim', value: String(itemOf(store, 'orphan-api').id), style: 'primary' }]);
    expect(post?.message.sections[0]?.facts[0]).toEqual({ label: 'Why', value: 'no owning team or accountable person' });
    expect(auditEvents(store, { action: 'queue.added' })).toEqual([expect.objectContaining({ subject: 'orphan-api', details: { queue: 'security', reason: 'unowned', detail: null } })]);
    expect(attestations(store)).toEqual([]);
  });

  it('when an item names a person but no team, then it is queued too (an owner is a team plus a person)', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'half-owned', owner: { accountable: 'ana@acme.example' } })]);
    await tick(store, policy, importedAt);
    expect(openQueue(store).map((q) => [q.ref, q.queue, q.reason])).toEqual([['half-owned', 'security', 'unowned']]);
  });

  it('when unowned items stay unowned, then later ticks do not post them again', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'orphan-api' })]);
    for (const n of [0, 1, 7, 30, 90]) await tick(store, policy, plusDays(importedAt, n));
    expect(outbox(store)).toHaveLength(1);
    expect(queueEntries(store)).toHaveLength(1);
  });

  it('when a re-import gives the item an owner, then it leaves the queue, its Claim button goes, and the owner is asked', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'orphan-api' })]);
    await tick(store, policy, importedAt);
    const later = plusDays(importedAt, 3);
    await importLoop(store, later, [apiEntry({ ref: 'orphan-api', owner: ownedBy('ledger', 'leo') })]);
    await tick(store, policy, later);
    expect(openQueue(store)).toEqual([]);
    expect(queueEntries(store)[0]).toMatchObject({ resolvedAt: later, resolution: 'leo@acme.example is accountable now' });
    expect(outbox(store)[0]?.message.sections[0]).toMatchObject({ actions: [], resolved: 'Resolved: leo@acme.example is accountable now' });
    expect(summarise(outboxAt(store, later))).toEqual(['attestation_prompt → leo@acme.example: orphan-api']);
  });
});

describe('team-owned items with nobody named: the team channel, with Take it', () => {
  it('when a team owns an item but names nobody, then it is put to the team’s channel with a Take it button', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger') })]);
    await tick(store, policy, importedAt);
    expect(openQueue(store)).toEqual([expect.objectContaining({ ref: 'ledger-api', queue: 'team', reason: 'no_accountable_person' })]);
    expect(summarise(outbox(store))).toEqual(['team_queue → team:ledger: ledger-api']);
    expect(outbox(store)[0]?.message.sections[0]?.actions.map((a) => a.id)).toEqual(['queue.take']);
  });

  it('when the team has no channel, then the item goes to the security queue instead', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'infra-api', owner: ownedBy('platform') })]);
    await tick(store, policy, importedAt);
    expect(openQueue(store).map((q) => [q.ref, q.queue, q.reason])).toEqual([['infra-api', 'security', 'no_accountable_person']]);
    expect(summarise(outbox(store))).toEqual(['unowned_queue → security: infra-api']);
  });
});

describe('claims: who may take an item, and for which team', () => {
  async function queued(): Promise<SqliteStore> {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger') }), apiEntry({ ref: 'orphan-api' }), checkout()]);
    await tick(store, policy, importedAt);
    return store;
  }
  const at = plusDays(importedAt, 1);

  it('when a member of the owning team takes an item, then they are accountable, it leaves the queue and they are asked next tick', async () => {
    const store = await queued();
    const result = await claim(store, at, 'lia@acme.example', itemOf(store, 'ledger-api').id);
    expect(result).toEqual({ ok: true, ref: 'ledger-api', teamId: expect.any(Number), team: 'ledger', text: 'ledger-api is yours now; you will be asked to confirm it.' });
    expect(itemOf(store, 'ledger-api')).toMatchObject({ team: 'ledger', accountable: 'lia@acme.example', nextAttestationAt: at });
    expect(openQueue(store).map((q) => q.ref)).toEqual(['orphan-api']);
    expect(outbox(store).find((m) => m.kind === 'team_queue')?.message.sections[0]).toMatchObject({ actions: [], resolved: `Claimed by lia@acme.example on ${at.slice(0, 10)}` });
    expect(auditEvents(store, { action: 'item.owner_changed' })).toEqual([expect.objectContaining({ actor: 'lia@acme.example', subject: 'ledger-api' })]);
    await tick(store, policy, at);
    expect(summarise(outboxAt(store, at).filter((m) => m.refs.includes('ledger-api')))).toEqual(['attestation_prompt → lia@acme.example: ledger-api']);
  });

  it('when someone outside the owning team tries to take it, then they are refused and nothing but the refusal is recorded', async () => {
    const store = await queued();
    const before = dumpTables(store);
    const auditBefore = lastAuditId(store);
    expect(await claim(store, at, 'ana@acme.example', itemOf(store, 'ledger-api').id)).toMatchObject({ ok: false, code: 'not_in_team' });
    expect(auditEvents(store, { after: auditBefore }).map((e) => [e.action, e.details.code])).toEqual([['queue.claim_refused', 'not_in_team']]);
    const after = dumpTables(store);
    expect({ ...after, audit_events: [] }).toEqual({ ...before, audit_events: [] });
  });

  it('when a person in one team claims an unowned item, then it joins that team', async () => {
    const store = await queued();
    expect(await claim(store, at, 'leo@acme.example', itemOf(store, 'orphan-api').id)).toMatchObject({ ok: true, team: 'ledger' });
    expect(itemOf(store, 'orphan-api')).toMatchObject({ team: 'ledger', accountable: 'leo@acme.example' });
  });

  it('when a person in two teams claims an unowned item without naming one, then they are asked which', async () => {
    const store = await queued();
    expect(await claim(store, at, 'ana@acme.example', itemOf(store, 'orphan-api').id)).toEqual({
      ok: false,
      code: 'needs_team',
      ref: 'orphan-api',
      teams: ['payments', 'platform'],
      text: 'orphan-api needs an owning team: say which of yours (payments, platform).',
    });
    expect(await claim(store, at, 'ana@acme.example', itemOf(store, 'orphan-api').id, 'Platform')).toMatchObject({ ok: true, team: 'platform' });
    expect(itemOf(store, 'orphan-api')).toMatchObject({ team: 'platform', accountable: 'ana@acme.example' });
  });

  it('when a person names a team they are not in, then they are asked which of theirs', async () => {
    const store = await queued();
    expect(await claim(store, at, 'ana@acme.example', itemOf(store, 'orphan-api').id, 'ledger')).toMatchObject({ ok: false, code: 'needs_team' });
  });

  it('when a person in no team claims, then they are told it needs a team', async () => {
    const store = await queued();
    expect(await claim(store, at, 'zed@acme.example', itemOf(store, 'orphan-api').id)).toMatchObject({ ok: false, code: 'needs_team' });
  });

  it.each<[string, string, string]>([
    ['an unknown person', 'nobody@acme.example', 'unknown_person'],
    ['a claim of an item that is not queued', 'ana@acme.example', 'not_queued'],
  ])('when %s (%s) claims, then they are refused: %s', async (_, email, code) => {
    const store = await queued();
    const item = code === 'not_queued' ? itemOf(store, 'checkout-api').id : itemOf(store, 'orphan-api').id;
    expect(await claim(store, at, email, item)).toMatchObject({ ok: false, code });
  });

  it('when an item id does not exist, then the claim is refused as not found', async () => {
    const store = await queued();
    expect(await claim(store, at, 'ana@acme.example', 9999)).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('when the same claim arrives twice (a double click), then the second changes nothing', async () => {
    const store = await queued();
    const id = itemOf(store, 'ledger-api').id;
    await claim(store, at, 'lia@acme.example', id);
    const before = dumpTables(store);
    expect(await claim(store, at, 'leo@acme.example', id)).toMatchObject({ ok: false, code: 'not_queued', text: 'ledger-api is not waiting for an owner (lia@acme.example is accountable); nothing changed.' });
    expect({ ...dumpTables(store), audit_events: [] }).toEqual({ ...before, audit_events: [] });
  });
});

describe('an owner change by re-import', () => {
  it('when the accountable person changes, then the open attestation is superseded, its prompt loses its buttons, and the new owner is asked', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [checkout()]);
    await tick(store, policy, askedAt);
    const old = openAttestationOf(store, 'checkout-api');
    const changedAt = plusDays(askedAt, 1);
    await importLoop(store, changedAt, [checkout(ownedBy('ledger', 'leo'))]);
    await tick(store, policy, changedAt);

    expect(attestations(store).map((a) => [a.id, a.person, a.status, a.outcome])).toEqual([
      [old.id, 'ana@acme.example', 'closed', 'superseded'],
      [old.id + 1, 'leo@acme.example', 'open', null],
    ]);
    const oldPrompt = outbox(store)[0];
    expect(oldPrompt?.to).toBe('ana@acme.example');
    expect(oldPrompt?.message.sections[0]).toMatchObject({ actions: [], resolved: 'No longer asked: leo@acme.example is accountable now' });
    expect(summarise(outboxAt(store, changedAt))).toEqual(['attestation_prompt → leo@acme.example: checkout-api']);
    expect(auditEvents(store, { action: 'attestation.superseded' })).toEqual([expect.objectContaining({ subject: 'checkout-api', details: { attestation: old.id, why: 'leo@acme.example is accountable now' } })]);
  });

  it('when the owner changes while a reminder is due, then the old owner is not reminded', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [checkout()]);
    await tick(store, policy, askedAt);
    const changedAt = plusDays(askedAt, 3);
    await importLoop(store, changedAt, [checkout(ownedBy('ledger', 'leo'))]);
    await tick(store, policy, changedAt);
    expect(summarise(outboxAt(store, changedAt))).toEqual(['attestation_prompt → leo@acme.example: checkout-api']);
    expect(auditEvents(store, { action: 'attestation.reminded' })).toEqual([]);
  });

  it('when only the backup is swapped with the accountable person, then the attestation stays open with them', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [checkout()]);
    await tick(store, policy, askedAt);
    const changedAt = plusDays(askedAt, 1);
    await importLoop(store, changedAt, [checkout(ownedBy('payments', 'ben', 'ana'))]);
    await tick(store, policy, changedAt);
    expect(openAttestations(store).map((a) => a.person)).toEqual(['ana@acme.example']);
  });
});

describe('leavers: their items are re-routed at once', () => {
  async function anaLeaves(items: RawEntry[], how: 'inactive' | 'vanished' = 'inactive') {
    const store = memoryStore();
    await importLoop(store, importedAt, items);
    await tick(store, policy, askedAt);
    const leftAt = plusDays(askedAt, 1);
    await importLoop(store, leftAt, items, directoryWith('ana@acme.example', how === 'inactive' ? personEntry('ana@acme.example', { active: false }) : undefined));
    const before = lastAuditId(store);
    await tick(store, policy, leftAt);
    return { store, leftAt, events: auditEvents(store, { after: before }) };
  }

  it('when a person is marked inactive, then their item goes to the backup, who is asked at once', async () => {
    const { store, leftAt, events } = await anaLeaves([checkout()]);
    expect(itemOf(store, 'checkout-api')).toMatchObject({ accountable: 'ben@acme.example', backup: null });
    expect(attestations(store).map((a) => [a.person, a.reason, a.status, a.outcome])).toEqual([
      ['ana@acme.example', 'scheduled', 'closed', 'superseded'],
      ['ben@acme.example', 'owner_left', 'open', null],
    ]);
    const [prompt] = outboxAt(store, leftAt);
    expect(summarise(outboxAt(store, leftAt))).toEqual(['attestation_prompt → ben@acme.example: checkout-api']);
    expect(prompt?.message.text).toMatch(/^ana@acme\.example has left; you were their backup, so 1 item is now yours\./);
    expect(outbox(store)[0]?.message.sections[0]).toMatchObject({ actions: [], resolved: 'No longer asked: ana@acme.example has left' });
    expect(events.map((e) => e.action)).toEqual(['attestation.superseded', 'item.owner_changed', 'attestation.opened', 'person.left']);
    const periods = store.db.prepare<[], { ended_by: string }>('SELECT ended_by FROM ownership_periods').all();
    expect(periods).toEqual([{ ended_by: 'leaver' }]);
    expect(openQueue(store)).toEqual([]);
  });

  it('when a person vanishes from the source that declared them, then they are treated as a leaver', async () => {
    const { store } = await anaLeaves([checkout()], 'vanished');
    expect(itemOf(store, 'checkout-api').accountable).toBe('ben@acme.example');
  });

  it('when there is no backup, then the item joins the security queue and the team lead is told', async () => {
    const { store, leftAt } = await anaLeaves([checkout(ownedBy('payments', 'ana'))]);
    expect(openQueue(store)).toEqual([expect.objectContaining({ ref: 'checkout-api', queue: 'security', reason: 'owner_left', detail: 'ana@acme.example' })]);
    expect(openAttestations(store)).toEqual([]);
    expect(summarise(outboxAt(store, leftAt)).sort()).toEqual(['owner_left → lena@acme.example: checkout-api', 'unowned_queue → security: checkout-api']);
  });

  it('when the team has no lead either, then only the security queue hears of it', async () => {
    const { store, leftAt } = await anaLeaves([apiEntry({ ref: 'infra-api', owner: ownedBy('platform', 'ana') })]);
    expect(summarise(outboxAt(store, leftAt))).toEqual(['unowned_queue → security: infra-api']);
  });

  it('when the leaver had several items, then the backup gets one prompt and the lead one notice', async () => {
    const items = [checkout(), apiEntry({ ref: 'refund-api', owner: ownedBy('payments', 'ana', 'ben') }), apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') }), apiEntry({ ref: 'tax-api', owner: ownedBy('payments', 'ana') })];
    const { store, leftAt } = await anaLeaves(items);
    expect(summarise(outboxAt(store, leftAt)).sort()).toEqual([
      'attestation_prompt → ben@acme.example: checkout-api, refund-api',
      'owner_left → lena@acme.example: fx-api, tax-api',
      'unowned_queue → security: fx-api, tax-api',
    ]);
  });

  it('when the leaver is handled, then the next tick at the same time does nothing, and they are not handled again later', async () => {
    const { store, leftAt } = await anaLeaves([checkout(), apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') })]);
    const before = dumpTables(store);
    expect((await tick(store, policy, leftAt)).decisions).toEqual([]);
    expect(dumpTables(store)).toEqual(before);
    await tick(store, policy, plusDays(leftAt, 1));
    expect(auditEvents(store, { action: 'person.left' })).toHaveLength(1);
  });

  it('when the backup is the one asked after a leaver, then the backup’s answer counts (they are accountable now)', async () => {
    const { store } = await anaLeaves([checkout()]);
    expect(openAttestationOf(store, 'checkout-api').person).toBe('ben@acme.example');
  });
});

describe('vanished and retired items stop being asked', () => {
  it('when an item vanishes from its source, then its open attestation is withdrawn and it is never asked again', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [checkout(), apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') })]);
    await tick(store, policy, askedAt);
    const goneAt = plusDays(askedAt, 1);
    await importLoop(store, goneAt, [apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') })]);
    await tick(store, policy, goneAt);
    expect(attestations(store).find((a) => a.ref === 'checkout-api')).toMatchObject({ status: 'closed', outcome: 'superseded' });
    expect(itemOf(store, 'checkout-api')).toMatchObject({ nextAttestationAt: null, nextCheckAt: null });
    for (const n of [2, 5, 7, 30, 90, 200]) await tick(store, policy, plusDays(askedAt, n));
    expect(attestations(store).filter((a) => a.ref === 'checkout-api')).toHaveLength(1);
    expect(outbox(store).filter((m) => m.refs.includes('checkout-api') && m.kind !== 'attestation_prompt')).toEqual([]);
  });

  it('when a queued item vanishes, then it leaves the queue and its Claim button goes', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiEntry({ ref: 'orphan-api' }), checkout()]);
    await tick(store, policy, importedAt);
    const goneAt = plusDays(importedAt, 1);
    await importLoop(store, goneAt, [checkout()]);
    await tick(store, policy, goneAt);
    expect(openQueue(store)).toEqual([]);
    expect(outbox(store)[0]?.message.sections[0]).toMatchObject({ actions: [], resolved: 'Resolved: it vanished from its source' });
  });

  it.each<[string, RawEntry, RawEntry]>([
    ['an API is decommissioned', checkout(), apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', lifecycle: 'decommissioned', owner: ownedBy('payments', 'ana', 'ben') })],
    [
      'an identity is revoked',
      identityEntry({ ref: 'ci-key', identityKind: 'api_key', expiresAt: '2027-06-01', owner: ownedBy('payments', 'ana') }),
      identityEntry({ ref: 'ci-key', identityKind: 'api_key', expiresAt: '2027-06-01', status: 'revoked', owner: ownedBy('payments', 'ana') }),
    ],
  ])('when %s, then it is no longer asked about or warned of', async (_, live, retired) => {
    const store = memoryStore();
    await importLoop(store, importedAt, [live]);
    await tick(store, policy, askedAt);
    const retiredAt = plusDays(askedAt, 1);
    await importLoop(store, retiredAt, [retired]);
    await tick(store, policy, retiredAt);
    expect(openAttestations(store)).toEqual([]);
    const messages = outbox(store).length;
    for (const n of [30, 90, 200, 400]) await tick(store, policy, plusDays(askedAt, n));
    expect(outbox(store)).toHaveLength(messages);
    expect(attestations(store)).toHaveLength(1);
  });

  it('when a leaver’s item was retired, then nobody is asked to take it over', async () => {
    const store = memoryStore();
    const retired = apiEntry({ ref: 'old-api', lifecycle: 'decommissioned', owner: ownedBy('payments', 'ana', 'ben') });
    await importLoop(store, importedAt, [retired]);
    await tick(store, policy, askedAt);
    const leftAt = plusDays(askedAt, 1);
    await importLoop(store, leftAt, [retired], directoryWith('ana@acme.example', personEntry('ana@acme.example', { active: false })));
    await tick(store, policy, leftAt);
    expect(outboxAt(store, leftAt)).toEqual([]);
    expect(itemOf(store, 'old-api').accountable).toBe('ana@acme.example');
  });
});
