import { describe, expect, it } from 'vitest';
import { makeDigestNow } from '../../src/digest/make-digest.js';
import type { DigestView } from '../../src/digest/digest-view.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry, personEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { answer, claim, directoryEntries, importLoop, loopPolicy, ownedBy, plusDays, tick } from '../support/loop.js';
import { auditEvents, lastAuditId, openAttestationOf, outbox, type OutboxView } from './support/loop-state.js';

/*
 * The security leads' digest, made by the tick once per period of `digest.cron` (Mondays 09:00 here, the
 * default) and on demand. Imported on Monday 2 November; the first tick that day is Steward's first, so the first
 * digest is the next Monday's.
 */
const importedAt = '2026-11-02T09:30:00.000Z';
const monday = (week: number) => plusDays('2026-11-02T09:00:00.000Z', 7 * week);
const policy = loopPolicy({ digest: { cron: '0 9 * * 1' } });

const inventory = () => [
  apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger', 'leo') }),
  apiEntry({ ref: 'orphan-api' }),
  apiEntry({ ref: 'teamless-api', owner: { accountable: 'pat@acme.example' } }),
  // Expires 5 days after the second Monday, and 20 days after it.
  identityEntry({ ref: 'deploy-key', identityKind: 'api_key', createdAt: '2026-10-01', lastUsedAt: '2026-11-01', expiresAt: plusDays(monday(1), 5), owner: ownedBy('payments', 'ana') }),
  identityEntry({ ref: 'report-token', identityKind: 'token', createdAt: '2026-10-20', lastUsedAt: '2026-11-01', expiresAt: plusDays(monday(1), 20), owner: ownedBy('ledger', 'lia') }),
];

const digests = (store: SqliteStore): OutboxView[] => outbox(store).filter((m) => m.kind === 'digest');
const viewOf = (message: OutboxView): DigestView => {
  if (message.message.digest === undefined) throw new Error('not a digest');
  return message.message.digest;
};
const row = (view: DigestView, label: string) => {
  const found = view.groups.flatMap((g) => g.rows).find((r) => r.label.startsWith(label));
  if (!found) throw new Error(`no row ${label}: ${view.groups.flatMap((g) => g.rows.map((r) => r.label)).join(' | ')}`);
  return found;
};

async function inventoried(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory());
  await tick(store, policy, importedAt);
  return store;
}

describe('the digest is a tick decision, once per period', () => {
  it('when Steward first ticks after a period began, then that period has no digest: the first is the next Monday’s', async () => {
    const store = await inventoried();
    await tick(store, policy, plusDays(importedAt, 3));
    expect(digests(store)).toEqual([]);
    await tick(store, policy, monday(1));
    expect(digests(store).map((m) => [m.to, m.createdAt])).toEqual([['security', monday(1)]]);
  });

  it('when several ticks pass the same Monday 09:00, then one digest is posted for it; a missed week is not posted late', async () => {
    const store = await inventoried();
    for (const at of [monday(1), plusDays(monday(1), 0.01), plusDays(monday(1), 2), plusDays(monday(3), 1)]) await tick(store, policy, at);
    expect(digests(store).map((m) => m.createdAt)).toEqual([monday(1), plusDays(monday(3), 1)]);
    expect(digests(store).map((m) => m.message.title)).toEqual(['Steward digest — Mon 9 Nov 2026', 'Steward digest — Mon 23 Nov 2026']);
  });

  it('when the tick is a dry run, then it reports the digest and stores nothing', async () => {
    const store = await inventoried();
    const report = await tick(store, policy, monday(1), { dryRun: true });
    expect(report.decisions.filter((d) => d.type === 'digest')).toEqual([{ type: 'digest', scope: 'security', scheduledAt: monday(1), coveragePercent: 67, overdue: 0, waiting: 2 }]);
    expect(digests(store)).toEqual([]);
    const real = await tick(store, policy, monday(1));
    expect(real.decisions.filter((d) => d.type === 'digest')).toHaveLength(1);
  });

  it('when the policy’s time zone is Europe/Paris, then Monday 09:00 is 08:00 UTC in winter', async () => {
    const store = await inventoried();
    const paris = loopPolicy({ timezone: 'Europe/Paris', digest: { cron: '0 9 * * 1' } });
    await tick(store, paris, plusDays(monday(1), -1 / 24 - 0.0001));
    expect(digests(store)).toEqual([]);
    await tick(store, paris, plusDays(monday(1), -1 / 24));
    expect(digests(store).map((m) => m.createdAt)).toEqual([plusDays(monday(1), -1 / 24)]);
    expect(viewOf(digests(store)[0] as OutboxView).period).toBe('Scheduled for Mon 9 Nov 2026, 09:00 (Europe/Paris)');
  });

  it('when a digest channel is set, then the digest is addressed to it before the security channel', async () => {
    const store = await inventoried();
    await tick(store, loopPolicy({ digest: { cron: '0 9 * * 1', channel: '#sec-digest' } }), monday(1));
    const addressees = store.db.prepare<[], { addressee: string }>("SELECT addressee FROM outbox WHERE kind = 'digest'").all();
    expect(addressees.map((r) => JSON.parse(r.addressee))).toEqual([{ kind: 'security_channel', channel: '#sec-ownership', digestChannel: '#sec-digest' }]);
  });
});

