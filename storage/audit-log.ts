import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { toWellFormedText } from '../src/inventory/well-formed-text.js';
import type { ItemKind } from '../src/model/index.js';
import type { AuditTrail, AuditVerification } from '../src/ports/store.js';

export interface AuditEvent {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly itemId?: number | null;
  readonly subject?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

const genesis = '0'.repeat(64);

function hashEvent(prevHash: string, at: string, actor: string, action: string, itemId: number | null, subject: string | null, details: string): string {
  // JSON of an array: unambiguous field boundaries, and the same bytes on every platform.
  return createHash('sha256').update(JSON.stringify([prevHash, at, actor, action, itemId, subject, details])).digest('hex');
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  item_id: number | null;
  subject: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/**
 * Writes hash-chained audit events. Call `append` only inside the transaction that makes the change it
 * records; the chain's head is read from the table each time, so several processes may write in turn.
 */
export class AuditLog {
  private readonly head: Database.Statement<[], { hash: string }>;
  private readonly insert: Database.Statement<[string, string, string, number | null, string | null, string, string, string]>;

  constructor(private readonly db: Database.Database) {
    this.head = db.prepare('SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1');
    this.insert = db.prepare(
      'INSERT INTO audit_events (at, actor, action, item_id, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  append(event: AuditEvent): void {
    const prevHash = this.head.get()?.hash ?? genesis;
    const itemId = event.itemId ?? null;
    // Hashed as it will be stored: a lone surrogate (which SQLite cannot hold) becomes U+FFFD in both, so the
    // chain never breaks by itself. The details' JSON is always well-formed (JSON.stringify escapes one).
    const subject = event.subject === undefined || event.subject === null ? null : toWellFormedText(event.subject);
    const [at, actor, action] = [toWellFormedText(event.at), toWellFormedText(event.actor), toWellFormedText(event.action)];
    const details = JSON.stringify(event.details ?? {});
    const hash = hashEvent(prevHash, at, actor, action, itemId, subject, details);
    this.insert.run(at, actor, action, itemId, subject, details, prevHash, hash);
  }

  /** The latest `limit` events recorded against an item (through the item index), oldest first. */
  trail(kind: ItemKind, ref: string, limit: number): AuditTrail | null {
    return this.db.transaction(() => this.trailNow(kind, ref, limit))();
  }

  private trailNow(kind: ItemKind, ref: string, limit: number): AuditTrail | null {
    const item = this.db.prepare<[string, string], { id: number }>('SELECT id FROM items WHERE kind = ? AND ref = ?').get(kind, ref);
    if (!item) return null;
    const rows = this.db
      .prepare<[number, number], AuditRow>('SELECT * FROM audit_events WHERE item_id = ? ORDER BY id DESC LIMIT ?')
      .all(item.id, limit)
      .reverse();
    const total = this.db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM audit_events WHERE item_id = ?').get(item.id)?.n ?? 0;
    return { events: rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, details: JSON.parse(r.details) as Record<string, unknown> })), total };
  }

  /** Walks the whole chain in id order, recomputing each hash. */
  verify(): AuditVerification {
    let prevHash = genesis;
    let events = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_events ORDER BY id').iterate() as IterableIterator<AuditRow>) {
      events += 1;
      const expected = hashEvent(prevHash, row.at, row.actor, row.action, row.item_id, row.subject, row.details);
      if (row.prev_hash !== prevHash || row.hash !== expected) return { ok: false, events, brokenAt: row.id };
      prevHash = row.hash;
    }
    return { ok: true, events, brokenAt: null };
  }
}
