import type Database from 'better-sqlite3';
import { withResolved, type Addressee, type OutgoingMessage, type PlannedMessage } from '../src/messages/outgoing-message.js';
import type { DeliveryResult, OutboxMessage } from '../src/ports/attestation-store.js';

interface OutboxRow {
  id: number;
  addressee: string;
  kind: string;
  body: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  platform: string | null;
  platform_message_id: string | null;
  platform_channel: string | null;
  replaces_id: number | null;
}

/**
 * The outbox: messages are written in the transaction of the decision that caused them, and delivered later by
 * the dispatcher. Resolving an attestation or a queued item rewrites every message that asked about it, so no
 * live button remains: a message not yet sent is changed in place; one already sent gets an update row that
 * the adapter applies to the delivered message (chat.update).
 */
export class Outbox {
  private readonly s;
  /**
   * The body of each message handed to the dispatcher, by id, until its delivery is recorded. An answer may
   * rewrite a pending message while it is on its way to the platform; the platform then shows the body handed
   * out, with its buttons, so the rewrite must follow as an update.
   */
  private readonly inFlight = new Map<number, string>();

  constructor(private readonly db: Database.Database) {
    this.s = {
      insert: db.prepare<[{ now: string; key: string; addressee: string; kind: string; body: string; replaces: number | null }]>(
        `INSERT INTO outbox (created_at, dedupe_key, addressee, kind, body, status, next_attempt_at, replaces_id)
         VALUES (@now, @key, @addressee, @kind, @body, 'pending', @now, @replaces)
         ON CONFLICT (dedupe_key) DO NOTHING`,
      ),
      subject: db.prepare<[string, number]>('INSERT OR IGNORE INTO outbox_subjects (subject, outbox_id) VALUES (?, ?)'),
      bySubject: db.prepare<[string], OutboxRow>(
        `SELECT o.* FROM outbox_subjects s JOIN outbox o ON o.id = s.outbox_id WHERE s.subject = ? AND o.replaces_id IS NULL ORDER BY o.id`,
      ),
      latestUpdate: db.prepare<[number], OutboxRow>(`SELECT * FROM outbox WHERE replaces_id = ? AND status != 'failed' ORDER BY id DESC LIMIT 1`),
      updateCount: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM outbox WHERE replaces_id = ?'),
      setBody: db.prepare<[string, number]>('UPDATE outbox SET body = ? WHERE id = ?'),
      due: db.prepare<[string, number], OutboxRow>(`SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`),
      byId: db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
      sent: db.prepare<[string, string, string | null, string, number]>(
        `UPDATE outbox SET status = 'sent', attempts = attempts + 1, platform = ?, platform_message_id = ?, platform_channel = ?, sent_at = ?, last_error = NULL
         WHERE id = ? AND status = 'pending'`,
      ),
      retry: db.prepare<[number, string, string, number]>(`UPDATE outbox SET attempts = attempts + ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`),
      failed: db.prepare<[string, number]>(`UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'`),
    };
  }

  /** Queues a planned message; returns false when one with the same key was queued before. */
  enqueue(planned: PlannedMessage, now: string): boolean {
    const result = this.s.insert.run({ now, key: planned.dedupeKey, addressee: JSON.stringify(planned.addressee), kind: planned.message.kind, body: JSON.stringify(planned.message), replaces: null });
    if (result.changes === 0) return false;
    const id = Number(result.lastInsertRowid);
    for (const subject of planned.subjects) this.s.subject.run(subject, id);
    return true;
  }

  /** Rewrites every message about `subject` to show it resolved (`text`), without its buttons. */
  resolve(subject: string, text: string, now: string): void {
    for (const original of this.s.bySubject.all(subject)) {
      if (original.status === 'failed') continue;
      // The latest rendering is the base, delivered or not: an update built on the original would bring back
      // the buttons of an item resolved by an update already sent.
      const latest = original.status === 'sent' ? this.s.latestUpdate.get(original.id) : undefined;
      const pendingUpdate = latest?.status === 'pending' ? latest : undefined;
      const current = JSON.parse((latest ?? original).body) as OutgoingMessage;
      const next = JSON.stringify(withResolved(current, subject, text));
      if (original.status === 'pending') this.s.setBody.run(next, original.id);
      else if (pendingUpdate) this.s.setBody.run(next, pendingUpdate.id);
      else {
        const n = (this.s.updateCount.get(original.id)?.n ?? 0) + 1;
        this.s.insert.run({ now, key: `update:${original.id}:${n}`, addressee: original.addressee, kind: original.kind, body: next, replaces: original.id });
      }
    }
  }

  due(now: string, limit: number): OutboxMessage[] {
    return this.s.due.all(now, limit).map((row) => {
      this.inFlight.set(row.id, row.body);
      const replaced = row.replaces_id === null ? undefined : this.s.byId.get(row.replaces_id);
      return {
        id: row.id,
        addressee: JSON.parse(row.addressee) as Addressee,
        message: JSON.parse(row.body) as OutgoingMessage,
        attempts: row.attempts,
        replaces:
          replaced?.platform && replaced.platform_message_id
            ? { platform: replaced.platform, messageId: replaced.platform_message_id, channel: replaced.platform_channel }
            : null,
      };
    });
  }

  record(id: number, result: DeliveryResult, now: string): void {
    const handedOut = this.inFlight.get(id);
    this.inFlight.delete(id);
    if (result.status === 'retry') this.s.retry.run(result.countsAsAttempt ? 1 : 0, new Date(Date.parse(now) + result.afterMs).toISOString(), result.error, id);
    else if (result.status === 'failed') this.s.failed.run(result.error, id);
    else this.db.transaction(() => this.recordSent(id, result, now, handedOut)).immediate();
  }

  private recordSent(id: number, result: Extract<DeliveryResult, { status: 'sent' }>, now: string, handedOut: string | undefined): void {
    if (this.s.sent.run(result.platform, result.messageId, result.channel, now, id).changes === 0) return;
    const row = this.s.byId.get(id);
    if (!row || handedOut === undefined || row.body === handedOut) return;
    // Rewritten while on its way: keep what was delivered, and send the rewrite as an update of it.
    this.s.setBody.run(handedOut, id);
    const originalId = row.replaces_id ?? row.id;
    const n = (this.s.updateCount.get(originalId)?.n ?? 0) + 1;
    this.s.insert.run({ now, key: `update:${originalId}:${n}`, addressee: row.addressee, kind: row.kind, body: row.body, replaces: originalId });
  }
}
