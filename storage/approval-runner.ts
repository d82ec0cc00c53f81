import type Database from 'better-sqlite3';
import type { ApprovalTickPlan, DueApproval } from '../src/approvals/approval-tick.js';
import { staleness, type StoredApproval } from '../src/approvals/approval-request.js';
import type { ApprovedChange, DecisionPlan } from '../src/approvals/decide-decision.js';
import type { DelegationPlan } from '../src/approvals/decide-delegation.js';
import type { RequestPlan, RequestState } from '../src/approvals/decide-request.js';
import type { GateWaiver } from '../src/gate/check-release.js';
import type { ApprovalDecisionCall, ApprovalFilter, ApprovalList, ApprovalRequestCall, ApprovalTickCall, DelegationCall } from '../src/ports/approval-store.js';
import { actorLabel } from '../src/ports/attestation-store.js';
import { ApprovalRows } from './approval-rows.js';
import type { AuditLog } from './audit-log.js';
import { OwnerLookup } from './owner-lookup.js';
import type { Outbox } from './outbox.js';
import type { OwnershipHistory } from './ownership-history.js';

class DryRun extends Error {}

const tickActor = 'steward:tick';

/**
 * Applies approval requests, decisions, the approvals' tick and delegations, each in one IMMEDIATE transaction:
 * the core decides from the rows as they are inside it, so a retried click, a double click or two approvers
 * pressing at once find the vote cast or the request decided, and the change is applied once.
 */