describe('the figures, each with its change since the previous digest', () => {
  it('when the first digest is made, then it counts coverage, the queue, expiring credentials and overdue attestations, with no changes', async () => {
    const store = await inventoried();
    await tick(store, policy, monday(1));
    const view = viewOf(digests(store)[0] as OutboxView);
    expect(row(view, 'APIs with an operational owner')).toEqual({ label: 'APIs with an operational owner', value: '2 of 4 (50%)', change: null });
    expect(row(view, 'Identities with a lifecycle owner')).toMatchObject({ value: '2 of 2 (100%)', change: null });
    expect(row(view, 'Items in the unowned queue')).toMatchObject({ value: '2' });
    expect(row(view, 'Expiring within 7 days')).toMatchObject({ value: '1' });
    expect(row(view, 'Expiring within 30 days')).toMatchObject({ value: '2' });
    // Asked on import day (firstWithinDays 7 → opened by the tick then), due a week later: overdue by Monday.
    expect(row(view, 'The oldest has waited')).toMatchObject({ value: '6 days (since Mon 2 Nov 2026)' });
    // The first digest counts the answers of the 30 days before it.
    expect(row(view, 'Answered on time since Sat 10 Oct 2026')).toMatchObject({ value: '0 of 0 (—)' });
    expect(row(view, 'Overdue now')).toMatchObject({ value: '0' });
    expect(view.chart.points).toEqual([{ label: '9 Nov', coveragePercent: 66.7, overdue: 0 }]);
  });

  it('when nobody answers, then the overdue attestations are counted by team, worst first, and the chart shows them rise', async () => {
    const store = await inventoried();
    for (const week of [1, 2, 3]) await tick(store, policy, monday(week));
    const third = viewOf(digests(store).at(-1) as OutboxView);
    expect(row(third, 'Overdue now')).toMatchObject({ value: '4', change: '+4', trend: 'worse' });
    expect(third.groups.find((g) => g.title === 'Attestations')?.notes).toEqual(['Overdue by team, worst first: ledger 2, payments 2']);
    expect(third.chart.points.map((p) => p.overdue)).toEqual([0, 0, 4]);
  });

  it('when owners answer and an item is claimed before the next Monday, then each figure shows its change', async () => {
    const store = await inventoried();
    await tick(store, policy, monday(1));
    const checkout = openAttestationOf(store, 'checkout-api');
    await answer(store, policy, plusDays(monday(1), 1), 'ana@acme.example', [checkout.id], { type: 'confirm' });
    const orphan = (await store.itemIdOf('api', 'orphan-api')) as number;
    expect(await claim(store, plusDays(monday(1), 2), 'leo@acme.example', orphan)).toMatchObject({ ok: true });
    await tick(store, policy, monday(2));
    const [first, second] = digests(store).map(viewOf);
    expect(row(second as DigestView, 'APIs with an operational owner')).toMatchObject({ value: '3 of 4 (75%)', change: '+1, +25 points', trend: 'better' });
    expect(row(second as DigestView, 'Items in the unowned queue')).toMatchObject({ value: '1', change: '−1', trend: 'better' });
    expect(row(second as DigestView, 'Answered on time since Mon 9 Nov 2026')).toMatchObject({ value: '1 of 1 (100%)' });
    expect(row(second as DigestView, 'Expiring within 7 days')).toMatchObject({ value: '0', change: '−1' });
    expect(second?.chart.points.map((p) => p.label)).toEqual(['9 Nov', '16 Nov']);
    expect(first?.anchor.events).toBeLessThan(second?.anchor.events ?? 0);
  });

  it('when a person named accountable leaves, then coverage counts the item owned but without an active accountable person', async () => {
    const store = await inventoried();
    await importLoop(store, plusDays(importedAt, 1), inventory(), directoryEntries().map((e) => (e.type === 'person' && e.data.email === 'leo@acme.example' ? personEntry('leo@acme.example', { active: false }) : e)));
    const outcome = await makeDigestNow(store, policy, new Date(plusDays(importedAt, 1)), { print: true, actor: 'test' });
    if (outcome.status !== 'made') throw new Error(outcome.status);
    expect(outcome.figures.coverage.apis).toEqual({ total: 4, owned: 2, accountable: 1 });
  });

  it('when fourteen Mondays pass, then the chart shows the last twelve digests', async () => {
    const store = await inventoried();
    for (let week = 1; week <= 14; week += 1) await tick(store, policy, monday(week));
    const last = viewOf(digests(store).at(-1) as OutboxView);
    expect(last.chart.points).toHaveLength(12);
    expect(last.chart.points[0]?.label).toBe('23 Nov');
    expect(last.chart.points.at(-1)?.label).toBe('8 Feb');
  });
});

