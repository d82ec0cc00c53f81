import type Database from 'better-sqlite3';
import type { EvidenceRecordType, EvidenceVote } from '../src/evidence/evidence-record.js';
import type { ItemKind } from '../src/model/vocabulary.js';
import type { EvidenceCursor, EvidenceGroup, EvidencePage, EvidencePageRequest, EvidencePeriod, EvidenceSource, StoredEvidence } from '../src/ports/evidence-store.js';

/** The item and its current owner, as every page reads them. */
interface ItemColumns {
  item_kind: ItemKind;
  ref: string;
  name: string;
  item_id: number;
  /** Since when the current owner has held it; a record before then, with no period covering it, had no owner. */
  owned_since: string | null;
  current_team: string | null;
  current_accountable: string | null;
}

interface AttestationRow extends ItemColumns {
  id: number;
  at: string;
  outcome: string;
  facts: string;
  changes: string | null;
  note: string | null;
  suggested_owner: string | null;
  snoozed_until: string | null;
  opened_at: string;
  due_at: string;
  policy_version: string;
  by_email: string | null;
  on_behalf_of: string | null;
}

interface ApprovalRow extends ItemColumns {
  id: number;
  at: string;
  kind: string;
  status: string;
  payload: string;
  justification: string | null;
  decision_reason: string | null;
  requested_at: string;
  policy_version: string;
  offer: string | null;
  requested_by: string | null;
  requested_for: string | null;
  by_email: string | null;
}

interface ClaimRow extends ItemColumns {
  id: number;
  at: string;
  queue: string;
  reason: string;
  detail: string | null;
  queued_at: string;
  by_email: string | null;
}

interface KeysetParams {
  from: string;
  to: string;
  afterAt: string;
  afterId: number;
  limit: number;
}

const itemColumns = `i.id AS item_id, i.kind AS item_kind, i.ref, i.name, i.owned_since, ct.slug AS current_team, cp.email AS current_accountable`;
const itemJoins = `JOIN items i ON i.id = x.item_id LEFT JOIN teams ct ON ct.id = i.owner_team_id LEFT JOIN people cp ON cp.id = i.accountable_person_id`;

/*
 * Each source is walked by its index on the time it ended (migration 13), from the cursor on: `at >= afterAt AND
 * (at > afterAt OR id > afterId)` keeps the first term a range of the index, and the index's own order (time, then
 * rowid) is the ORDER BY, so a page costs its own rows wherever it starts.
 */
const keyset = (column: string) => `x.${column} >= @from AND x.${column} < @to AND x.${column} >= @afterAt AND (x.${column} > @afterAt OR x.id > @afterId)`;

// A claim resolves its queue entry with these words (storage/answer-runner.ts); nothing else does.
const claimed = `x.resolution LIKE 'claimed by %'`;

/** An approval request's kind, as evidence names its record. */
function typeOf(kind: string): EvidenceRecordType {
  return kind === 'exception' ? 'exception' : kind === 'ownership_transfer' ? 'transfer' : 'approval';
}

/** A request's payload without its kind (a column of its own) and the ids it keeps for Steward's own use (the people and teams are named beside them). */
function payloadFacts(payload: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(JSON.parse(payload) as Record<string, unknown>).filter(([key]) => key !== 'kind' && !/Id$/.test(key)));
}

/**
 * Reads what `steward evidence` exports: one page of one source per read transaction (nothing held across an await),
 * with the owner each record's item had when it ended and the people by email.
 */
