import type Database from 'better-sqlite3';
import type { ApprovalKind } from '../src/approvals/approval-request.js';
import type { AttestedFacts } from '../src/attestation/tick-state.js';
import type { ItemKind } from '../src/model/index.js';
import type { ActorKey } from '../src/ports/attestation-store.js';
import type { MyItems } from '../src/queries/my-items.js';
import { summaryColumns, summaryFrom, toSummary, type SummaryRow } from './item-queries.js';
import { OwnerLookup } from './owner-lookup.js';

interface PendingRow {
  attestation_id: number;
  item_id: number;
  kind: ItemKind;
  ref: string;
  name: string;
  facts: string;
  opened_at: string;
  due_at: string;
  as_backup: number;
}

/**
 * "My items" for App Home and `mine`, in one read transaction, through the indexes on an item's accountable
 * person and backup. Pending means open attestations the person may answer (as accountable person or backup,
 * as the answer itself is checked), soonest due first. Items gone from their source are left out of what they
 * own and back up: there is nothing left to do about them.
 */
export class MyItemsQuery {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      pending: db.prepare<{ me: number }, PendingRow>(
        `SELECT a.id AS attestation_id, i.id AS item_id, i.kind, i.ref, i.name, a.facts, a.opened_at, a.due_at,
                (i.accountable_person_id IS NOT @me) AS as_backup
         FROM items i JOIN attestations a ON a.item_id = i.id AND a.status = 'open'
         WHERE i.id IN (SELECT id FROM items WHERE accountable_person_id = @me UNION SELECT id FROM items WHERE backup_person_id = @me)
         ORDER BY a.due_at, a.id`,
      ),
      // Pending requests are few: read through the index of pending ones, the approvers' list read as JSON.
      decisions: db.prepare<{ me: number }, { id: number; kind: ApprovalKind; item_kind: ItemKind; ref: string; by: string; at: string; proposed: number }>(
        `SELECT r.id, r.kind, i.kind AS item_kind, i.ref, p.email AS by, r.requested_at AS at,
                (r.offer = 'offered' AND json_extract(r.payload, '$.toPersonId') = @me) AS proposed
         FROM approval_requests r JOIN items i ON i.id = r.item_id JOIN people p ON p.id = r.requested_by
         WHERE r.status = 'pending' AND r.requested_by <> @me
           AND ((r.offer = 'offered' AND json_extract(r.payload, '$.toPersonId') = @me)
             OR (EXISTS (SELECT 1 FROM json_each(r.approvers) a WHERE a.value = @me)
                 AND NOT EXISTS (SELECT 1 FROM approval_votes v WHERE v.request_id = r.id AND (v.person_id = @me OR v.on_behalf_of = @me))))
         ORDER BY r.requested_at, r.id`,
      ),
      owned: db.prepare<[number], SummaryRow>(`SELECT ${summaryColumns} FROM ${summaryFrom} WHERE i.accountable_person_id = ? AND i.vanished_at IS NULL ORDER BY i.kind, i.ref`),
      backing: db.prepare<[number], SummaryRow>(`SELECT ${summaryColumns} FROM ${summaryFrom} WHERE i.backup_person_id = ? AND i.vanished_at IS NULL ORDER BY i.kind, i.ref`),
    };
  }

  of(actor: ActorKey): MyItems | null {
    return this.db.transaction(() => {
      const person = new OwnerLookup(this.db).actor(actor);
      if (!person) return null;
      return {
        person: { email: person.email, displayName: person.displayName },
        pending: this.s.pending.all({ me: person.id }).map((row) => ({
          attestationId: row.attestation_id,
          itemId: row.item_id,
          kind: row.kind,
          ref: row.ref,
          name: row.name,
          facts: JSON.parse(row.facts) as AttestedFacts,
          openedAt: row.opened_at,
          dueAt: row.due_at,
          asBackup: row.as_backup === 1,
        })),
        decisions: this.s.decisions.all({ me: person.id }).map((row) => ({
          requestId: row.id,
          kind: row.kind,
          itemKind: row.item_kind,
          ref: row.ref,
          requestedBy: row.by,
          requestedAt: row.at,
          as: row.proposed === 1 ? ('proposed_owner' as const) : ('approver' as const),
        })),
        owned: this.s.owned.all(person.id).map(toSummary),
        backing: this.s.backing.all(person.id).map(toSummary),
      };
    })();
  }
}
