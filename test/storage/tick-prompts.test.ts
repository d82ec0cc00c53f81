import { describe, expect, it } from 'vitest';
import { runTick } from '../../src/attestation/run-tick.js';
import { decideTick } from '../../src/attestation/decide-tick.js';
import type { TickState } from '../../src/attestation/tick-state.js';
import { policyVersion } from '../../src/policy/policy-version.js';
import { dumpTables } from './support/dump-tables.js';
import { apiEntry, identityEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { answer, importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../support/loop.js';
import { attestations, auditEvents, itemOf, lastAuditId, openAttestations, outbox, outboxAt } from './support/loop-state.js';

const importedAt = '2026-11-02T09:00:00.000Z';
const policy = loopPolicy();

const apis = (prefix: string, count: number, owner: ReturnType<typeof ownedBy>) =>
  Array.from({ length: count }, (_, i) => apiEntry({ ref: `${prefix}-${String(i + 1).padStart(2, '0')}`, sensitivity: 'internal', exposure: 'internal', owner }));

describe('tick: new items get their first attestation soon after import', () => {
  it('when 40 owned items arrive and the tick runs daily, then each is first asked within firstWithinDays, on several days', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, apis('svc', 40, ownedBy('payments', 'ana')));
    for (let day = 0; day <= 7; day += 1) await tick(store, policy, plusDays(importedAt, day));
    const opened = attestations(store);
    expect(opened).toHaveLength(40);
    for (const a of opened) {
      expect(a.openedAt >= importedAt).toBe(true);
      expect(a.openedAt <= plusDays(importedAt, policy.attestation.firstWithinDays)).toBe(true);
    }
    expect(new Set(opened.map((a) => a.openedAt)).size).toBeGreaterThan(3);
  });

  it('when an item is imported, then the tick at import time schedules its first attestation instead of asking at once (unless it falls then)', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, apis('svc', 5, ownedBy('payments', 'ana')));
    await tick(store, policy, importedAt);
    for (const ref of ['svc-01', 'svc-02', 'svc-03', 'svc-04', 'svc-05']) {
      const { nextAttestationAt, nextCheckAt } = itemOf(store, ref);
      expect(nextAttestationAt).not.toBeNull();
      expect(nextCheckAt).toBe(nextAttestationAt);
      expect((nextAttestationAt ?? '') < plusDays(importedAt, 7)).toBe(true);
    }
  });

  it('when an attestation opens, then it records who is asked, why, when it is due, the facts shown and the policy version', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [
      identityEntry({
        ref: 'ci-deploy-key',
        identityKind: 'api_key',
        purpose: 'Deploys checkout',
        scopes: ['deploy:write'],
        createdAt: '2026-10-01',
        expiresAt: '2027-03-01',
        lastUsedAt: '2026-10-30',
        recoveryProcedure: 'Rotate in Vault',
        owner: ownedBy('payments', 'ana', 'ben'),
        links: [{ relation: 'calls', kind: 'api', ref: 'checkout-api' }],
      }),
    ]);
    const at = plusDays(importedAt, 7);
    await tick(store, policy, at);
    expect(attestations(store)).toEqual([
      expect.objectContaining({
        ref: 'ci-deploy-key',
        person: 'ana@acme.example',
        reason: 'scheduled',
        status: 'open',
        openedAt: at,
        dueAt: plusDays(at, 7),
        nextActionAt: plusDays(at, 2),
        policyVersion: policyVersion(policy),
        facts: {
          purpose: 'Deploys checkout',
          scopes: ['deploy:write'],
          expiresAt: '2027-03-01T00:00:00.000Z',
          recoveryProcedure: 'Rotate in Vault',
          lastUsedAt: '2026-10-30T00:00:00.000Z',
          linked: ['calls api checkout-api'],
        },
      }),
    ]);
    expect(auditEvents(store, { action: 'attestation.opened' })).toEqual([
      expect.objectContaining({ at, actor: 'steward:tick', subject: 'ci-deploy-key', details: expect.objectContaining({ person: 'ana@acme.example', reason: 'scheduled' }) }),
    ]);
  });
});

