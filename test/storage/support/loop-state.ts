import type { Addressee, OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { addressedTo } from '../../support/loop.js';

/*
 * The attestation loop's stored state as plain data, read straight from the SQLite tables: attestations, queues,
 * the outbox and its deliveries, the audit events, items and their flags and warnings. Tests outside test/storage
 * use these where the store port has no read for what they check (the rows a tick or an answer wrote).
 */

export interface AttestationView {
  readonly id: number;
  readonly ref: string;
  readonly person: string | null;
  readonly reason: string;
  readonly status: 'open' | 'closed';
  readonly outcome: string | null;
  readonly openedAt: string;
  readonly dueAt: string;
  readonly remindersSent: number;
  readonly escalationLevel: number;
  readonly nextActionAt: string | null;
  readonly closedAt: string | null;
  readonly answeredBy: string | null;
  readonly facts: Record<string, unknown>;
  readonly changes: Record<string, unknown> | null;
  readonly note: string | null;
  readonly suggestedOwner: string | null;
  readonly snoozedUntil: string | null;
  readonly policyVersion: string;
}

export function attestations(store: SqliteStore): AttestationView[] {
  return store.db
    .prepare<[], Record<string, unknown>>(
      `SELECT a.*, i.ref, p.email AS person, b.email AS answered_by_email FROM attestations a JOIN items i ON i.id = a.item_id
         LEFT JOIN people p ON p.id = a.person_id LEFT JOIN people b ON b.id = a.answered_by ORDER BY a.id`,
    )
    .all()
    .map((r) => ({
      id: r.id as number,
      ref: r.ref as string,
      person: r.person as string | null,
      reason: r.reason as string,
      status: r.status as 'open' | 'closed',
      outcome: r.outcome as string | null,
      openedAt: r.opened_at as string,
      dueAt: r.due_at as string,
      remindersSent: r.reminders_sent as number,
      escalationLevel: r.escalation_level as number,
      nextActionAt: r.next_action_at as string | null,
      closedAt: r.closed_at as string | null,
      answeredBy: r.answered_by_email as string | null,
      facts: JSON.parse(r.facts as string) as Record<string, unknown>,
      changes: r.changes === null ? null : (JSON.parse(r.changes as string) as Record<string, unknown>),
      note: r.note as string | null,
      suggestedOwner: r.suggested_owner as string | null,
      snoozedUntil: r.snoozed_until as string | null,
      policyVersion: r.policy_version as string,
    }));
}

export function openAttestations(store: SqliteStore): AttestationView[] {
  return attestations(store).filter((a) => a.status === 'open');
}

/** The open attestation of `ref`; fails the test when there is none. */
export function openAttestationOf(store: SqliteStore, ref: string): AttestationView {
  const found = openAttestations(store).find((a) => a.ref === ref);
  if (!found) throw new Error(`no open attestation for ${ref}`);
  return found;
}

export interface QueueView {
  readonly ref: string;
  readonly queue: string;
  readonly reason: string;
  readonly detail: string | null;
  readonly queuedAt: string;
  readonly resolvedAt: string | null;
  readonly resolution: string | null;
}

export function queueEntries(store: SqliteStore): QueueView[] {
  return store.db
    .prepare<[], { ref: string; queue: string; reason: string; detail: string | null; queued_at: string; resolved_at: string | null; resolution: string | null }>(
      'SELECT i.ref, q.queue, q.reason, q.detail, q.queued_at, q.resolved_at, q.resolution FROM queue_entries q JOIN items i ON i.id = q.item_id ORDER BY q.id',
    )
    .all()
    .map((r) => ({ ref: r.ref, queue: r.queue, reason: r.reason, detail: r.detail, queuedAt: r.queued_at, resolvedAt: r.resolved_at, resolution: r.resolution }));
}

export function openQueue(store: SqliteStore): QueueView[] {
  return queueEntries(store).filter((q) => q.resolvedAt === null);
}

export interface OutboxView {
  readonly id: number;
  readonly kind: string;
  readonly to: string;
  readonly status: string;
  readonly attempts: number;
  readonly createdAt: string;
  readonly nextAttemptAt: string;
  /** 1, and one more each time the message was rewritten (an item in it resolved). */
  readonly revision: number;
  readonly platforms: readonly string[];
  readonly platformMessageId: string | null;
  readonly lastError: string | null;
  readonly failure: string | null;
  readonly message: OutgoingMessage;
  /** The refs of the message's sections, in order. */
  readonly refs: string[];
}

export function outbox(store: SqliteStore): OutboxView[] {
  const deliveries = store.db
    .prepare<[], { message_id: number; platform: string; status: string; attempts: number; next_attempt_at: string; platform_message_id: string | null; last_error: string | null; failure: string | null }>(
      'SELECT message_id, platform, status, attempts, next_attempt_at, platform_message_id, last_error, failure FROM deliveries ORDER BY id',
    )
    .all();
  return store.db
    .prepare<[], Record<string, unknown>>('SELECT * FROM outbox ORDER BY id')
    .all()
    .map((r) => {
      const message = JSON.parse(r.body as string) as OutgoingMessage;
      const mine = deliveries.filter((d) => d.message_id === r.id);
      // One platform in every test that reads this: the message's state is its delivery's, or pending until routed.
      const one = mine.length === 1 ? mine[0] : undefined;
      const status = mine.length === 0 ? (r.route_problem === null ? 'pending' : 'unroutable') : mine.every((d) => d.status === 'sent') ? 'sent' : mine.some((d) => d.status === 'pending') ? 'pending' : 'failed';
      return {
        id: r.id as number,
        kind: r.kind as string,
        to: addressedTo(JSON.parse(r.addressee as string) as Addressee),
        status,
        attempts: one?.attempts ?? 0,
        createdAt: r.created_at as string,
        nextAttemptAt: one?.next_attempt_at ?? (r.next_attempt_at as string),
        revision: r.revision as number,
        platforms: mine.map((d) => d.platform),
        platformMessageId: one?.platform_message_id ?? null,
        lastError: one?.last_error ?? (r.route_problem as string | null),
        failure: one?.failure ?? null,
        message,
        refs: message.sections.map((s) => s.itemRef),
      };
    });
}

/** Outbox rows created at `at` (one tick's or one answer's messages). */
export function outboxAt(store: SqliteStore, at: string): OutboxView[] {
  return outbox(store).filter((m) => m.createdAt === at);
}

export interface AuditView {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly details: Record<string, unknown>;
}

export function auditEvents(store: SqliteStore, options: { after?: number; action?: string } = {}): AuditView[] {
  return store.db
    .prepare<[number], { id: number; at: string; actor: string; action: string; subject: string | null; details: string }>(
      'SELECT id, at, actor, action, subject, details FROM audit_events WHERE id > ? ORDER BY id',
    )
    .all(options.after ?? 0)
    .filter((r) => options.action === undefined || r.action === options.action)
    .map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, subject: r.subject, details: JSON.parse(r.details) as Record<string, unknown> }));
}