export class ApprovalRunner {
  private readonly s;
  private readonly rows: ApprovalRows;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    private readonly history: OwnershipHistory,
  ) {
    this.rows = new ApprovalRows(db);
    this.s = {
      actorTeams: db.prepare<[number], { id: number; slug: string }>('SELECT t.id, t.slug FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.person_id = ? ORDER BY t.slug'),
      insert: db.prepare<{
        id: number;
        kind: string;
        item: number;
        by: number;
        for: number | null;
        now: string;
        why: string | null;
        payload: string;
        approvers: string;
        needed: number;
        offer: string | null;
        where: string;
        policy: string;
        attestation: number | null;
        next: string | null;
      }>(
        `INSERT INTO approval_requests (id, kind, item_id, requested_by, on_behalf_of, requested_at, justification, payload, approvers, needed, offer, where_posted, policy_version, attestation_id, next_action_at)
         VALUES (@id, @kind, @item, @by, @for, @now, @why, @payload, @approvers, @needed, @offer, @where, @policy, @attestation, @next)`,
      ),
      vote: db.prepare<[number, number, number | null, string, string, string | null]>(
        'INSERT INTO approval_votes (request_id, person_id, on_behalf_of, vote, at, reason) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      offer: db.prepare<[string, number]>("UPDATE approval_requests SET offer = ? WHERE id = ? AND status = 'pending'"),
      close: db.prepare<{ id: number; status: string; now: string; by: number | null; reason: string | null }>(
        `UPDATE approval_requests SET status = @status, decided_at = @now, decided_by = @by, decision_reason = @reason, next_action_at = NULL
         WHERE id = @id AND status = 'pending'`,
      ),
      list: db.prepare<{ pending: number; item: number | null; limit: number }, { id: number }>(
        `SELECT id FROM approval_requests WHERE (@pending = 0 OR status = 'pending') AND (@item IS NULL OR item_id = @item) ORDER BY id DESC LIMIT @limit`,
      ),
      count: db.prepare<{ pending: number; item: number | null }, number>(
        `SELECT count(*) FROM approval_requests WHERE (@pending = 0 OR status = 'pending') AND (@item IS NULL OR item_id = @item)`,
      ).pluck(),
      due: db.prepare<[string, number], { id: number }>(
        `SELECT id FROM approval_requests WHERE status = 'pending' AND next_action_at <= ? ORDER BY next_action_at, id LIMIT ?`,
      ),
      post: db.prepare<{ id: number; approvers: string; needed: number; where: string; next: string | null; now: string }>(
        `UPDATE approval_requests SET approvers = @approvers, needed = @needed, where_posted = @where, requested_at = @now, next_action_at = @next WHERE id = @id`,
      ),
      remind: db.prepare<[number, number]>('UPDATE approval_requests SET reminders_sent = ? WHERE id = ?'),
      escalate: db.prepare<[number, number]>('UPDATE approval_requests SET escalation_level = ? WHERE id = ?'),
      offerRemind: db.prepare<[number, number]>('UPDATE approval_requests SET offer_reminders_sent = ? WHERE id = ?'),
      offerEscalate: db.prepare<[number, number]>('UPDATE approval_requests SET offer_escalation_level = ? WHERE id = ?'),
      schedule: db.prepare<[string | null, number]>("UPDATE approval_requests SET next_action_at = ? WHERE id = ? AND status = 'pending'"),
      scopes: db.prepare<[string, number]>('UPDATE items SET scopes = ? WHERE id = ?'),
      approvedState: db.prepare<[number, string, string, number, string]>(
        `INSERT INTO approved_state (item_id, field, value, request_id, approved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (item_id, field) DO UPDATE SET value = excluded.value, request_id = excluded.request_id, approved_at = excluded.approved_at`,
      ),
      owner: db.prepare<{ id: number; team: number; person: number; now: string }>(
        `UPDATE items SET
           backup_person_id = CASE WHEN owner_team_id = @team AND backup_person_id <> @person THEN backup_person_id ELSE NULL END,
           approver_person_id = CASE WHEN owner_team_id = @team AND approver_person_id <> @person THEN approver_person_id ELSE NULL END,
           owner_team_id = @team, accountable_person_id = @person, owned_since = @now, next_attestation_at = @now, next_check_at = @now
         WHERE id = @id`,
      ),
      dequeue: db.prepare<[string, string, number | null, number]>('UPDATE queue_entries SET resolved_at = ?, resolution = ?, resolved_by = ? WHERE item_id = ? AND resolved_at IS NULL'),
      retireApi: db.prepare<[string, number]>("UPDATE items SET lifecycle = 'decommissioned', next_check_at = ? WHERE id = ?"),
      retireIdentity: db.prepare<[string, number]>("UPDATE items SET status = 'decommissioned', next_check_at = ? WHERE id = ?"),
      openAttestation: db.prepare<[number], { id: number }>("SELECT id FROM attestations WHERE item_id = ? AND status = 'open'"),
      snoozeAttestation: db.prepare<{ id: number; now: string; by: number | null; until: string; note: string }>(
        `UPDATE attestations SET status = 'closed', outcome = 'snoozed', closed_at = @now, answered_by = @by, snoozed_until = @until, note = @note, next_action_at = NULL
         WHERE id = @id AND status = 'open'`,
      ),
      extendDue: db.prepare<{ id: number; until: string }>(
        `UPDATE items SET next_attestation_at = @until,
           next_check_at = CASE WHEN next_check_at IS NULL OR next_check_at > @until THEN @until ELSE next_check_at END
         WHERE id = @id`,
      ),
      person: db.prepare<[string], { id: number }>('SELECT id FROM people WHERE email = ?'),
      itemOf: db.prepare<[number], number>('SELECT item_id FROM approval_requests WHERE id = ?').pluck(),
      away: db.prepare<[string, string], number>('SELECT DISTINCT person_id FROM delegations WHERE ended_at IS NULL AND starts_at <= ? AND ends_at > ?').pluck(),
      wakeOthers: db.prepare<[string, number, number]>("UPDATE approval_requests SET next_action_at = ? WHERE item_id = ? AND id <> ? AND status = 'pending'"),
      waivers: db.prepare<[string], { kind: 'api' | 'identity'; ref: string; rule: string; until: string; id: number }>(
        `SELECT i.kind, i.ref, json_extract(r.payload, '$.rule') AS rule, json_extract(r.payload, '$.until') AS until, r.id
         FROM approval_requests r JOIN items i ON i.id = r.item_id
         WHERE r.kind = 'exception' AND r.status = 'approved' AND json_extract(r.payload, '$.what') = 'waive_gate' AND json_extract(r.payload, '$.until') > ?
         ORDER BY r.id`,
      ),
      addDelegation: db.prepare<{ person: number; delegate: number; starts: string; ends: string; reason: string | null; now: string; by: number }>(
        `INSERT INTO delegations (person_id, delegate_id, starts_at, ends_at, reason, created_at, created_by) VALUES (@person, @delegate, @starts, @ends, @reason, @now, @by)`,
      ),
      endDelegation: db.prepare<[string, number]>('UPDATE delegations SET ended_at = ? WHERE id = ? AND ended_at IS NULL'),
    };
  }

  request(call: ApprovalRequestCall): RequestPlan {
    return this.db.transaction(() => {
      const lookup = new OwnerLookup(this.db);
      const state = this.requestState(call, lookup);
      const plan = call.decide(state);
      this.applyRequest(plan, call.now, call.policyVersion, state.actor?.email ?? actorLabel(call.actor), state.item?.id ?? null, state.item?.ref ?? null);
      return plan;
    }).immediate();
  }

  /**
   * The item's pending requests that still stand: one made stale since (by an import, a leaver) does not block a new
   * request of its kind; it is woken so the next tick cancels it and tells its requester.
   */
  private standingPending(itemId: number, now: string, lookup: OwnerLookup): Array<{ id: number; kind: StoredApproval['kind'] }> {
    return this.rows.pending(itemId).filter(({ id }) => {
      const request = this.rows.request(id, lookup);
      if (request === null || staleness(request) === null) return true;
      this.s.schedule.run(now, id);
      return false;
    });
  }

  /** What deciding a request needs, read inside the caller's transaction (a request's own, or an answer's). */
  requestState(call: Omit<ApprovalRequestCall, 'decide'>, lookup: OwnerLookup): RequestState {
    const actor = lookup.actor(call.actor);
    const item = call.itemId === null ? null : this.rows.item(call.itemId, lookup);
    const proposedRow = call.proposedEmail === null ? undefined : this.s.person.get(call.proposedEmail.trim().toLowerCase());
    const proposedPerson = proposedRow ? lookup.person(proposedRow.id) : null;
    return {
      now: call.now,
      policyVersion: call.policyVersion,
      actor,
      actorTeams: actor ? this.s.actorTeams.all(actor.id) : [],
      item,
      teamHasChannel: item?.teamHasChannel ?? false,
      pending: item ? this.standingPending(item.id, call.now, lookup) : [],
      proposed: proposedPerson ? { person: proposedPerson, teams: this.rows.teamsOf(proposedPerson.id) } : null,
      admins: this.rows.people(call.adminEmails, lookup),
      dependents: item ? this.rows.dependents(item, lookup) : [],
      away: this.s.away.all(call.now, call.now),
      nextId: this.rows.nextId(),
    };
  }

  /** Writes a decided request (or records its refusal): also called inside an answer's transaction (Decommission, Update, Not mine). */
  applyRequest(plan: RequestPlan, now: string, policyVersion: string, actor: string, itemId: number | null, ref: string | null): void {
    const { request } = plan;
    if (request === null) {
      if (!plan.result.ok) this.audit.append({ at: now, actor, action: 'approval.request_refused', itemId, subject: ref, details: { code: plan.result.code } });
      return;
    }
    this.s.insert.run({
      id: request.id,
      kind: request.kind,
      item: request.itemId,
      by: request.requesterId,
      for: request.onBehalfOfId,
      now,
      why: request.justification,
      payload: JSON.stringify(request.payload),
      approvers: JSON.stringify(request.approverIds),
      needed: request.needed,
      offer: request.offer,
      where: request.wherePosted,
      policy: policyVersion,
      attestation: request.attestationId,
      next: request.nextActionAt,
    });
    this.audit.append({
      at: now,
      actor,
      action: 'approval.requested',
      itemId: request.itemId,
      subject: request.ref,
      details: { request: request.id, kind: request.kind, payload: request.payload, justification: request.justification, approvers: request.approverIds, needed: request.needed, posted: request.wherePosted, policyVersion },
    });
    for (const message of plan.messages) this.outbox.enqueue(message, now);
    // A warning's Request rotation has done its work: its button goes from every message that showed it.
    if (request.kind === 'rotation') this.outbox.resolve(`rotation:${request.itemId}`, `Rotation requested as #${request.id} by ${actor} on ${now.slice(0, 10)}`, now);
  }

  decide(call: ApprovalDecisionCall): DecisionPlan {
    return this.db.transaction(() => {
      const lookup = new OwnerLookup(this.db);
      const actor = lookup.actor(call.actor);
      const request = this.rows.request(call.requestId, lookup);
      const plan = call.decide({
        now: call.now,
        policyVersion: call.policyVersion,
        actor,
        standsFor: actor ? this.rows.standsFor(actor.id, call.now, lookup) : [],
        request,
        admins: this.rows.people(call.adminEmails, lookup),
      });
      const { now } = call;
      const who = actor?.email ?? actorLabel(call.actor);
      if (!plan.result.ok) {
        this.audit.append({ at: now, actor: who, action: 'approval.decision_refused', itemId: plan.itemId, subject: plan.ref, details: { request: call.requestId, code: plan.result.code } });
        return plan;
      }
      if (request === null) throw new Error(`approval ${call.requestId}: decided without a request`);
      const event = (action: string, details: Record<string, unknown>) => this.audit.append({ at: now, actor: who, action, itemId: request.item.id, subject: request.item.ref, details: { request: request.id, kind: request.kind, ...details } });
      if (plan.vote !== null) {
        const onBehalfOf = plan.vote.onBehalfOf === null ? null : (lookup.person(plan.vote.onBehalfOf)?.email ?? null);
        this.s.vote.run(request.id, plan.vote.personId, plan.vote.onBehalfOf, plan.vote.vote, now, plan.vote.reason);
        event('approval.voted', { vote: plan.vote.vote, onBehalfOf, reason: plan.vote.reason });
      }
      if (plan.offer !== null) {
        this.s.offer.run(plan.offer, request.id);
        event(plan.offer === 'accepted' ? 'transfer.accepted' : 'transfer.declined', { to: request.payload.kind === 'ownership_transfer' ? request.payload.to : null, reason: plan.offer === 'declined' ? plan.close?.reason ?? null : null });
      }
      if (plan.close !== null) {
        const closed = this.s.close.run({ id: request.id, status: plan.close.status, now, by: plan.close.byPersonId, reason: plan.close.reason });
        if (closed.changes !== 1) throw new Error(`approval ${request.id} was not pending`);
        event('approval.decided', { status: plan.close.status, reason: plan.close.reason, change: plan.change });
      }
      if (plan.change !== null) this.applyChange(request, plan.change, now, who);
      for (const { subject, text } of plan.resolve) this.outbox.resolve(subject, text, now);
      if (plan.progress !== null) this.outbox.annotate(`approval:${request.id}`, 'Progress', plan.progress, now);
      for (const message of plan.messages) this.outbox.enqueue(message, now);
      return plan;
    }).immediate();
  }

  /** What an approved request does to its item, with the state the next import must keep (`approved_state`). */
  private applyChange(request: StoredApproval, change: ApprovedChange, now: string, actor: string): void {
    const { item } = request;
    // The item's other pending requests are looked at by the next tick: one asked of the item as it was may no longer stand.
    this.s.wakeOthers.run(now, item.id, request.id);
    const keep = (field: string, value: unknown) => this.s.approvedState.run(item.id, field, JSON.stringify(value), request.id, now);
    const event = (action: string, details: Record<string, unknown>) => this.audit.append({ at: now, actor, action, itemId: item.id, subject: item.ref, details: { request: request.id, ...details } });
    switch (change.type) {
      case 'scopes':
        this.s.scopes.run(JSON.stringify(change.scopes), item.id);
        keep('scopes', change.scopes);
        event('item.scopes_changed', { from: item.scopes, to: change.scopes });
        return;
      case 'owner': {
        this.history.closeCurrent(item.id, now, `approval:${request.id}`);
        this.s.owner.run({ id: item.id, team: change.teamId, person: change.personId, now });
        this.s.dequeue.run(now, `transferred by request #${request.id}`, change.personId, item.id);
        this.outbox.resolve(`queue:${item.id}`, `Transferred by request #${request.id} on ${now.slice(0, 10)}`, now);
        keep('owner', { team: change.teamId, accountable: change.personId });
        const to = request.payload.kind === 'ownership_transfer' ? { team: request.payload.toTeam, accountable: request.payload.to } : null;
        event('item.owner_changed', { reason: 'transferred', from: { team: item.owner.team?.slug ?? null, accountable: item.owner.accountable?.email ?? null }, to });
        return;
      }
      case 'retire':
        (item.kind === 'api' ? this.s.retireApi : this.s.retireIdentity).run(now, item.id);
        keep('retired', item.kind === 'api' ? { lifecycle: 'decommissioned' } : { status: 'decommissioned' });
        event('item.decommissioned', { from: item.kind === 'api' ? item.lifecycle : item.status });
        return;
      case 'extend_due': {
        const open = this.s.openAttestation.get(item.id);
        if (open) {
          this.s.snoozeAttestation.run({ id: open.id, now, by: null, until: change.until, note: `exception #${request.id} approved` });
          this.outbox.resolve(`attestation:${open.id}`, `Due ${change.until.slice(0, 10)} by exception #${request.id}`, now);
        }
        this.s.extendDue.run({ id: item.id, until: change.until });
        event('item.due_extended', { until: change.until, attestation: open?.id ?? null });
        return;
      }
      case 'record_only':
        return;
    }
  }

  /** The people who delegated their work to this person for `now`, read in the caller's transaction. */
  standsFor(personId: number, now: string, lookup: OwnerLookup) {
    return this.rows.standsFor(personId, now, lookup);
  }

  activeWaivers(now: string): GateWaiver[] {
    return this.s.waivers.all(now).map((w) => ({ kind: w.kind, ref: w.ref, rule: w.rule, until: w.until, requestId: w.id }));
  }

  list(filter: ApprovalFilter): ApprovalList {
    const lookup = new OwnerLookup(this.db);
    const params = { pending: filter.pending ? 1 : 0, item: filter.itemId ?? null };
    const ids = this.s.list.all({ ...params, limit: filter.limit });
    return { requests: ids.flatMap(({ id }) => this.rows.request(id, lookup) ?? []), total: this.s.count.get(params) ?? 0 };
  }

  get(id: number): StoredApproval | null {
    return this.rows.request(id, new OwnerLookup(this.db));
  }

  tick(call: ApprovalTickCall): { plan: ApprovalTickPlan; queued: number; more: boolean } {
    let result: { plan: ApprovalTickPlan; queued: number; more: boolean } = { plan: { decisions: [], messages: [] }, queued: 0, more: false };
    try {
      this.db.transaction(() => {
        const lookup = new OwnerLookup(this.db);
        const ids = this.s.due.all(call.now, call.limit + 1);
        const due: DueApproval[] = ids.slice(0, call.limit).flatMap(({ id }) => {
          const request = this.rows.request(id, lookup);
          return request ? [{ request, teamHasChannel: request.teamHasChannel, dependents: request.kind === 'decommission' ? this.rows.dependents(request.item, lookup) : [] }] : [];
        });
        if (due.length === 0) return;
        const plan = call.decide({ now: call.now, policyVersion: call.policyVersion, due, admins: this.rows.people(call.adminEmails, lookup) });
        result = { plan, queued: 0, more: ids.length > call.limit };
        if (!call.apply) throw new DryRun();
        result = { ...result, queued: this.applyTick(plan, call.now) };
      }).immediate();
    } catch (error) {
      if (!(error instanceof DryRun)) throw error;
    }
    return result;
  }

  private applyTick(plan: ApprovalTickPlan, now: string): number {
    const event = (action: string, requestId: number, ref: string, details: Record<string, unknown>) => {
      const itemId = this.s.itemOf.get(requestId) ?? null;
      this.audit.append({ at: now, actor: tickActor, action, itemId, subject: ref, details: { request: requestId, ...details } });
    };
    for (const d of plan.decisions) {
      switch (d.type) {
        case 'approval_post':
          this.s.post.run({ id: d.requestId, approvers: JSON.stringify(d.approverIds), needed: d.needed, where: d.where, next: d.nextActionAt, now });
          event('approval.posted', d.requestId, d.ref, { approvers: d.approverIds, needed: d.needed, posted: d.where, requestedBy: d.requestedBy });
          break;
        case 'approval_remind':
          this.s.remind.run(d.remindersSent, d.requestId);
          event('approval.reminded', d.requestId, d.ref, { to: d.to, reminder: d.remindersSent });
          break;
        case 'approval_escalate':
          this.s.escalate.run(d.level, d.requestId);
          event('approval.escalated', d.requestId, d.ref, { to: d.to, level: d.level });
          break;
        case 'offer_remind':
          this.s.offerRemind.run(d.remindersSent, d.requestId);
          event('transfer.reminded', d.requestId, d.ref, { to: d.to, reminder: d.remindersSent });
          break;
        case 'offer_escalate':
          this.s.offerEscalate.run(d.level, d.requestId);
          event('transfer.escalated', d.requestId, d.ref, { to: d.to, level: d.level });
          break;
        case 'approval_expire':
          this.s.close.run({ id: d.requestId, status: 'expired', now, by: null, reason: null });
          for (const { subject, text } of d.resolve) this.outbox.resolve(subject, text, now);
          event('approval.decided', d.requestId, d.ref, { status: 'expired' });
          break;
        case 'approval_cancel':
          this.s.close.run({ id: d.requestId, status: 'cancelled', now, by: null, reason: d.why });
          for (const { subject, text } of d.resolve) this.outbox.resolve(subject, text, now);
          event('approval.decided', d.requestId, d.ref, { status: 'cancelled', reason: d.why });
          break;
        case 'approval_schedule':
          this.s.schedule.run(d.nextActionAt, d.requestId);
          break;
      }
    }
    let queued = 0;
    for (const message of plan.messages) if (this.outbox.enqueue(message, now)) queued += 1;
    return queued;
  }

  delegate(call: DelegationCall): DelegationPlan {
    return this.db.transaction(() => {
      const lookup = new OwnerLookup(this.db);
      const actor = lookup.actor(call.actor);
      const byEmail = (email: string) => {
        const row = this.s.person.get(email.trim().toLowerCase());
        return row ? lookup.person(row.id) : null;
      };
      const person = call.forEmail === null ? actor : byEmail(call.forEmail);
      const delegate = call.toEmail === null ? null : byEmail(call.toEmail);
      const plan = call.decide({
        now: call.now,
        actor,
        person,
        delegate,
        current: person ? this.rows.delegationsOf(person.id, call.now, lookup) : [],
        delegateAway: delegate ? this.rows.delegationsOf(delegate.id, call.now, lookup).map((d) => ({ startsAt: d.startsAt, endsAt: d.endsAt })) : [],
        personStandsIn: person ? this.rows.standingIn(person.id, call.now, lookup) : [],
      });
      const who = actor?.email ?? actorLabel(call.actor);
      if (!plan.result.ok) {
        this.audit.append({ at: call.now, actor: who, action: 'delegation.refused', itemId: null, subject: person?.email ?? call.forEmail, details: {} });
        return plan;
      }
      for (const id of plan.end) this.s.endDelegation.run(call.now, id);
      if (plan.end.length > 0) this.audit.append({ at: call.now, actor: who, action: 'delegation.ended', itemId: null, subject: person?.email ?? null, details: { delegations: plan.end } });
      if (plan.create !== null && actor !== null) {
        const c = plan.create;
        this.s.addDelegation.run({ person: c.personId, delegate: c.delegateId, starts: c.startsAt, ends: c.endsAt, reason: c.reason, now: call.now, by: actor.id });
        this.audit.append({ at: call.now, actor: who, action: 'delegation.started', itemId: null, subject: person?.email ?? null, details: { delegate: delegate?.email ?? null, until: c.endsAt, reason: c.reason } });
      }
      for (const message of plan.messages) this.outbox.enqueue(message, call.now);
      return plan;
    }).immediate();
  }
}