describe('the audit trail’s head on each digest', () => {
  it('when a digest is made, then it carries the head before its own event, and its event records the period', async () => {
    const store = await inventoried();
    await tick(store, policy, plusDays(monday(1), -0.5));
    const head = lastAuditId(store);
    await tick(store, policy, monday(1));
    const view = viewOf(digests(store)[0] as OutboxView);
    const events = auditEvents(store, { after: head });
    const made = events.find((e) => e.action === 'digest.made');
    expect(made).toMatchObject({ actor: 'steward:digest', details: { period: `scheduled:${monday(1)}`, anchor: view.anchor } });
    expect(view.anchor.events).toBe((made?.id ?? 0) - 1);
    expect(view.anchor.headHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
  });
});

describe('on demand', () => {
  it('when a digest is printed, then nothing is stored and the next one still compares with the last stored', async () => {
    const store = await inventoried();
    await tick(store, policy, monday(1));
    const before = lastAuditId(store);
    const printed = await makeDigestNow(store, policy, new Date(plusDays(monday(1), 1)), { print: true, actor: 'cli:test' });
    expect(printed.status).toBe('made');
    expect(lastAuditId(store)).toBe(before);
    expect(digests(store)).toHaveLength(1);
    const posted = await makeDigestNow(store, policy, new Date(plusDays(monday(1), 2)), { print: false, actor: 'cli:test' });
    expect(posted).toMatchObject({ status: 'made', queued: 1 });
    expect(digests(store)).toHaveLength(2);
    expect(auditEvents(store, { action: 'digest.made' }).map((e) => e.actor)).toEqual(['steward:digest', 'cli:test']);
  });
});

describe('per-team digests', () => {
  it('when the policy asks for them, then each owning team with a channel gets its own figures there', async () => {
    const store = memoryStore();
    // The platform team has no channel in the inventory and none bound: a digest for it could go nowhere.
    await importLoop(store, importedAt, [...inventory(), apiEntry({ ref: 'build-api', owner: ownedBy('platform', 'pat') })]);
    await tick(store, policy, importedAt);
    await tick(store, loopPolicy({ digest: { cron: '0 9 * * 1', teams: true } }), monday(1));
    expect(digests(store).map((m) => m.to)).toEqual(['security', 'team:ledger', 'team:payments']);
    const payments = viewOf(digests(store).find((m) => m.to === 'team:payments') as OutboxView);
    expect(payments.scope).toEqual({ team: 'payments' });
    expect(row(payments, 'APIs with an operational owner')).toMatchObject({ value: '1 of 1 (100%)' });
    expect(payments.groups.map((g) => g.title)).not.toContain('Delivery');
  });
});
