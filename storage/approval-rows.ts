import type Database from 'better-sqlite3';
import type { ApprovalItem, ApprovalKind, ApprovalPayload, ApprovalStatus, ApprovalVote, Dependent, OfferState, StoredApproval } from '../src/approvals/approval-request.js';
import type { TeamRef } from '../src/approvals/decide-request.js';
import type { StoredDelegation } from '../src/approvals/decide-delegation.js';
import type { TickPerson } from '../src/attestation/tick-state.js';
import type { ItemKind } from '../src/model/vocabulary.js';
import { loopItemColumns, type LoopItemRow, type OwnerLookup } from './owner-lookup.js';

export interface ApprovalRow {
  id: number;
  kind: ApprovalKind;
  item_id: number;
  requested_by: number;
  on_behalf_of: number | null;
  requested_at: string;
  justification: string | null;
  payload: string;
  status: ApprovalStatus;
  approvers: string;
  needed: number;
  offer: OfferState | null;
  where_posted: 'team' | 'security' | null;
  policy_version: string;
  reminders_sent: number;
  escalation_level: number;
  offer_reminders_sent: number;
  offer_escalation_level: number;
  next_action_at: string | null;
  decided_at: string | null;
  decided_by: number | null;
  decision_reason: string | null;
}

interface ItemRow extends LoopItemRow {
  approver_person_id: number | null;
  team_channel: string | null;
}

const unknownPerson = (id: number): TickPerson => ({ id, email: `person #${id}`, displayName: null, active: false });

// The other side of each link, worded as what it means for the item they depend on.
const dependentWords: Record<string, string> = { depends_on: 'depends on it', serves: 'is served by it', calls: 'calls it', acts_as: 'acts as it' };

/**
 * Reads approval requests and what deciding them needs (the item with its owners, the votes, what depends on the
 * item), for the store's approval transactions. Reads only: the callers write.
 */
