import type Database from 'better-sqlite3';
import type { AnswerPlan, AnsweredAttestation, Outcome } from '../src/attestation/decide-answer.js';
import type { ClaimResult } from '../src/attestation/decide-claim.js';
import type { AttestedFacts, QueueReason } from '../src/attestation/tick-state.js';
import { actorLabel, type AnswerRequest, type ClaimRequest } from '../src/ports/attestation-store.js';
import type { RequestState } from '../src/approvals/decide-request.js';
import type { ApprovalRunner } from './approval-runner.js';
import type { AuditLog } from './audit-log.js';
import { loopItemColumns, OwnerLookup, type LoopItemRow } from './owner-lookup.js';
import type { Outbox } from './outbox.js';
import type { OwnershipHistory } from './ownership-history.js';

interface AttestationRow {
  id: number;
  item_id: number;
  status: 'open' | 'closed';
  outcome: Outcome | null;
  closed_at: string | null;
  answered_by_email: string | null;
  facts: string;
}

/**
 * Applies answers and claims, each in one transaction: the core decides from the rows as they are inside the
 * transaction, so a double click or a retried delivery finds the attestation closed and changes nothing.
 */
export class AnswerRunner {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly history: OwnershipHistory,
    private readonly approvals: ApprovalRunner,
  ) {
    this.s = {
      attestation: db.prepare<[number], AttestationRow>(
        `SELECT a.id, a.item_id, a.status, a.outcome, a.closed_at, p.email AS answered_by_email, a.facts
         FROM attestations a LEFT JOIN people p ON p.id = a.answered_by WHERE a.id = ?`,
      ),
      item: db.prepare<[number], LoopItemRow>(`SELECT ${loopItemColumns} FROM items i WHERE i.id = ?`),
      close: db.prepare<{ id: number; outcome: string; now: string; by: number; changes: string | null; note: string | null; suggested: string | null; until: string | null }>(
        `UPDATE attestations SET status = 'closed', outcome = @outcome, closed_at = @now, answered_by = @by, changes = @changes, note = @note,
           suggested_owner = @suggested, snoozed_until = @until, next_action_at = NULL
         WHERE id = @id AND status = 'open'`,
      ),
      // The item is looked at again no later than its next attestation.
      schedule: db.prepare<{ next: string | null; id: number }>(
        `UPDATE items SET next_attestation_at = @next,
           next_check_at = CASE WHEN @next IS NULL THEN next_check_at WHEN next_check_at IS NULL OR next_check_at > @next THEN @next ELSE next_check_at END
         WHERE id = @id`,
      ),
      dequeue: db.prepare<[string, string, number | null, number]>(`UPDATE queue_entries SET resolved_at = ?, resolution = ?, resolved_by = ? WHERE item_id = ? AND resolved_at IS NULL`),
      queue: db.prepare<[number, string, string | null, string]>(`INSERT INTO queue_entries (item_id, queue, reason, detail, queued_at) VALUES (?, 'security', ?, ?, ?)`),
      openQueue: db.prepare<[number], { queue: 'security' | 'team'; reason: QueueReason }>('SELECT queue, reason FROM queue_entries WHERE item_id = ? AND resolved_at IS NULL'),
      actorTeams: db.prepare<[number], { id: number; slug: string }>('SELECT t.id, t.slug FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.person_id = ? ORDER BY t.slug'),
      claim: db.prepare<{ team: number; person: number; now: string; id: number }>(
        `UPDATE items SET owner_team_id = @team, accountable_person_id = @person, owned_since = @now, next_attestation_at = @now, next_check_at = @now WHERE id = @id`,
      ),
    };
  }

  answer(request: AnswerRequest): AnswerPlan {
    return this.db.transaction(() => {
      const lookup = new OwnerLookup(this.db);
      const attestations: AnsweredAttestation[] = [];
      const missing: number[] = [];
      for (const id of request.attestationIds) {
        const row = this.s.attestation.get(id);
        const item = row ? this.s.item.get(row.item_id) : undefined;
        if (!row || !item) {
          missing.push(id);
          continue;
        }
        const facts = JSON.parse(row.facts) as AttestedFacts;
        const queued = this.s.openQueue.get(item.id) ?? null;
        attestations.push({ id, status: row.status, outcome: row.outcome, closedAt: row.closed_at, answeredBy: row.answered_by_email, item: lookup.attestedItem(item, facts), facts, queued });
      }
      const actor = lookup.actor(request.actor);
      // An answer that raises a request (Decommission, Not mine with a suggested owner, Update of scopes) is decided
      // with what the request needs, so the answer and its request are one transaction.
      const requestStates = new Map<number, RequestState>();
      if (request.raises !== undefined)
        for (const a of attestations) requestStates.set(a.id, this.approvals.requestState({ ...request.raises, now: request.now, actor: request.actor, itemId: a.item.id }, lookup));
      const standsFor = actor ? this.approvals.standsFor(actor.id, request.now, lookup) : [];
      const plan = request.decide({ now: request.now, actor, attestations, missing, requestStates, standsFor });
      const { now } = request;
      for (const d of plan.decisions) {
        if (d.type === 'close') {
          const closed = this.s.close.run({
            id: d.attestationId,
            outcome: d.outcome,
            now,
            by: d.byPersonId,
            changes: d.changes === null ? null : JSON.stringify(d.changes),
            note: d.note,
            suggested: d.suggestedOwner,
            until: d.snoozedUntil,
          });
          if (closed.changes !== 1) throw new Error(`answer: attestation ${d.attestationId} was not open`);
          this.s.schedule.run({ next: d.nextAttestationAt, id: d.itemId });
          this.outbox.resolve(`attestation:${d.attestationId}`, d.resolvedText, now);
          this.audit.append({
            at: now,
            actor: actor?.email ?? 'unknown',
            action: 'attestation.answered',
            itemId: d.itemId,
            subject: d.ref,
            details: {
              attestation: d.attestationId,
              outcome: d.outcome,
              changes: d.changes,
              note: d.note,
              suggestedOwner: d.suggestedOwner,
              snoozedUntil: d.snoozedUntil,
              ...(d.onBehalfOf ? { onBehalfOf: d.onBehalfOf } : {}),
            },
          });
        } else if (d.type === 'request') {
          this.approvals.applyRequest(d.plan, now, request.raises?.policyVersion ?? 'unknown', actor?.email ?? 'unknown', d.itemId, d.ref);
        } else if (d.type === 'dequeue') {
          this.s.dequeue.run(now, d.why, d.byPersonId, d.itemId);
          this.outbox.resolve(`queue:${d.itemId}`, `Resolved: ${d.why}`, now);
          this.audit.append({ at: now, actor: actor?.email ?? 'unknown', action: 'queue.resolved', itemId: d.itemId, subject: d.ref, details: { why: d.why } });
        } else {
          this.s.dequeue.run(now, 'moved', null, d.itemId);
          this.s.queue.run(d.itemId, d.reason, d.detail, now);
          this.audit.append({ at: now, actor: actor?.email ?? 'unknown', action: 'queue.added', itemId: d.itemId, subject: d.ref, details: { queue: 'security', reason: d.reason, detail: d.detail } });
        }
      }
      for (const message of plan.messages) this.outbox.enqueue(message, now);
      // Refusals are recorded too: who tried to answer for what, and why they could not (on the item's trail).
      const itemOf = new Map(attestations.map((a) => [a.id, a.item.id]));
      for (const r of plan.results)
        if (!r.ok)
          this.audit.append({
            at: now,
            actor: actor?.email ?? actorLabel(request.actor),
            action: 'attestation.answer_refused',
            itemId: itemOf.get(r.attestationId) ?? null,
            subject: r.ref,
            details: { attestation: r.attestationId, code: r.code },
          });
      return plan;
    }).immediate();
  }

  claim(request: ClaimRequest & { team: string | null }): ClaimResult {
    return this.db.transaction(() => {
      const lookup = new OwnerLookup(this.db);
      const row = this.s.item.get(request.itemId);
      const actor = lookup.actor(request.actor);
      const result = request.decide({
        now: request.now,
        actor,
        actorTeams: actor ? this.s.actorTeams.all(actor.id) : [],
        item: row ? lookup.attestedItem(row) : null,
        openQueue: row ? (this.s.openQueue.get(row.id) ?? null) : null,
      });
      const { now } = request;
      if (!result.ok || !row || !actor) {
        this.audit.append({ at: now, actor: actor?.email ?? actorLabel(request.actor), action: 'queue.claim_refused', itemId: row?.id ?? null, subject: row?.ref ?? String(request.itemId), details: { code: result.ok ? 'unknown' : result.code } });
        return result;
      }
      this.history.closeCurrent(row.id, now, `claim:${actor.email}`);
      this.s.claim.run({ team: result.teamId, person: actor.id, now, id: row.id });
      this.s.dequeue.run(now, `claimed by ${actor.email}`, actor.id, row.id);
      this.outbox.resolve(`queue:${row.id}`, `Claimed by ${actor.email} on ${now.slice(0, 10)}`, now);
      this.audit.append({ at: now, actor: actor.email, action: 'item.owner_changed', itemId: row.id, subject: row.ref, details: { reason: 'claimed', to: { team: result.team, accountable: actor.email } } });
      return result;
    }).immediate();
  }
}

