import { describe, expect, test } from 'vitest';
import { loadSampleInventoryIfEmpty, sampleWrittenOn } from '../../../adapters/cli/sample-inventory.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { listInventory } from '../../../src/queries/list-inventory.js';
import { whoOwns } from '../../../src/queries/who-owns.js';
import { memoryStore } from '../../support/import-into-memory.js';

/** The sample as `serve` loads it on `day`. */
async function sampleOn(day: string) {
  const clock = fixedClock(`${day}T09:00:00Z`);
  const store = memoryStore();
  const report = await loadSampleInventoryIfEmpty(store, clock);
  return { store, clock, report };
}

async function found(store: Awaited<ReturnType<typeof sampleOn>>['store'], ref: string) {
  const result = await whoOwns(store, defaultPolicy, ref);
  if (result.kind !== 'found') throw new Error(`expected ${ref} in the sample, got ${result.kind}`);
  return result.detail.item;
}

describe('the sample inventory (samples/inventory)', () => {
  test('when loaded into an empty database, then it imports cleanly: no refusals, no warnings', async () => {
    const { report, store } = await sampleOn(sampleWrittenOn);

    expect(report?.applied).toBe(true);
    expect(report?.invalid).toBe(0);
    expect(report?.sources.flatMap((s) => s.findings)).toEqual([]);
    expect(await store.countInventory()).toEqual({ apis: 6, identities: 8, teams: 4, people: 7 });
  });

  test('when the database already has an inventory, then the sample is not loaded again', async () => {
    const { store, clock } = await sampleOn(sampleWrittenOn);

    expect(await loadSampleInventoryIfEmpty(store, clock)).toBeNull();
  });

  test('when a newcomer looks, then every ownership state is there to see', async () => {
    const { store } = await sampleOn(sampleWrittenOn);

    const owned = await found(store, 'payments-api');
    expect([owned.owner.team?.slug, owned.owner.accountable?.email]).toEqual(['payments', 'alice.nguyen@northwind.example']);
    const teamOwned = await found(store, 'partner-webhooks');
    expect([teamOwned.owner.team?.slug, teamOwned.owner.accountable]).toEqual(['partner-integrations', null]);
    const unowned = await found(store, 'legacy-soap-gateway');
    expect([unowned.kind, unowned.owner.team, unowned.owner.accountable]).toEqual(['api', null, null]);
    const unownedIdentity = await found(store, 'warehouse-sftp-key');
    expect([unownedIdentity.kind, unownedIdentity.owner.team, unownedIdentity.owner.accountable]).toEqual(['identity', null, null]);
  });

  test.each(['2026-11-28', '2027-06-15', '2031-02-01'])('when loaded on %s, then three credentials expire within 30 days, the first in 10, and none has expired yet', async (day) => {
    const { store, clock } = await sampleOn(day);

    const soon = await listInventory(store, clock, { kind: 'identity', expiringDays: 30 });

    expect(soon.items.map((i) => i.ref)).toEqual(['github-deploy-token', 'profile-signing-cert', 'payments-s3-exports']);
    expect((await listInventory(store, clock, { kind: 'identity', expiringDays: 10 })).items.map((i) => i.ref)).toEqual(['github-deploy-token']);
    const expired = await listInventory(store, clock, { kind: 'identity', expiringDays: 0 });
    expect(expired.items).toEqual([]);
  });

  test('when loaded a year after it was written, then every identity date moves by the same days and nothing else does', async () => {
    const { store } = await sampleOn('2027-11-28');

    const token = await found(store, 'github-deploy-token');
    expect(token.kind === 'identity' && [token.createdAt, token.expiresAt, token.lastUsedAt]).toEqual([
      '2027-09-01T00:00:00.000Z',
      '2027-12-08T00:00:00.000Z',
      '2027-11-28T00:00:00.000Z',
    ]);
    expect((await found(store, 'payments-api')).name).toBe('Payments API');
  });
});

describe('the sample inventory at any hour', () => {
  /** Every identity's dates, each as milliseconds from the time the sample was loaded. */
  async function datesFromNow(at: string) {
    const clock = fixedClock(at);
    const store = memoryStore();
    await loadSampleInventoryIfEmpty(store, clock);
    const identities = await listInventory(store, clock, { kind: 'identity' });
    const offsets: Record<string, Array<number | null>> = {};
    for (const { ref } of identities.items) {
      const item = await found(store, ref);
      if (item.kind !== 'identity') continue;
      offsets[ref] = [item.createdAt, item.expiresAt, item.lastRotatedAt, item.lastUsedAt].map((date) => (date === null ? null : Date.parse(date) - Date.parse(at)));
    }
    return offsets;
  }

  test.each(['00:30', '12:00', '18:00', '23:59'])(
    'when loaded at %s UTC, then every credential date sits exactly as far from now as for a 09:00 start (the README walkthrough holds at any hour)',
    async (time) => {
      const morning = await datesFromNow(`${sampleWrittenOn}T09:00:00Z`);

      expect(await datesFromNow(`2027-02-14T${time}:00Z`)).toEqual(morning);
    },
  );
});