export class EvidenceQueries {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      attestations: db.prepare<KeysetParams, AttestationRow>(
        `SELECT x.id, x.closed_at AS at, x.outcome, x.facts, x.changes, x.note, x.suggested_owner, x.snoozed_until, x.opened_at, x.due_at, x.policy_version,
           b.email AS by_email, ${itemColumns},
           -- A stand-in's answer names whom it was for on its audit event only (the attestation keeps who answered).
           (SELECT json_extract(e.details, '$.onBehalfOf') FROM audit_events e
             WHERE e.item_id = x.item_id AND e.action = 'attestation.answered' AND json_extract(e.details, '$.attestation') = x.id) AS on_behalf_of
         FROM attestations x ${itemJoins} LEFT JOIN people b ON b.id = x.answered_by
         WHERE x.status = 'closed' AND x.outcome <> 'superseded' AND ${keyset('closed_at')}
         ORDER BY x.closed_at, x.id LIMIT @limit`,
      ),
      approvals: db.prepare<KeysetParams, ApprovalRow>(
        `SELECT x.id, x.decided_at AS at, x.kind, x.status, x.payload, x.justification, x.decision_reason, x.requested_at, x.policy_version, x.offer,
           r.email AS requested_by, f.email AS requested_for, b.email AS by_email, ${itemColumns}
         FROM approval_requests x ${itemJoins} LEFT JOIN people r ON r.id = x.requested_by LEFT JOIN people f ON f.id = x.on_behalf_of
           LEFT JOIN people b ON b.id = x.decided_by
         WHERE ${keyset('decided_at')}
         ORDER BY x.decided_at, x.id LIMIT @limit`,
      ),
      claims: db.prepare<KeysetParams, ClaimRow>(
        `SELECT x.id, x.resolved_at AS at, x.queue, x.reason, x.detail, x.queued_at, b.email AS by_email, ${itemColumns}
         FROM queue_entries x ${itemJoins} LEFT JOIN people b ON b.id = x.resolved_by
         WHERE ${keyset('resolved_at')} AND ${claimed}
         ORDER BY x.resolved_at, x.id LIMIT @limit`,
      ),
      // The owner whose period covers the time: [from_at, to_at); none when the current owner held it then.
      ownerAt: db.prepare<[number, string, string], { team: string | null; accountable: string | null }>(
        `SELECT t.slug AS team, p.email AS accountable FROM ownership_periods o
           LEFT JOIN teams t ON t.id = o.team_id LEFT JOIN people p ON p.id = o.accountable_person_id
         WHERE o.item_id = ? AND o.to_at > ? AND (o.from_at IS NULL OR o.from_at <= ?) ORDER BY o.to_at LIMIT 1`,
      ),
      votes: db.prepare<[number], { voter: string; on_behalf_of: string | null; vote: 'approve' | 'reject'; at: string; reason: string | null }>(
        `SELECT p.email AS voter, f.email AS on_behalf_of, v.vote, v.at, v.reason FROM approval_votes v
           JOIN people p ON p.id = v.person_id LEFT JOIN people f ON f.id = v.on_behalf_of
         WHERE v.request_id = ? ORDER BY v.at, v.person_id`,
      ),
      attestationGroups: db.prepare<EvidencePeriod, GroupRow>(
        `SELECT x.outcome, i.kind AS item_kind, x.answered_by IS NOT NULL AS named, x.policy_version, count(*) AS count
         FROM attestations x JOIN items i ON i.id = x.item_id
         WHERE x.status = 'closed' AND x.outcome <> 'superseded' AND x.closed_at >= @from AND x.closed_at < @to
         GROUP BY x.outcome, i.kind, named, x.policy_version`,
      ),
      approvalGroups: db.prepare<EvidencePeriod, GroupRow & { kind: string }>(
        `SELECT x.kind, x.status AS outcome, i.kind AS item_kind, x.decided_by IS NOT NULL AS named, x.policy_version, count(*) AS count
         FROM approval_requests x JOIN items i ON i.id = x.item_id
         WHERE x.decided_at >= @from AND x.decided_at < @to
         GROUP BY x.kind, x.status, i.kind, named, x.policy_version`,
      ),
      claimGroups: db.prepare<EvidencePeriod, GroupRow>(
        `SELECT 'claimed' AS outcome, i.kind AS item_kind, x.resolved_by IS NOT NULL AS named, NULL AS policy_version, count(*) AS count
         FROM queue_entries x JOIN items i ON i.id = x.item_id
         WHERE x.resolved_at >= @from AND x.resolved_at < @to AND ${claimed}
         GROUP BY i.kind, named`,
      ),
    };
  }

  page(request: EvidencePageRequest): EvidencePage {
    const params: KeysetParams = { from: request.from, to: request.to, afterAt: request.after?.at ?? request.from, afterId: request.after?.id ?? 0, limit: request.limit };
    // One read transaction: the page and its owners and votes as of one moment.
    return this.db.transaction(() => {
      const rows = this.rows(request.source, params);
      const last = rows.at(-1);
      const next: EvidenceCursor | null = rows.length === request.limit && last !== undefined ? { at: last.record.at, id: last.id } : null;
      return { records: rows.map((r) => r.record), next };
    })();
  }

  private rows(source: EvidenceSource, params: KeysetParams): Array<{ id: number; record: StoredEvidence }> {
    switch (source) {
      case 'attestation':
        return this.s.attestations.all(params).map((row) => ({ id: row.id, record: this.attestation(row) }));
      case 'approval':
        return this.s.approvals.all(params).map((row) => ({ id: row.id, record: this.approval(row) }));
      case 'claim':
        return this.s.claims.all(params).map((row) => ({ id: row.id, record: this.claim(row) }));
    }
  }

  private base(row: ItemColumns & { at: string }) {
    const period = this.s.ownerAt.get(row.item_id, row.at, row.at);
    return {
      at: row.at,
      item: { kind: row.item_kind, ref: row.ref, name: row.name },
      // No period covers it: the current owner's, if they held it then; else nobody did (periods are kept only for
      // owners, so an item unowned until a later claim has none).
      owner: period
        ? { team: period.team, accountable: period.accountable }
        : row.owned_since === null || row.owned_since <= row.at
          ? { team: row.current_team, accountable: row.current_accountable }
          : { team: null, accountable: null },
    };
  }

  private attestation(row: AttestationRow): StoredEvidence {
    // The facts shown, then what the answer added to them: the owner's corrections, a suggested owner, a snooze's end.
    const facts: Record<string, unknown> = {
      ...(JSON.parse(row.facts) as Record<string, unknown>),
      ...(row.changes === null ? {} : { changes: JSON.parse(row.changes) as unknown }),
      ...(row.suggested_owner === null ? {} : { suggestedOwner: row.suggested_owner }),
      ...(row.snoozed_until === null ? {} : { snoozedUntil: row.snoozed_until }),
    };
    return {
      type: 'attestation',
      id: `attestation:${row.id}`,
      ...this.base(row),
      by: row.by_email,
      onBehalfOf: row.on_behalf_of,
      outcome: row.outcome,
      kind: null,
      facts,
      requestedBy: null,
      openedAt: row.opened_at,
      dueAt: row.due_at,
      reason: row.note,
      policyVersion: row.policy_version,
      votes: [],
    };
  }

  private approval(row: ApprovalRow): StoredEvidence {
    const votes: EvidenceVote[] = this.s.votes.all(row.id).map((v) => ({ by: v.voter, onBehalfOf: v.on_behalf_of, vote: v.vote, at: v.at, reason: v.reason }));
    const decider = row.by_email === null ? undefined : votes.find((v) => v.by === row.by_email);
    // What was asked (the payload), why, for whom when a stand-in asked, and a transfer's handshake.
    const facts: Record<string, unknown> = {
      ...payloadFacts(row.payload),
      ...(row.justification === null ? {} : { justification: row.justification }),
      ...(row.requested_for === null ? {} : { requestedFor: row.requested_for }),
      ...(row.offer === null ? {} : { offer: row.offer }),
    };
    return {
      type: typeOf(row.kind),
      id: `approval:${row.id}`,
      ...this.base(row),
      by: row.by_email,
      onBehalfOf: decider?.onBehalfOf ?? null,
      outcome: row.status,
      kind: row.kind,
      facts,
      requestedBy: row.requested_by,
      openedAt: row.requested_at,
      dueAt: null,
      reason: row.decision_reason,
      policyVersion: row.policy_version,
      votes,
    };
  }

  private claim(row: ClaimRow): StoredEvidence {
    return {
      type: 'claim',
      id: `claim:${row.id}`,
      ...this.base(row),
      by: row.by_email,
      onBehalfOf: null,
      outcome: 'claimed',
      kind: null,
      facts: { queue: row.queue, queuedBecause: row.reason, ...(row.detail === null ? {} : { detail: row.detail }) },
      requestedBy: null,
      openedAt: row.queued_at,
      dueAt: null,
      reason: null,
      policyVersion: null,
      votes: [],
    };
  }

  summary(period: EvidencePeriod): EvidenceGroup[] {
    return this.db.transaction(() => {
      const group = (type: EvidenceRecordType, kind: string | null, row: GroupRow): EvidenceGroup => ({
        type,
        kind,
        outcome: row.outcome,
        itemKind: row.item_kind,
        named: row.named === 1,
        policyVersion: row.policy_version,
        count: row.count,
      });
      return [
        ...this.s.attestationGroups.all(period).map((row) => group('attestation', null, row)),
        ...this.s.approvalGroups.all(period).map((row) => group(typeOf(row.kind), row.kind, row)),
        ...this.s.claimGroups.all(period).map((row) => group('claim', null, row)),
      ];
    })();
  }
}

interface GroupRow {
  outcome: string;
  item_kind: ItemKind;
  named: number;
  policy_version: string | null;
  count: number;
}
