import type Database from 'better-sqlite3';
import type { FlagCode, QueueReason, TickAttestation, TickDecision, TickItem, TickLeaver, TickPlan, TickState } from '../src/attestation/tick-state.js';
import type { TickOutcome, TickRequest } from '../src/ports/attestation-store.js';
import type { AuditLog } from './audit-log.js';
import { loopItemColumns, OwnerLookup, type LoopItemRow } from './owner-lookup.js';
import type { Outbox } from './outbox.js';
import type { OwnershipHistory } from './ownership-history.js';

interface DueItemRow extends LoopItemRow {
  open_id: number | null;
  open_person_id: number | null;
  q_queue: 'security' | 'team' | null;
  q_reason: QueueReason | null;
  q_queued_at: string | null;
}

interface DueAttestationRow {
  id: number;
  item_id: number;
  person_id: number | null;
  opened_at: string;
  due_at: string;
  reminders_sent: number;
  escalation_level: number;
  unreachable_level: number | null;
  facts: string;
}

class DryRun extends Error {}

const actor = 'steward:tick';

/** At most this many items are added to a batch for the people already in it (see `withTheirOtherDueItems`). */
const maxExtraItemsPerBatch = 10_000;

/**
 * Runs one tick in one transaction: loads only what is due (through the indexes on next_check_at,
 * attestations.next_action_at and the leavers' partial index), asks the core to decide, and writes the
 * decisions, their audit events and their messages together.
 */
