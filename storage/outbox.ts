import type Database from 'better-sqlite3';
import { subjectOf, withResolved, type OutgoingMessage, type PlannedMessage } from '../src/messages/outgoing-message.js';

/** Whether a message still has a live button: an open section's, or a message-wide one. */
function asksAnything(message: OutgoingMessage): boolean {
  return message.actions.length > 0 || message.sections.some((section) => section.resolved === undefined && section.actions.length > 0);
}

/**
 * The outbox's messages: written in the transaction of the decision that caused them, platform-neutral, and
 * delivered later through one delivery per platform (see `Deliveries`). Resolving an attestation or a queued item
 * rewrites every message that asked about it, so no live button remains: the message's body changes and its
 * revision goes up; a delivery not yet made sends the new body, and one already made is delivered again as an
 * update of the platform's message.
 */
export class Outbox {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      insert: db.prepare<{ now: string; key: string; addressee: string; kind: string; body: string }>(
        `INSERT INTO outbox (created_at, dedupe_key, addressee, kind, body, status, next_attempt_at)
         VALUES (@now, @key, @addressee, @kind, @body, 'pending', @now)
         ON CONFLICT (dedupe_key) DO NOTHING`,
      ),
      subject: db.prepare<[string, number]>('INSERT OR IGNORE INTO outbox_subjects (subject, outbox_id) VALUES (?, ?)'),
      bySubject: db.prepare<[string], { id: number; body: string }>(`SELECT o.id, o.body FROM outbox_subjects s JOIN outbox o ON o.id = s.outbox_id WHERE s.subject = ? ORDER BY o.id`),
      rewrite: db.prepare<[string, number]>('UPDATE outbox SET body = ?, revision = revision + 1 WHERE id = ?'),
      // Sent at an older revision, and not held by a dispatcher right now (one that is finds out when it records).
      redeliver: db.prepare<[string, number]>(
        `UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL
         WHERE message_id = ? AND status = 'sent'`,
      ),
      // Waiting for a platform to take it, and nothing in it is asked any more: it stops waiting (and stays stuck).
      settle: db.prepare<[string, number]>('UPDATE outbox SET routed_at = ?, route_after = NULL WHERE id = ? AND routed_at IS NULL AND route_after IS NOT NULL'),
    };
  }

  /** Queues a planned message; returns false when one with the same key was queued before. */
  enqueue(planned: PlannedMessage, now: string): boolean {
    const result = this.s.insert.run({ now, key: planned.dedupeKey, addressee: JSON.stringify(planned.addressee), kind: planned.message.kind, body: JSON.stringify(planned.message) });
    if (result.changes === 0) return false;
    const id = Number(result.lastInsertRowid);
    for (const subject of planned.subjects) this.s.subject.run(subject, id);
    return true;
  }

  /** Rewrites every message about `subject` to show it resolved (`text`), without its buttons. */
  resolve(subject: string, text: string, now: string): void {
    for (const message of this.s.bySubject.all(subject)) {
      const current = JSON.parse(message.body) as OutgoingMessage;
      const next = withResolved(current, subject, text);
      this.s.rewrite.run(JSON.stringify(next), message.id);
      this.s.redeliver.run(now, message.id);
      // A channel bound later gets what is still asked there, not a backlog of what was settled meanwhile.
      if (!asksAnything(next)) this.s.settle.run(now, message.id);
    }
  }

  /**
   * Sets one fact (by its label) on every message's section about `subject`, keeping its buttons: a request's
   * progress (one approval of two) shows on its card while it still waits for the rest.
   */
  annotate(subject: string, label: string, value: string, now: string): void {
    for (const message of this.s.bySubject.all(subject)) {
      const current = JSON.parse(message.body) as OutgoingMessage;
      const sections = current.sections.map((section) =>
        subjectOf(section) === subject && section.resolved === undefined ? { ...section, facts: [{ label, value }, ...section.facts.filter((f) => f.label !== label)] } : section,
      );
      this.s.rewrite.run(JSON.stringify({ ...current, sections }), message.id);
      this.s.redeliver.run(now, message.id);
    }
  }
}