export class ApprovalRows {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      request: db.prepare<[number], ApprovalRow>('SELECT * FROM approval_requests WHERE id = ?'),
      votes: db.prepare<[number], { person_id: number; on_behalf_of: number | null; vote: 'approve' | 'reject'; at: string; reason: string | null }>(
        'SELECT person_id, on_behalf_of, vote, at, reason FROM approval_votes WHERE request_id = ? ORDER BY at, person_id',
      ),
      item: db.prepare<[number], ItemRow>(
        `SELECT ${loopItemColumns}, i.approver_person_id, (SELECT t.channel FROM teams t WHERE t.id = i.owner_team_id) AS team_channel FROM items i WHERE i.id = ?`,
      ),
      teamBound: db.prepare<[string], number>('SELECT count(*) FROM channel_bindings WHERE target = ?').pluck(),
      // Items linking to this one (they depend on it, are served by it, call it, act as it).
      linksIn: db.prepare<[ItemKind, string], LoopItemRow & { relation: string }>(
        `SELECT ${loopItemColumns}, l.relation FROM item_links l JOIN items i ON i.id = l.item_id WHERE l.to_kind = ? AND l.to_ref = ? AND i.vanished_at IS NULL ORDER BY i.ref LIMIT 50`,
      ),
      // The APIs an identity serves or calls: they lose their credential with it.
      linksOut: db.prepare<[number], LoopItemRow & { relation: string }>(
        `SELECT ${loopItemColumns}, l.relation FROM item_links l JOIN items i ON i.kind = l.to_kind AND i.ref = l.to_ref
         WHERE l.item_id = ? AND l.relation IN ('serves', 'calls') AND i.vanished_at IS NULL ORDER BY i.ref LIMIT 50`,
      ),
      pending: db.prepare<[number], { id: number; kind: ApprovalKind }>("SELECT id, kind FROM approval_requests WHERE item_id = ? AND status = 'pending' ORDER BY id"),
      nextId: db.prepare<[], number>('SELECT coalesce(max(id), 0) + 1 FROM approval_requests').pluck(),
      teamsOf: db.prepare<[number], TeamRef>('SELECT t.id, t.slug FROM team_members m JOIN teams t ON t.id = m.team_id WHERE m.person_id = ? AND t.vanished_at IS NULL ORDER BY t.slug'),
      personByEmail: db.prepare<[string], { id: number }>('SELECT id FROM people WHERE email = ?'),
      // Delegations in force at a time: [starts_at, ends_at), not ended early.
      standsFor: db.prepare<[number, string, string], { person_id: number }>(
        'SELECT person_id FROM delegations WHERE delegate_id = ? AND ended_at IS NULL AND starts_at <= ? AND ends_at > ? ORDER BY id',
      ),
      standingIn: db.prepare<[number, string], { person_id: number; starts_at: string; ends_at: string }>(
        'SELECT person_id, starts_at, ends_at FROM delegations WHERE delegate_id = ? AND ended_at IS NULL AND ends_at > ? ORDER BY id',
      ),
      delegationsOf: db.prepare<[number, string], { id: number; person_id: number; delegate_id: number; starts_at: string; ends_at: string; reason: string | null }>(
        'SELECT id, person_id, delegate_id, starts_at, ends_at, reason FROM delegations WHERE person_id = ? AND ended_at IS NULL AND ends_at > ? ORDER BY id',
      ),
    };
  }

  item(id: number, lookup: OwnerLookup): (ApprovalItem & { teamHasChannel: boolean }) | null {
    const row = this.s.item.get(id);
    if (!row) return null;
    const base = lookup.attestedItem(row);
    const team = base.owner.team;
    return {
      id: row.id,
      kind: row.kind,
      ref: row.ref,
      name: row.name,
      sensitivity: row.sensitivity,
      exposure: row.exposure,
      identityKind: row.identity_kind,
      status: row.status,
      lifecycle: row.lifecycle,
      scopes: base.scopes,
      revocationPath: row.revocation_path,
      recoveryProcedure: row.recovery_procedure,
      owner: base.owner,
      approver: lookup.person(row.approver_person_id),
      vanished: base.vanished,
      teamHasChannel: team !== null && (row.team_channel !== null || this.s.teamBound.get(`team:${team.id}`) !== 0),
    };
  }

  request(id: number, lookup: OwnerLookup): (StoredApproval & { teamHasChannel: boolean }) | null {
    const row = this.s.request.get(id);
    if (!row) return null;
    const item = this.item(row.item_id, lookup);
    if (item === null) return null;
    const person = (pid: number) => lookup.person(pid) ?? unknownPerson(pid);
    const payload = { kind: row.kind, ...(JSON.parse(row.payload) as object) } as ApprovalPayload;
    const votes: ApprovalVote[] = this.s.votes.all(id).map((v) => ({ person: person(v.person_id), onBehalfOf: v.on_behalf_of === null ? null : person(v.on_behalf_of), vote: v.vote, at: v.at, reason: v.reason }));
    return {
      id: row.id,
      kind: row.kind,
      item,
      requester: person(row.requested_by),
      onBehalfOf: row.on_behalf_of === null ? null : person(row.on_behalf_of),
      requestedAt: row.requested_at,
      justification: row.justification,
      payload,
      proposed: payload.kind === 'ownership_transfer' ? person(payload.toPersonId) : null,
      status: row.status,
      approvers: (JSON.parse(row.approvers) as number[]).map(person),
      needed: row.needed,
      offer: row.offer,
      wherePosted: row.where_posted,
      policyVersion: row.policy_version,
      votes,
      decidedAt: row.decided_at,
      decidedBy: row.decided_by === null ? null : person(row.decided_by),
      decisionReason: row.decision_reason,
      remindersSent: row.reminders_sent,
      escalationLevel: row.escalation_level,
      offerRemindersSent: row.offer_reminders_sent,
      offerEscalationLevel: row.offer_escalation_level,
      teamHasChannel: item.teamHasChannel,
    };
  }

  /** What depends on an item, with owners: for an API, what links to it; for an identity, the APIs it serves or calls and the identities acting as it. */
  dependents(item: Pick<ApprovalItem, 'id' | 'kind' | 'ref'>, lookup: OwnerLookup): Dependent[] {
    const rows = [...this.s.linksIn.all(item.kind, item.ref), ...(item.kind === 'identity' ? this.s.linksOut.all(item.id).map((r) => ({ ...r, relation: `uses:${r.relation}` })) : [])];
    return rows.map((row) => {
      const owner = lookup.owner(row);
      const how = row.relation.startsWith('uses:') ? `it ${row.relation === 'uses:serves' ? 'serves' : 'calls'} this API` : (dependentWords[row.relation] ?? row.relation);
      return { kind: row.kind, ref: row.ref, name: row.name, how, accountable: owner.accountable, team: owner.team?.slug ?? null };
    });
  }

  pending(itemId: number) {
    return this.s.pending.all(itemId);
  }

  nextId(): number {
    return this.s.nextId.get() ?? 1;
  }

  teamsOf(personId: number): TeamRef[] {
    return this.s.teamsOf.all(personId);
  }

  people(emails: readonly string[], lookup: OwnerLookup): TickPerson[] {
    return emails.flatMap((email) => {
      const row = this.s.personByEmail.get(email.trim().toLowerCase());
      const person = row ? lookup.person(row.id) : null;
      return person ? [person] : [];
    });
  }

  /** The people who delegated to this person for `now`. */
  standsFor(personId: number, now: string, lookup: OwnerLookup): TickPerson[] {
    // Nobody decides for someone who has left: their delegation ends with them.
    return this.s.standsFor.all(personId, now, now).flatMap(({ person_id }) => {
      const person = lookup.person(person_id);
      return person?.active ? [person] : [];
    });
  }

  /** The delegations in force at `now` or later in which this person stands in for someone. */
  standingIn(personId: number, now: string, lookup: OwnerLookup): Array<{ startsAt: string; endsAt: string; for: string }> {
    return this.s.standingIn.all(personId, now).map((row) => ({ startsAt: row.starts_at, endsAt: row.ends_at, for: lookup.person(row.person_id)?.email ?? `person #${row.person_id}` }));
  }

  /** A person's delegations in force at `now` or starting later. */
  delegationsOf(personId: number, now: string, lookup: OwnerLookup): StoredDelegation[] {
    return this.s.delegationsOf.all(personId, now).flatMap((row) => {
      const person = lookup.person(row.person_id);
      const delegate = lookup.person(row.delegate_id);
      return person && delegate ? [{ id: row.id, person, delegate, startsAt: row.starts_at, endsAt: row.ends_at, reason: row.reason }] : [];
    });
  }
}
