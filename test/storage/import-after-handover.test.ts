import { describe, expect, it } from 'vitest';
import { apiEntry, personEntry, snapshot } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';
import { answer, loopPolicy, plusDays, tick } from '../support/loop.js';
import { attestations } from './support/loop-state.js';

const t0 = '2026-11-02T09:00:00.000Z';
const policy = loopPolicy({ attestation: { firstWithinDays: 1 } });
const owned = { team: 'payments', accountable: 'ana@acme.example', backup: 'ben@acme.example' };

async function importAt(store: ReturnType<typeof memoryStore>, at: string, entries: Parameters<typeof snapshot>[1]) {
  const report = await importSnapshots(store, [snapshot('catalog', entries)], { at });
  expect(report.applied).toBe(true);
}

const people = (anaActive: boolean) => [personEntry('ana@acme.example', { active: anaActive }), personEntry('ben@acme.example')];

describe('imports after the loop has acted', () => {
  it('when the source still names a leaver the backup took over from, then the next import does not hand the item back', async () => {
    const store = memoryStore();
    await importAt(store, t0, [...people(true), apiEntry({ ref: 'payments-api', owner: owned })]);
    await importAt(store, plusDays(t0, 1), [...people(false), apiEntry({ ref: 'payments-api', owner: owned })]);
    await tick(store, policy, plusDays(t0, 1));
    expect((await store.getItemDetail('api', 'payments-api'))?.item.owner.accountable?.email).toBe('ben@acme.example');

    await importAt(store, plusDays(t0, 2), [...people(false), apiEntry({ ref: 'payments-api', owner: owned })]);
    expect((await store.getItemDetail('api', 'payments-api'))?.item.owner.accountable?.email).toBe('ben@acme.example');
  });

  it('when a leaver comes back and leaves again, then the leaver flow runs again', async () => {
    const store = memoryStore();
    await importAt(store, t0, [...people(false), apiEntry({ ref: 'payments-api', owner: owned })]);
    await tick(store, policy, t0);
    const handled = () => store.db.prepare("SELECT left_handled_at AS at FROM people WHERE email = 'ana@acme.example'").get() as { at: string | null };
    expect(handled().at).toBe(t0);
    await importAt(store, plusDays(t0, 1), people(true));
    expect(handled().at).toBeNull();
    await importAt(store, plusDays(t0, 2), people(false));
    await tick(store, policy, plusDays(t0, 2));
    expect(handled().at).toBe(plusDays(t0, 2));
  });

  it('when only the backup changes, then the owner who just confirmed is not asked again at once', async () => {
    const store = memoryStore();
    await importAt(store, t0, [...people(true), apiEntry({ ref: 'payments-api', owner: owned })]);
    await tick(store, policy, plusDays(t0, 1));
    const [opened] = attestations(store);
    expect(opened?.status).toBe('open');
    await answer(store, policy, plusDays(t0, 1), 'ana@acme.example', [opened?.id ?? 0], { type: 'confirm' });
    const nextBefore = store.db.prepare("SELECT next_attestation_at AS at FROM items WHERE ref = 'payments-api'").get() as { at: string };

    await importAt(store, plusDays(t0, 2), [...people(true), personEntry('cat@acme.example'), apiEntry({ ref: 'payments-api', owner: { ...owned, backup: 'cat@acme.example' } })]);
    await tick(store, policy, plusDays(t0, 2));
    expect(attestations(store).filter((a) => a.status === 'open')).toEqual([]);
    expect(store.db.prepare("SELECT next_attestation_at AS at FROM items WHERE ref = 'payments-api'").get()).toEqual(nextBefore);
  });
});
