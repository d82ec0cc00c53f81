import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { toWellFormedText } from '../src/inventory/well-formed-text.js';
import type { ItemKind } from '../src/model/index.js';
import type { AuditHead, AuditHeadCheck, AuditTrail, AuditVerification, ExpectedAuditHead } from '../src/ports/store.js';

export interface AuditEvent {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly itemId?: number | null;
  readonly subject?: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The hash before the first event: an empty trail's head, which every trail holds. */
export const genesis = '0'.repeat(64);

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
  private readonly last: Database.Statement<[], { id: number; hash: string }>;
  private readonly hashAt: Database.Statement<[number], { hash: string }>;
  private readonly positionOf: Database.Statement<[string], { id: number }>;
  private readonly insert: Database.Statement<[string, string, string, number | null, string | null, string, string, string]>;

  constructor(private readonly db: Database.Database) {
    this.last = db.prepare('SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1');
    this.hashAt = db.prepare('SELECT hash FROM audit_events WHERE id = ?');
    this.positionOf = db.prepare('SELECT id FROM audit_events WHERE hash = ?');
    this.insert = db.prepare(
      'INSERT INTO audit_events (at, actor, action, item_id, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
  }

  append(event: AuditEvent): void {
    const prevHash = this.last.get()?.hash ?? genesis;
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

  /**
   * The last event: its id is its position, since an intact chain's ids run 1, 2, 3… (SQLite gives a new row the
   * largest id plus one, and Steward deletes none). One index lookup, however long the trail.
   */
  head(): AuditHead | null {
    const row = this.last.get();
    return row === undefined ? null : { events: row.id, hash: row.hash };
  }

  /**
   * Walks the whole chain in id order, recomputing each hash, and checks a head kept earlier when given; all in one
   * read transaction, so the walk, the head and the check see the same trail while another process appends.
   */
  verify(expected?: ExpectedAuditHead): AuditVerification {
    return this.db.transaction(() => {
      const walk = this.walk();
      const head = this.head();
      return { ...walk, head, ...(expected === undefined ? {} : { expected: this.check(expected, head) }) };
    })();
  }

  private walk(): { ok: boolean; events: number; brokenAt: number | null } {
    let prevHash = genesis;
    let events = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_events ORDER BY id').iterate() as IterableIterator<AuditRow>) {
      events += 1;
      const expected = hashEvent(prevHash, row.at, row.actor, row.action, row.item_id, row.subject, row.details);
      // An id out of step is a row removed before it or slipped in with an id of its own, even where the hashes were
      // recomputed to match; it also keeps the head's id equal to its position.
      if (row.id !== events || row.prev_hash !== prevHash || row.hash !== expected) return { ok: false, events, brokenAt: row.id };
      prevHash = row.hash;
    }
    return { ok: true, events, brokenAt: null };
  }

  /** Looks the kept head up by its position (the id) or, given its hash alone, by the hash's unique index. */
  private check(expected: ExpectedAuditHead, head: AuditHead | null): AuditHeadCheck {
    const last = head?.events ?? 0;
    // Position 0 is the chain's start, before any event: every trail holds it.
    if (expected.events === 0 || (expected.events === undefined && expected.hash === genesis))
      return expected.hash === genesis ? { held: true, events: 0, after: last } : { held: false, reason: 'different', events: 0 };
    if (expected.events === undefined) {
      const position = this.positionOf.get(expected.hash)?.id;
      return position === undefined ? { held: false, reason: 'not_found', events: null } : { held: true, events: position, after: last - position };
    }
    const hash = this.hashAt.get(expected.events)?.hash;
    if (hash === undefined) return { held: false, reason: expected.events > last ? 'shorter' : 'different', events: expected.events };
    return hash === expected.hash ? { held: true, events: expected.events, after: last - expected.events } : { held: false, reason: 'different', events: expected.events };
  }
}