describe('tick: one prompt per person per tick', () => {
  it('when several people have items due, then each gets one message with all of theirs and its facts', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [
      ...apis('pay', 3, ownedBy('payments', 'ana')),
      ...apis('led', 2, ownedBy('ledger', 'leo')),
      identityEntry({ ref: 'ci-key', identityKind: 'api_key', purpose: 'CI', scopes: ['a', 'b'], expiresAt: '2027-06-01', recoveryProcedure: 'Rotate', owner: ownedBy('payments', 'ana') }),
    ]);
    const at = plusDays(importedAt, 7);
    await tick(store, policy, at);
    const prompts = outboxAt(store, at).filter((m) => m.kind === 'attestation_prompt');
    const ana = prompts.find((m) => m.to === 'ana@acme.example');
    expect(prompts).toHaveLength(2);
    expect(summarise(prompts.filter((m) => m.to === 'leo@acme.example'))).toEqual(['attestation_prompt → leo@acme.example: led-01, led-02']);
    expect(new Set(ana?.refs)).toEqual(new Set(['pay-01', 'pay-02', 'pay-03', 'ci-key']));
    expect(ana?.message.title).toBe('4 items to confirm');
    const ids = openAttestations(store).filter((a) => a.person === 'ana@acme.example').map((a) => a.id);
    expect(ana?.message.actions).toEqual([{ id: 'attest.confirm_all', label: 'Confirm all 4', value: expect.any(String), style: 'primary' }]);
    expect(ana?.message.actions[0]?.value.split(',').map(Number).sort((a, b) => a - b)).toEqual(ids);
    const key = ana?.message.sections.find((s) => s.itemRef === 'ci-key');
    expect(key?.facts).toEqual([
      { label: 'Purpose', value: 'CI' },
      { label: 'Scopes', value: 'a, b' },
      { label: 'Expires', value: '2027-06-01' },
      { label: 'Recovery', value: 'Rotate' },
      { label: 'Last used', value: 'not recorded' },
    ]);
    expect(key?.actions.map((a) => a.id)).toEqual(['attest.confirm', 'attest.update', 'attest.dispute', 'attest.decommission', 'attest.snooze']);
  });

  it('when a person has 23 items due, then they get three pages of at most ten, each with its own Confirm all', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, apis('svc', 23, ownedBy('payments', 'ana')));
    const at = plusDays(importedAt, 7);
    await tick(store, policy, at);
    const pages = outboxAt(store, at).filter((m) => m.kind === 'attestation_prompt');
    expect(pages.map((p) => [p.to, p.message.sections.length, p.message.page])).toEqual([
      ['ana@acme.example', 10, { index: 1, count: 3 }],
      ['ana@acme.example', 10, { index: 2, count: 3 }],
      ['ana@acme.example', 3, { index: 3, count: 3 }],
    ]);
    for (const page of pages) {
      expect(page.message.title).toBe('23 items to confirm');
      expect(page.message.actions[0]?.value.split(',').map(Number)).toEqual(page.message.sections.map((s) => s.attestationId));
    }
    expect(new Set(pages.flatMap((p) => p.refs)).size).toBe(23);
  });

  it('when a person has one item due, then the prompt has no Confirm all', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, apis('svc', 1, ownedBy('payments', 'ana')));
    await tick(store, policy, plusDays(importedAt, 7));
    expect(outbox(store).map((m) => [m.kind, m.message.actions])).toEqual([['attestation_prompt', []]]);
  });
});