export function lastAuditId(store: SqliteStore): number {
  return store.db.prepare<[], { id: number | null }>('SELECT max(id) AS id FROM audit_events').get()?.id ?? 0;
}

export interface ItemView {
  readonly id: number;
  readonly ref: string;
  readonly team: string | null;
  readonly accountable: string | null;
  readonly backup: string | null;
  readonly nextAttestationAt: string | null;
  readonly nextCheckAt: string | null;
}

export function itemOf(store: SqliteStore, ref: string): ItemView {
  const row = store.db
    .prepare<[string], { id: number; ref: string; team: string | null; accountable: string | null; backup: string | null; next_attestation_at: string | null; next_check_at: string | null }>(
      `SELECT i.id, i.ref, t.slug AS team, a.email AS accountable, b.email AS backup, i.next_attestation_at, i.next_check_at
       FROM items i LEFT JOIN teams t ON t.id = i.owner_team_id LEFT JOIN people a ON a.id = i.accountable_person_id
         LEFT JOIN people b ON b.id = i.backup_person_id WHERE i.ref = ?`,
    )
    .get(ref);
  if (!row) throw new Error(`no item ${ref}`);
  return { id: row.id, ref: row.ref, team: row.team, accountable: row.accountable, backup: row.backup, nextAttestationAt: row.next_attestation_at, nextCheckAt: row.next_check_at };
}

export function flagsOf(store: SqliteStore, ref: string): string[] {
  return store.db
    .prepare<[string], { code: string }>('SELECT f.code FROM item_flags f JOIN items i ON i.id = f.item_id WHERE i.ref = ? ORDER BY f.code')
    .all(ref)
    .map((r) => r.code);
}

export function warningsOf(store: SqliteStore, ref: string): number[] {
  return store.db
    .prepare<[string], { offset_days: number }>('SELECT w.offset_days FROM credential_warnings w JOIN items i ON i.id = w.item_id WHERE i.ref = ? ORDER BY w.sent_at, w.offset_days DESC')
    .all(ref)
    .map((r) => r.offset_days);
}

/** Messages rewritten since they were queued (an item in them resolved): their revision went up. */
export function rewritten(store: SqliteStore): OutboxView[] {
  return outbox(store).filter((m) => m.revision > 1);
}

export interface DeliveryView {
  readonly id: number;
  readonly messageId: number;
  readonly platform: string;
  readonly status: string;
  readonly attempts: number;
  readonly platformMessageId: string | null;
  /** Where the platform put it (a Slack DM channel id): an update of the message goes there. */
  readonly platformChannel: string | null;
  readonly failure: string | null;
}

/** Every delivery of every outbox message (one per platform that took it), in the order they were made. */
export function deliveries(store: SqliteStore): DeliveryView[] {
  return store.db
    .prepare<[], { id: number; message_id: number; platform: string; status: string; attempts: number; platform_message_id: string | null; platform_channel: string | null; failure: string | null }>(
      'SELECT id, message_id, platform, status, attempts, platform_message_id, platform_channel, failure FROM deliveries ORDER BY id',
    )
    .all()
    .map((r) => ({ id: r.id, messageId: r.message_id, platform: r.platform, status: r.status, attempts: r.attempts, platformMessageId: r.platform_message_id, platformChannel: r.platform_channel, failure: r.failure }));
}

/** The time of the latest tick recorded (dry runs record none); null before the first. */
export function lastTickAt(store: SqliteStore): string | null {
  return store.db.prepare<[], { at: string | null }>('SELECT max(at) AS at FROM ticks').get()?.at ?? null;
}
