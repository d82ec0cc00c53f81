import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../storage/audit-log.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, snapshot } from '../support/entries.js';
import { importSnapshots, memoryStore } from '../support/import-into-memory.js';

/** A store with a few audit events: two imports, an owner change and an update between them. */
async function storeWithHistory(): Promise<SqliteStore> {
  const store = memoryStore();
  await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'a', owner: { team: 'payments' } })])], { at: '2026-11-01T09:00:00Z' });
  await importSnapshots(store, [snapshot('csv', [apiEntry({ ref: 'a', owner: { team: 'ledger' }, purpose: 'x' })])], { at: '2026-11-02T09:00:00Z' });
  return store;
}

const ids = (store: SqliteStore) => store.db.prepare<[], { id: number }>('SELECT id FROM audit_events ORDER BY id').all().map((r) => r.id);

describe('audit log: the hash chain', () => {
  it('when nothing has happened, then the empty chain verifies', async () => {
    expect(await memoryStore().verifyAuditChain()).toEqual({ ok: true, events: 0, brokenAt: null, head: null });
  });

  it('when events were written, then each row carries the hash of the one before it', async () => {
    const store = await storeWithHistory();
    const rows = store.db.prepare<[], { prev_hash: string; hash: string }>('SELECT prev_hash, hash FROM audit_events ORDER BY id').all();
    expect(rows[0]?.prev_hash).toBe('0'.repeat(64));
    rows.slice(1).forEach((row, i) => expect(row.prev_hash).toBe(rows[i]?.hash));
    expect(await store.verifyAuditChain()).toEqual({ ok: true, events: rows.length, brokenAt: null, head: { events: rows.length, hash: rows.at(-1)?.hash } });
  });

  it('when a row is updated, then the append-only trigger refuses it', async () => {
    const store = await storeWithHistory();
    expect(() => store.db.prepare("UPDATE audit_events SET actor = 'mallory'").run()).toThrow(/append-only/);
  });

  it('when a row is deleted, then the append-only trigger refuses it', async () => {
    const store = await storeWithHistory();
    expect(() => store.db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
  });

  it('when someone drops the trigger and edits a row’s details, then verification fails at that row', async () => {
    const store = await storeWithHistory();
    const target = ids(store)[2] as number;
    store.db.exec('DROP TRIGGER audit_events_no_update');
    store.db.prepare(`UPDATE audit_events SET details = '{"source":"csv","changes":{}}' WHERE id = ?`).run(target);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: target });
  });

  it('when someone edits a row and recomputes nothing else, then verification fails at the first edited row even if later rows are intact', async () => {
    const store = await storeWithHistory();
    const [first] = ids(store);
    store.db.exec('DROP TRIGGER audit_events_no_update');
    store.db.prepare("UPDATE audit_events SET at = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(first);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: first });
  });

  it('when someone drops the trigger and deletes a row, then verification fails at the row after the gap', async () => {
    const store = await storeWithHistory();
    const [, second, third] = ids(store);
    store.db.exec('DROP TRIGGER audit_events_no_delete');
    store.db.prepare('DELETE FROM audit_events WHERE id = ?').run(second);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: third });
  });
});

describe('audit log: what is hashed is what is stored', () => {
  it('when an event carries a lone surrogate in its subject, actor or action, then the chain still verifies', async () => {
    const store = memoryStore();
    const log = new AuditLog(store.db);
    log.append({ at: '2026-11-01T09:00:00.000Z', actor: 'cli:ana\ud800', action: 'item.updated', subject: 'pet\udc00store', details: { name: 'x\ud800' } });
    log.append({ at: '2026-11-01T09:00:01.000Z', actor: 'cli:ana', action: 'item.updated', subject: 'petstore' });

    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: 2, brokenAt: null });
  });

  it('when an event carries a lone surrogate, then it is stored and hashed as U+FFFD, the replacement character', () => {
    const store = memoryStore();
    new AuditLog(store.db).append({ at: '2026-11-01T09:00:00.000Z', actor: 'cli:ana', action: 'item.updated', subject: 'pet\ud800' });

    expect(store.db.prepare<[], { subject: string }>('SELECT subject FROM audit_events').get()?.subject).toBe('pet\uFFFD');
  });
});