describe('tick: idempotent and catch-up safe', () => {
  it('when the same tick runs twice at the same time, then the second decides nothing and writes nothing', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [
      ...apis('pay', 3, ownedBy('payments', 'ana')),
      apiEntry({ ref: 'orphan' }),
      apiEntry({ ref: 'team-only', owner: ownedBy('ledger') }),
      identityEntry({ ref: 'old-key', identityKind: 'api_key', createdAt: '2024-01-01', expiresAt: '2026-11-05', owner: ownedBy('payments', 'ana') }),
    ]);
    for (const at of [importedAt, plusDays(importedAt, 7), plusDays(importedAt, 9)]) {
      await tick(store, policy, at);
      const before = dumpTables(store);
      const again = await tick(store, policy, at);
      expect(again.decisions).toEqual([]);
      expect(again.messages).toBe(0);
      expect(dumpTables(store)).toEqual(before);
    }
  });

  it('when a dry run decides, then it reports and writes nothing', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, apis('pay', 3, ownedBy('payments', 'ana')));
    const before = dumpTables(store);
    const report = await tick(store, policy, plusDays(importedAt, 7), { dryRun: true });
    expect(report.decisions.filter((d) => d.type === 'open_attestation')).toHaveLength(3);
    expect(report.messages).toBe(1);
    expect(dumpTables(store)).toEqual(before);
  });

  /** 25 items, each owned by its own person: a backlog that batches cut anywhere. */
  const ownedApart = () => Array.from({ length: 25 }, (_, i) => apiEntry({ ref: `svc-${i}`, owner: ownedBy('payments', `owner${i}`) }));

  it('when the backlog is larger than a batch, then several transactions take it all, and a second run finds nothing', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, ownedApart());
    const at = plusDays(importedAt, 7);
    const report = await tick(store, policy, at, { batchSize: 10 });
    expect(report.decisions.filter((d) => d.type === 'open_attestation')).toHaveLength(25);
    expect(openAttestations(store)).toHaveLength(25);
    expect((await tick(store, policy, at, { batchSize: 10 })).decisions).toEqual([]);
  });

  it('when one person’s due items would span several batches (a catch-up tick), then they get one prompt, paged, not one per batch', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [...apis('ana', 25, ownedBy('payments', 'ana')), ...ownedApart()]);
    const at = plusDays(importedAt, 7);

    await tick(store, policy, at, { batchSize: 10 });

    const anas = outboxAt(store, at).filter((m) => m.kind === 'attestation_prompt' && m.to === 'ana@acme.example');
    expect(anas.map((m) => m.message.page)).toEqual([
      { index: 1, count: 3 },
      { index: 2, count: 3 },
      { index: 3, count: 3 },
    ]);
    expect(anas.flatMap((m) => m.refs)).toHaveLength(25);
    expect(openAttestations(store)).toHaveLength(50);
  });

  it('when a caller asks for a pause between batches, then it is awaited once between each two, and not after the last', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, ownedApart());
    const pauses: number[] = [];

    await runTick(store, policy, new Date(plusDays(importedAt, 7)), { batchSize: 10, between: async () => void pauses.push(openAttestations(store).length) });

    expect(pauses).toEqual([10, 20]);
    expect(openAttestations(store)).toHaveLength(25);
  });
});

describe('tick: its cost follows what is due, not the inventory', () => {
  it('when most items are not due, then the state handed to decide holds only the due ones', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, apis('quiet', 300, ownedBy('payments', 'ana')));
    const first = plusDays(importedAt, 7);
    await tick(store, policy, first);
    await answer(store, policy, first, 'ana@acme.example', openAttestations(store).map((a) => a.id), { type: 'confirm' });
    await importLoop(store, plusDays(importedAt, 8), [...apis('quiet', 300, ownedBy('payments', 'ana')), ...apis('new', 3, ownedBy('ledger', 'leo'))]);

    const seen: TickState[] = [];
    await store.runTick({
      now: plusDays(importedAt, 9),
      policyVersion: policyVersion(policy),
      limit: 20_000,
      apply: true,
      decide: (state) => {
        seen.push(state);
        return decideTick(state, policy);
      },
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.items.map((i) => i.ref).sort()).toEqual(['new-01', 'new-02', 'new-03']);
    expect(seen[0]?.attestations).toEqual([]);
    expect(seen[0]?.leavers).toEqual([]);
  });

  it('when only attestations have a step due, then only those are loaded', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, apis('svc', 50, ownedBy('payments', 'ana')));
    const opened = plusDays(importedAt, 7);
    await tick(store, policy, opened);
    const all = openAttestations(store);
    // Answer all but two: only those two have a reminder due two days later.
    await answer(store, policy, opened, 'ana@acme.example', all.slice(2).map((a) => a.id), { type: 'confirm' });
    const seen: TickState[] = [];
    await store.runTick({
      now: plusDays(opened, 2),
      policyVersion: policyVersion(policy),
      limit: 20_000,
      apply: true,
      decide: (state) => {
        seen.push(state);
        return decideTick(state, policy);
      },
    });
    expect(seen[0]?.attestations.map((a) => a.id)).toEqual(all.slice(0, 2).map((a) => a.id));
    expect(seen[0]?.items).toEqual([]);
    expect(auditEvents(store, { after: lastAuditId(store) - 2 }).map((e) => e.action)).toEqual(['attestation.reminded', 'attestation.reminded']);
  });
});
