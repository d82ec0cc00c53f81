import type { SqliteStore } from '../../../storage/sqlite-store.js';

/** An approved change, as a test names it (refs, slugs and emails, not ids). */
export type ApprovedChange =
  | { readonly field: 'scopes'; readonly scopes: readonly string[] }
  | { readonly field: 'owner'; readonly team: string; readonly accountable: string }
  | { readonly field: 'retired' };

const requestKinds = { scopes: 'scope_change', owner: 'ownership_transfer', retired: 'decommission' } as const;

function idOf(store: SqliteStore, sql: string, key: string): number {
  const id = store.db.prepare<[string], number>(sql).pluck().get(key);
  if (id === undefined) throw new Error(`approved-state: nothing found for ${key}`);
  return id;
}

/**
 * An approved change applied behind the store's back, as the approvals core applies one in its transaction: the
 * approved request, the item changed, and the `approved_state` row the next import must respect. Returns the request id.
 */
export function approveChange(store: SqliteStore, ref: string, change: ApprovedChange, options: { by: string; at: string }): number {
  const item = store.db.prepare<[string], { id: number; kind: 'api' | 'identity' }>('SELECT id, kind FROM items WHERE ref = ?').get(ref);
  if (item === undefined) throw new Error(`approved-state: no item ${ref}`);
  const { id: itemId, kind } = item;
  const requestedBy = idOf(store, 'SELECT id FROM people WHERE email = ?', options.by);
  const { db } = store;
  return db.transaction(() => {
    const requestId = Number(
      db
        .prepare<[string, number, number, string, string, string]>(
          `INSERT INTO approval_requests (kind, item_id, requested_by, requested_at, payload, status, policy_version, decided_at)
           VALUES (?, ?, ?, ?, ?, 'approved', 'test', ?)`,
        )
        .run(requestKinds[change.field], itemId, requestedBy, options.at, JSON.stringify(change), options.at).lastInsertRowid,
    );
    let value: unknown;
    switch (change.field) {
      case 'scopes':
        value = change.scopes;
        db.prepare<[string, number]>('UPDATE items SET scopes = ? WHERE id = ?').run(JSON.stringify(change.scopes), itemId);
        break;
      case 'owner': {
        const team = idOf(store, 'SELECT id FROM teams WHERE slug = ?', change.team);
        const accountable = idOf(store, 'SELECT id FROM people WHERE email = ?', change.accountable);
        value = { team, accountable };
        db.prepare<[number, number, string, number]>(
          'UPDATE items SET owner_team_id = ?, accountable_person_id = ?, backup_person_id = NULL, approver_person_id = NULL, owned_since = ? WHERE id = ?',
        ).run(team, accountable, options.at, itemId);
        break;
      }
      case 'retired':
        value = kind === 'api' ? { lifecycle: 'decommissioned' } : { status: 'decommissioned' };
        db.prepare<[number]>(
          `UPDATE items SET lifecycle = CASE WHEN kind = 'api' THEN 'decommissioned' ELSE lifecycle END,
             status = CASE WHEN kind = 'identity' THEN 'decommissioned' ELSE status END WHERE id = ?`,
        ).run(itemId);
        break;
    }
    db.prepare<[number, string, string, number, string]>('INSERT INTO approved_state (item_id, field, value, request_id, approved_at) VALUES (?, ?, ?, ?, ?)').run(
      itemId,
      change.field,
      JSON.stringify(value),
      requestId,
      options.at,
    );
    return requestId;
  })();
}

/** The fields of an item that have approved state, with the request that set each. */
export function approvedStateOf(store: SqliteStore, ref: string): Array<{ field: string; requestId: number }> {
  return store.db
    .prepare<[string], { field: string; request_id: number }>(
      'SELECT s.field, s.request_id FROM approved_state s JOIN items i ON i.id = s.item_id WHERE i.ref = ? ORDER BY s.field',
    )
    .all(ref)
    .map((r) => ({ field: r.field, requestId: r.request_id }));
}

/** How many closed ownership periods an item has: one more each time an owner change was recorded. */
export function ownershipPeriodsOf(store: SqliteStore, ref: string): number {
  return store.db.prepare<[string], number>('SELECT count(*) FROM ownership_periods p JOIN items i ON i.id = p.item_id WHERE i.ref = ?').pluck().get(ref) ?? 0;
}

/** The facts an approval changes: scopes, lifecycle and status. */
export function itemFactsOf(store: SqliteStore, ref: string): { scopes: string[]; lifecycle: string | null; status: string | null } {
  const row = store.db.prepare<[string], { scopes: string; lifecycle: string | null; status: string | null }>('SELECT scopes, lifecycle, status FROM items WHERE ref = ?').get(ref);
  if (!row) throw new Error(`no item ${ref}`);
  return { scopes: JSON.parse(row.scopes) as string[], lifecycle: row.lifecycle, status: row.status };
}