export class TickRunner {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly history: OwnershipHistory,
  ) {
    this.s = {
      dueItems: db.prepare<[string, number], DueItemRow>(
        `SELECT ${loopItemColumns}, a.id AS open_id, a.person_id AS open_person_id, q.queue AS q_queue, q.reason AS q_reason, q.queued_at AS q_queued_at
         FROM items i
           LEFT JOIN attestations a ON a.item_id = i.id AND a.status = 'open'
           LEFT JOIN queue_entries q ON q.item_id = i.id AND q.resolved_at IS NULL
         WHERE i.next_check_at <= ? ORDER BY i.next_check_at, i.id LIMIT ?`,
      ),
      // The other due items of a person whose items are in the batch: their prompt is one message, not one per batch.
      dueItemsOf: db.prepare<[number, string, number], DueItemRow>(
        `SELECT ${loopItemColumns}, a.id AS open_id, a.person_id AS open_person_id, q.queue AS q_queue, q.reason AS q_reason, q.queued_at AS q_queued_at
         FROM items i
           LEFT JOIN attestations a ON a.item_id = i.id AND a.status = 'open'
           LEFT JOIN queue_entries q ON q.item_id = i.id AND q.resolved_at IS NULL
         WHERE i.accountable_person_id = ? AND i.next_check_at <= ? ORDER BY i.next_check_at, i.id LIMIT ?`,
      ),
      warned: db.prepare<[number, string], { offset_days: number }>('SELECT offset_days FROM credential_warnings WHERE item_id = ? AND expires_at = ?'),
      flags: db.prepare<[number], { code: FlagCode }>('SELECT code FROM item_flags WHERE item_id = ?'),
      dueAttestations: db.prepare<[string, number], DueAttestationRow>(
        `SELECT id, item_id, person_id, opened_at, due_at, reminders_sent, escalation_level, unreachable_level, facts
         FROM attestations WHERE status = 'open' AND next_action_at <= ? ORDER BY next_action_at, id LIMIT ?`,
      ),
      item: db.prepare<[number], LoopItemRow>(`SELECT ${loopItemColumns} FROM items i WHERE i.id = ?`),
      leavers: db.prepare<[number], { id: number }>('SELECT id FROM people WHERE left_handled_at IS NULL AND (active = 0 OR vanished_at IS NOT NULL) LIMIT ?'),
      // Vanished and retired items are not asked about any more, so nobody need take them over.
      leaverItems: db.prepare<[number], LoopItemRow & { open_id: number | null }>(
        `SELECT ${loopItemColumns}, a.id AS open_id FROM items i LEFT JOIN attestations a ON a.item_id = i.id AND a.status = 'open'
         WHERE i.accountable_person_id = ? AND i.vanished_at IS NULL
           AND coalesce(i.lifecycle, '') <> 'decommissioned' AND coalesce(i.status, '') NOT IN ('revoked', 'decommissioned')`,
      ),
      nextAttestationId: db.prepare<[], { n: number }>('SELECT coalesce(max(id), 0) + 1 AS n FROM attestations'),
      openAttestation: db.prepare<{ id: number; item: number; person: number; reason: string; now: string; due: string; next: string | null; facts: string; policy: string }>(
        `INSERT INTO attestations (id, item_id, person_id, reason, opened_at, due_at, status, next_action_at, facts, policy_version)
         VALUES (@id, @item, @person, @reason, @now, @due, 'open', @next, @facts, @policy)`,
      ),
      remind: db.prepare<[number, string | null, number]>(`UPDATE attestations SET reminders_sent = ?, next_action_at = ? WHERE id = ? AND status = 'open'`),
      escalate: db.prepare<[number, string | null, number]>(`UPDATE attestations SET escalation_level = ?, next_action_at = ? WHERE id = ? AND status = 'open'`),
      reschedule: db.prepare<[string | null, number]>(`UPDATE attestations SET next_action_at = ? WHERE id = ? AND status = 'open'`),
      close: db.prepare<[string, string, number]>(`UPDATE attestations SET status = 'closed', outcome = ?, closed_at = ?, next_action_at = NULL WHERE id = ? AND status = 'open'`),
      queue: db.prepare<[number, string, string, string | null, string]>(`INSERT INTO queue_entries (item_id, queue, reason, detail, queued_at) VALUES (?, ?, ?, ?, ?)`),
      dequeue: db.prepare<[string, string, number]>(`UPDATE queue_entries SET resolved_at = ?, resolution = ? WHERE item_id = ? AND resolved_at IS NULL`),
      warn: db.prepare<[number, string, number, string]>('INSERT OR IGNORE INTO credential_warnings (item_id, expires_at, offset_days, sent_at) VALUES (?, ?, ?, ?)'),
      flag: db.prepare<[number, string, string, string]>('INSERT OR REPLACE INTO item_flags (item_id, code, detail, flagged_at) VALUES (?, ?, ?, ?)'),
      unflag: db.prepare<[number, string]>('DELETE FROM item_flags WHERE item_id = ? AND code = ?'),
      reassign: db.prepare<[number, string, number]>('UPDATE items SET accountable_person_id = ?, backup_person_id = NULL, owned_since = ? WHERE id = ?'),
      leaverHandled: db.prepare<[string, number]>('UPDATE people SET left_handled_at = ? WHERE id = ?'),
      scheduleBoth: db.prepare<[string | null, string | null, number]>('UPDATE items SET next_attestation_at = ?, next_check_at = ? WHERE id = ?'),
      scheduleCheck: db.prepare<[string | null, number]>('UPDATE items SET next_check_at = ? WHERE id = ?'),
      // An expired attestation's item is asked again on its cadence; an earlier look already planned (an expiry
      // warning, a flag) must not be pushed back to then.
      scheduleAfterExpiry: db.prepare<{ next: string; id: number }>(
        `UPDATE items SET next_attestation_at = @next,
           next_check_at = CASE WHEN next_check_at IS NULL OR next_check_at > @next THEN @next ELSE next_check_at END
         WHERE id = @id`,
      ),
      recordTick: db.prepare<[string, string, string]>('INSERT INTO ticks (at, policy_version, summary) VALUES (?, ?, ?)'),
      // Both index lookups (ticks_at, audit_events_at): the latest time, not the last row's, which an import at
      // the clock's time after a tick --at ahead would make go back.
      lastTickAt: db.prepare<[], { at: string | null }>('SELECT max(at) AS at FROM ticks'),
      lastEventAt: db.prepare<[], { at: string | null }>('SELECT max(at) AS at FROM audit_events'),
    };
  }

  /** The latest time the database has recorded: its last tick that decided something, or its last audit event. */
  latestRecordedAt(): string | null {
    return this.db.transaction(() => this.latestNow())();
  }

  private latestNow(): string | null {
    const times = [this.s.lastTickAt.get()?.at ?? null, this.s.lastEventAt.get()?.at ?? null].filter((at): at is string => at !== null);
    return times.reduce<string | null>((latest, at) => (latest === null || Date.parse(at) > Date.parse(latest) ? at : latest), null);
  }

  run(request: TickRequest): TickOutcome {
    let outcome: TickOutcome | undefined;
    try {
      this.db.transaction(() => {
        // Time does not go back: a tick before what is recorded would write its events before them.
        const latest = request.apply ? this.latestRecordedAt() : null;
        if (latest !== null && Date.parse(request.now) < Date.parse(latest)) {
          outcome = { plan: { decisions: [], messages: [] }, queued: 0, more: false, notBefore: latest };
          return;
        }
        const { state, more } = this.load(request);
        const plan = request.decide(state);
        const queued = request.apply ? this.apply(plan, request) : 0;
        outcome = { plan, queued, more };
        if (!request.apply) throw new DryRun();
      }).immediate();
    } catch (error) {
      if (!(error instanceof DryRun)) throw error;
    }
    if (!outcome) throw new Error('tick: the transaction ended without an outcome');
    return outcome;
  }

  private load(request: TickRequest): { state: TickState; more: boolean } {
    const { now, limit } = request;
    const lookup = new OwnerLookup(this.db);
    const itemRows = this.s.dueItems.all(now, limit + 1);
    const attestationRows = this.s.dueAttestations.all(now, limit + 1);
    const leaverRows = this.s.leavers.all(limit + 1);
    const more = itemRows.length > limit || attestationRows.length > limit || leaverRows.length > limit;

    const items: TickItem[] = this.withTheirOtherDueItems(itemRows.slice(0, limit), now).map((row) => ({
      ...this.itemCore(row, lookup),
      openAttestationId: row.open_id,
      openAttestationPersonId: row.open_person_id,
      openQueue: row.q_queue && row.q_reason && row.q_queued_at ? { queue: row.q_queue, reason: row.q_reason, queuedAt: row.q_queued_at } : null,
      warnedOffsets: row.expires_at ? this.s.warned.all(row.id, row.expires_at).map((w) => w.offset_days) : [],
      flags: this.s.flags.all(row.id).map((f) => f.code),
    }));

    const attestations: TickAttestation[] = attestationRows.slice(0, limit).flatMap((row) => {
      const item = this.s.item.get(row.item_id);
      if (!item) return [];
      return [
        {
          id: row.id,
          item: lookup.attestedItem(item, JSON.parse(row.facts) as TickItem['facts']),
          person: lookup.person(row.person_id),
          openedAt: row.opened_at,
          dueAt: row.due_at,
          remindersSent: row.reminders_sent,
          escalationLevel: row.escalation_level,
          unreachableAtLevel: row.unreachable_level,
        },
      ];
    });

    const leavers: TickLeaver[] = leaverRows.slice(0, limit).flatMap(({ id }) => {
      const person = lookup.person(id);
      if (!person) return [];
      const theirs = this.s.leaverItems.all(id).map((row) => ({ ...lookup.attestedItem(row), openAttestationId: row.open_id }));
      return [{ person, items: theirs }];
    });

    return {
      // After the items, attestations and leavers: the lookup has read every team they name by then.
      state: { now, policyVersion: request.policyVersion, items, attestations, leavers, teamsWithBoundChannel: lookup.teamsWithBoundChannel(), nextAttestationId: this.s.nextAttestationId.get()?.n ?? 1 },
      more,
    };
  }

  /**
   * The batch's due items, and every other due item of the people accountable for them: the tick asks each person
   * once, in one prompt (paged), even when a catch-up tick's backlog is taken in several batches. Bounded, so one
   * person accountable for a vast backlog cannot make a batch unbounded; past that, their next batch asks again.
   */
  private withTheirOtherDueItems(batch: DueItemRow[], now: string): DueItemRow[] {
    const inBatch = new Set(batch.map((row) => row.id));
    const people = [...new Set(batch.flatMap((row) => (row.accountable_person_id === null ? [] : [row.accountable_person_id])))];
    const extra: DueItemRow[] = [];
    for (const person of people) {
      if (extra.length >= maxExtraItemsPerBatch) break;
      for (const row of this.s.dueItemsOf.all(person, now, maxExtraItemsPerBatch - extra.length + inBatch.size))
        if (!inBatch.has(row.id)) {
          inBatch.add(row.id);
          extra.push(row);
        }
    }
    return extra.length === 0 ? batch : [...batch, ...extra];
  }

  private itemCore(row: LoopItemRow, lookup: OwnerLookup) {
    return {
      ...lookup.attestedItem(row),
      lifecycle: row.lifecycle,
      status: row.status,
      lastUsedAt: row.last_used_at,
      firstSeenAt: row.first_seen_at,
      ownedSince: row.owned_since,
      nextAttestationAt: row.next_attestation_at,
    };
  }

  private apply(plan: TickPlan, request: TickRequest): number {
    const { now } = request;
    const event = (action: string, subject: string, itemId: number | null, details: Record<string, unknown>) =>
      this.audit.append({ at: now, actor, action, itemId, subject, details });
    for (const decision of plan.decisions) this.applyOne(decision, request, event);
    let queued = 0;
    for (const message of plan.messages) if (this.outbox.enqueue(message, now)) queued += 1;
    // A tick that found nothing to do leaves no trace, so running it twice at one time changes nothing at all.
    if (plan.decisions.length > 0) {
      const counts: Record<string, number> = {};
      for (const d of plan.decisions) counts[d.type] = (counts[d.type] ?? 0) + 1;
      this.s.recordTick.run(now, request.policyVersion, JSON.stringify({ decisions: counts, messages: queued }));
    }
    return queued;
  }

  private applyOne(d: TickDecision, request: TickRequest, event: (action: string, subject: string, itemId: number | null, details: Record<string, unknown>) => void): void {
    const { now } = request;
    switch (d.type) {
      case 'open_attestation':
        this.s.openAttestation.run({ id: d.id, item: d.itemId, person: d.personId, reason: d.reason, now, due: d.dueAt, next: d.nextActionAt, facts: JSON.stringify(d.facts), policy: request.policyVersion });
        event('attestation.opened', d.ref, d.itemId, { attestation: d.id, person: d.person, reason: d.reason, dueAt: d.dueAt, policyVersion: request.policyVersion });
        return;
      case 'remind':
        this.s.remind.run(d.remindersSent, d.nextActionAt, d.attestationId);
        event('attestation.reminded', d.ref, d.itemId, { attestation: d.attestationId, person: d.person, reminder: d.remindersSent });
        return;
      case 'escalate':
        this.s.escalate.run(d.level, d.nextActionAt, d.attestationId);
        event('attestation.escalated', d.ref, d.itemId, { attestation: d.attestationId, level: d.level, to: d.target, recipient: d.to });
        return;
      case 'reschedule_attestation':
        this.s.reschedule.run(d.nextActionAt, d.attestationId);
        return;
      case 'expire':
        this.s.close.run('expired', now, d.attestationId);
        this.s.scheduleAfterExpiry.run({ next: d.nextAttestationAt, id: d.itemId });
        this.outbox.resolve(`attestation:${d.attestationId}`, `Expired unanswered on ${now.slice(0, 10)}`, now);
        event('attestation.expired', d.ref, d.itemId, { attestation: d.attestationId, person: d.person });
        return;
      case 'supersede':
        this.s.close.run('superseded', now, d.attestationId);
        this.outbox.resolve(`attestation:${d.attestationId}`, `No longer asked: ${d.why}`, now);
        event('attestation.superseded', d.ref, d.itemId, { attestation: d.attestationId, why: d.why });
        return;
      case 'queue':
        this.s.dequeue.run(now, 'moved', d.itemId);
        this.s.queue.run(d.itemId, d.queue, d.reason, d.detail, now);
        event('queue.added', d.ref, d.itemId, { queue: d.queue, reason: d.reason, detail: d.detail });
        return;
      case 'dequeue':
        this.s.dequeue.run(now, d.why, d.itemId);
        this.outbox.resolve(`queue:${d.itemId}`, `Resolved: ${d.why}`, now);
        event('queue.resolved', d.ref, d.itemId, { why: d.why });
        return;
      case 'warn_expiry':
        this.s.warn.run(d.itemId, d.expiresAt, d.offsetDays, now);
        event('credential.expiry_warned', d.ref, d.itemId, { expiresAt: d.expiresAt, offsetDays: d.offsetDays, person: d.person });
        return;
      case 'flag':
        this.s.flag.run(d.itemId, d.code, d.detail, now);
        event('credential.flagged', d.ref, d.itemId, { code: d.code, detail: d.detail });
        return;
      case 'unflag':
        this.s.unflag.run(d.itemId, d.code);
        event('credential.unflagged', d.ref, d.itemId, { code: d.code });
        return;
      case 'reassign': {
        this.history.closeCurrent(d.itemId, now, 'leaver');
        this.s.reassign.run(d.toPersonId, now, d.itemId);
        event('item.owner_changed', d.ref, d.itemId, { reason: 'owner left', from: { accountable: d.from }, to: { accountable: d.to, backup: null } });
        return;
      }
      case 'leaver_handled':
        this.s.leaverHandled.run(now, d.personId);
        event('person.left', d.person, null, { items: d.items });
        return;
      case 'schedule':
        if (d.nextAttestationAt === undefined) this.s.scheduleCheck.run(d.nextCheckAt, d.itemId);
        else this.s.scheduleBoth.run(d.nextAttestationAt, d.nextCheckAt, d.itemId);
        return;
    }
  }
}
