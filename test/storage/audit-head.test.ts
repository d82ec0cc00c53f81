import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../storage/audit-log.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, snapshot } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';

/*
 * The audit trail's head (its last event's position and hash), kept by an auditor from a digest or `audit verify`:
 * the chain proves each event follows from the one before, but only a head kept elsewhere proves nothing was taken
 * off its end. Tampering is done as an attacker with write access to the file would: drop the append-only
 * triggers, then delete or write rows.
 */

const genesis = '0'.repeat(64);

/** A store with a few audit events: two imports with an owner change and an update between them. */
async function storeWithHistory(): Promise<SqliteStore> {
  const store = memoryStore();
  await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'a', owner: { team: 'payments' } })])], { at: '2026-11-01T09:00:00Z' });
  await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'a', owner: { team: 'ledger' }, purpose: 'x' })])], { at: '2026-11-02T09:00:00Z' });
  return store;
}

/** Steward keeps working: one more event, written as every change writes its own. */
function appendEvent(store: SqliteStore, n: number): void {
  store.db.transaction(() => new AuditLog(store.db).append({ at: `2026-11-03T09:00:0${n}.000Z`, actor: 'cli:ana', action: 'item.updated', subject: 'a', details: { n } })).immediate();
}

const rows = (store: SqliteStore) => store.db.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM audit_events ORDER BY id').all();

/** Deletes the last `count` events, as one who dropped the trigger would. */
function removeTail(store: SqliteStore, count: number): void {
  store.db.exec('DROP TRIGGER IF EXISTS audit_events_no_delete');
  for (let i = 0; i < count; i += 1) store.db.exec('DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)');
}

describe('audit head: what is kept', () => {
  it('when nothing has been recorded, then there is no head', async () => {
    const store = memoryStore();
    expect(await store.auditHead()).toBeNull();
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 0, head: null });
  });

  it('when events were recorded, then the head is the last event’s position and hash, as the walk finds it', async () => {
    const store = await storeWithHistory();
    const last = rows(store).at(-1);
    const head = await store.auditHead();

    expect(head).toEqual({ events: rows(store).length, hash: last?.hash });
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: head?.events, head });
  });
});

describe('audit head: --expect-head', () => {
  it('when more events are recorded after a head was kept, then the kept head still holds, with how many came after', async () => {
    const store = await storeWithHistory();
    const kept = (await store.auditHead()) as { events: number; hash: string };
    appendEvent(store, 1);
    appendEvent(store, 2);

    expect(await store.verifyAuditChain(kept)).toMatchObject({ ok: true, events: kept.events + 2, expected: { held: true, events: kept.events, after: 2 } });
    expect((await store.verifyAuditChain({ hash: kept.hash })).expected).toEqual({ held: true, events: kept.events, after: 2 });
  });

  it('when the kept head is the current one, then it holds with nothing after it', async () => {
    const store = await storeWithHistory();
    const kept = (await store.auditHead()) as { events: number; hash: string };
    expect((await store.verifyAuditChain(kept)).expected).toEqual({ held: true, events: kept.events, after: 0 });
  });

  it('when the last event is removed, then the chain alone still verifies, but the head kept before says the trail is shorter', async () => {
    const store = await storeWithHistory();
    const kept = (await store.auditHead()) as { events: number; hash: string };
    removeTail(store, 1);

    const plain = await store.verifyAuditChain();
    expect(plain).toMatchObject({ ok: true, events: kept.events - 1, brokenAt: null });
    expect(plain.head).not.toEqual(kept);
    expect((await store.verifyAuditChain(kept)).expected).toEqual({ held: false, reason: 'shorter', events: kept.events });
    expect((await store.verifyAuditChain({ hash: kept.hash })).expected).toEqual({ held: false, reason: 'not_found', events: null });
  });

  it('when the last events are removed and Steward writes new ones in their place, then the kept head is no longer at its position', async () => {
    const store = await storeWithHistory();
    const kept = (await store.auditHead()) as { events: number; hash: string };
    removeTail(store, 2);
    appendEvent(store, 1);
    appendEvent(store, 2);
    appendEvent(store, 3);

    expect(await store.verifyAuditChain(kept)).toMatchObject({ ok: true, events: kept.events + 1, expected: { held: false, reason: 'different', events: kept.events } });
  });

  it('when an event is rewritten and every later hash recomputed, then the chain verifies but a head kept before does not hold', async () => {
    const store = await storeWithHistory();
    const kept = (await store.auditHead()) as { events: number; hash: string };
    const all = rows(store);
    // The forger rewrites event 2 and re-appends the rest with fresh hashes: the chain is whole again.
    const later = store.db.prepare<[number], { at: string; actor: string; action: string; item_id: number | null; subject: string | null; details: string }>('SELECT * FROM audit_events WHERE id >= ? ORDER BY id').all(2);
    removeTail(store, all.length - 1);
    const log = new AuditLog(store.db);
    later.forEach((row, i) => log.append({ at: row.at, actor: i === 0 ? 'cli:mallory' : row.actor, action: row.action, itemId: row.item_id, subject: row.subject, details: JSON.parse(row.details) as Record<string, unknown> }));

    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: kept.events });
    expect((await store.verifyAuditChain(kept)).expected).toEqual({ held: false, reason: 'different', events: kept.events });
  });

  it('when an event is edited in place, then the chain is broken there, as before', async () => {
    const store = await storeWithHistory();
    const kept = (await store.auditHead()) as { events: number; hash: string };
    store.db.exec('DROP TRIGGER audit_events_no_update');
    store.db.prepare("UPDATE audit_events SET actor = 'cli:mallory' WHERE id = 2").run();

    expect(await store.verifyAuditChain(kept)).toMatchObject({ ok: false, brokenAt: 2, expected: { held: true } });
  });

  it('when an event is inserted with a made-up id past the end, even with a hash that follows, then the chain is broken at it', async () => {
    const store = await storeWithHistory();
    const last = rows(store).at(-1) as { id: number; hash: string };
    appendEvent(store, 1);
    store.db.exec('DROP TRIGGER audit_events_no_update');
    store.db.prepare('UPDATE audit_events SET id = ? WHERE id = ?').run(last.id + 100, last.id + 1);

    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: last.id + 100 });
  });

  it('when an event is inserted with a hash that does not follow, then the chain is broken at it', async () => {
    const store = await storeWithHistory();
    const last = rows(store).at(-1) as { id: number; hash: string };
    store.db
      .prepare("INSERT INTO audit_events (at, actor, action, details, prev_hash, hash) VALUES ('2026-11-03T00:00:00.000Z', 'cli:mallory', 'item.updated', '{}', ?, ?)")
      .run(last.hash, 'f'.repeat(64));

    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: last.id + 1 });
  });

  it('when the kept head is the chain’s start (0 and the zero hash), then every trail holds it', async () => {
    const store = await storeWithHistory();
    const events = rows(store).length;
    expect((await store.verifyAuditChain({ events: 0, hash: genesis })).expected).toEqual({ held: true, events: 0, after: events });
    expect((await store.verifyAuditChain({ hash: genesis })).expected).toEqual({ held: true, events: 0, after: events });
    expect((await store.verifyAuditChain({ events: 0, hash: 'a'.repeat(64) })).expected).toEqual({ held: false, reason: 'different', events: 0 });
  });

  it('when a kept hash is at another position than the one kept with it, then it does not hold', async () => {
    const store = await storeWithHistory();
    const [first] = rows(store);
    expect((await store.verifyAuditChain({ events: 2, hash: first?.hash as string })).expected).toEqual({ held: false, reason: 'different', events: 2 });
  });
});
