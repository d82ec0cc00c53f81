import type Database from 'better-sqlite3';
import type { OwnerRoles } from '../src/inventory/merge-owner-claim.js';
import type { ApprovedStateRow } from './import-approved-state.js';
import { factColumns, type FactColumn } from './item-facts.js';

export interface ItemRow extends Record<FactColumn, string | null> {
  id: number;
  kind: 'api' | 'identity';
  owner_team_id: number | null;
  accountable_person_id: number | null;
  backup_person_id: number | null;
  approver_person_id: number | null;
  owned_since: string | null;
  source: string;
  source_key: string;
  last_import_id: number;
  vanished_at: string | null;
  import_fingerprint: string | null;
}

export interface TeamRow {
  id: number;
  slug: string;
  name: string;
  parent_id: number | null;
  lead_person_id: number | null;
  channel: string | null;
  source: string | null;
  last_import_id: number | null;
  vanished_at: string | null;
}

export interface PersonRow {
  id: number;
  email: string;
  display_name: string | null;
  active: number;
  source: string | null;
  last_import_id: number | null;
  vanished_at: string | null;
}

/**
 * What an item's `import_fingerprint` holds: the fingerprint of the entry the import wrote it from, and the owner that
 * import left (team, accountable, backup, approver ids), so that an owner changed since (a claim, a leaver's
 * handover) no longer matches. Null when that import's owner was not what the entry alone would make of it.
 */
export function storedFingerprint(fingerprint: string | null, owner: OwnerRoles<number>): string | null {
  return fingerprint === null ? null : `${fingerprint}:${owner.team ?? ''}:${owner.accountable ?? ''}:${owner.backup ?? ''}:${owner.approver ?? ''}`;
}

/** The same, computed in SQL from an item row's owner columns. */
function storedFingerprintSql(fingerprint: string): string {
  const part = (column: string) => `':' || ifnull(${column}, '')`;
  return [fingerprint, part('owner_team_id'), part('accountable_person_id'), part('backup_person_id'), part('approver_person_id')].join(' || ');
}

/**
 * The statement that rewrites an item's facts: only the columns given (those whose values differ), so the indexes
 * on the others are left alone, then where it came from. One statement per set of columns, prepared when first used.
 */
function factUpdates(db: Database.Database): (columns: readonly FactColumn[]) => Database.Statement<Array<string | number | null>> {
  const prepared = new Map<string, Database.Statement<Array<string | number | null>>>();
  return (columns) => {
    const key = columns.join(',');
    const known = prepared.get(key);
    if (known !== undefined) return known;
    // A listed item's last sight before this import was the source's import before this one (rows are not rewritten
    // when unchanged); a vanished one's is on its row.
    const statement = db.prepare<Array<string | number | null>>(
      `UPDATE items SET ${columns.map((c) => `${c} = ?, `).join('')}source = ?, source_key = ?, last_import_id = ?, last_seen_at = ?, vanished_at = NULL,
         next_check_at = CASE WHEN vanished_at IS NULL THEN coalesce(?, last_seen_at) ELSE last_seen_at END, import_fingerprint = ? WHERE id = ?`,
    );
    if (prepared.size >= 256) prepared.clear();
    prepared.set(key, statement);
    return statement;
  };
}

export type ImportStatements = ReturnType<typeof prepareImportStatements>;

/** The statements of an import, prepared once per store. */
export function prepareImportStatements(db: Database.Database) {
  const factList = factColumns.join(', ');
  const factParams = factColumns.map(() => '?').join(', ');
  return {
    insertImport: db.prepare<[string, string, string, string]>('INSERT INTO imports (source, format, actor, at) VALUES (?, ?, ?, ?)'),
    saveReport: db.prepare<[string, number]>('UPDATE imports SET report = ? WHERE id = ?'),
    latestImportAt: db.prepare<[string], string>('SELECT at FROM imports WHERE source = ? ORDER BY id DESC LIMIT 1').pluck(),
    itemBySourceKey: db.prepare<[string, string], ItemRow>('SELECT * FROM items WHERE source = ? AND source_key = ?'),
    itemByRef: db.prepare<[string, string], ItemRow>('SELECT * FROM items WHERE kind = ? AND ref = ?'),
    // A new item is one statement; only a conflict (same source key, or same ref) sends us to look at what is there.
    insertItem: db.prepare(
      `INSERT INTO items (kind, ${factList}, owner_team_id, accountable_person_id, backup_person_id, approver_person_id, owned_since,
         source, source_key, last_import_id, first_seen_at, last_seen_at, next_check_at, import_fingerprint)
       VALUES (?, ${factParams}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    // The item an entry brought again as it was would leave as it is (same ref, same owner, still listed, no warning
    // to renew): its id, or none when anything differs.
    unchangedItem: db.prepare<[string, string, string, string | null, string], number>(
      `SELECT id FROM items
       WHERE source = ? AND source_key = ? AND kind = ? AND ref = ? COLLATE BINARY AND vanished_at IS NULL
         AND import_fingerprint = ${storedFingerprintSql('?')}
         AND (backup_person_id IS NULL OR backup_person_id IS NOT accountable_person_id)`,
    ).pluck(),
    updateFacts: factUpdates(db),
    // An item that reappears needs the tick's attention again; an unchanged one does not.
    touchItem: db.prepare<[number, string, string | null, number]>(
      `UPDATE items SET last_import_id = ?, last_seen_at = ?,
         next_check_at = CASE WHEN vanished_at IS NULL THEN next_check_at ELSE last_seen_at END, vanished_at = NULL, import_fingerprint = ? WHERE id = ?`,
    ),
    updateOwner: db.prepare<[{ team: number | null; accountable: number | null; backup: number | null; approver: number | null; at: string; id: number }]>(
      // A new owner is asked at once (the tick supersedes an attestation still open with the old one).
      `UPDATE items SET owner_team_id = @team, accountable_person_id = @accountable, backup_person_id = @backup, approver_person_id = @approver,
         owned_since = @at, next_check_at = @at,
         -- Only a new accountable person is asked at once; a new backup or approver is not a reason to ask again.
         next_attestation_at = CASE WHEN accountable_person_id IS NOT @accountable THEN @at ELSE next_attestation_at END
       WHERE id = @id`,
    ),
    linksOf: db.prepare<[number], { relation: string; to_kind: string; to_ref: string }>('SELECT relation, to_kind, to_ref FROM item_links WHERE item_id = ?'),
    deleteLinks: db.prepare<[number]>('DELETE FROM item_links WHERE item_id = ?'),
    insertLink: db.prepare<[number, string, string, string]>('INSERT OR IGNORE INTO item_links (item_id, relation, to_kind, to_ref) VALUES (?, ?, ?, ?)'),
    // A source's items, by id alone: read from the (source, source key) index, not the table.
    itemIdsOf: db.prepare<[string], number>('SELECT id FROM items WHERE source = ?').pluck(),
    listedItem: db.prepare<[number], { id: number; kind: 'api' | 'identity'; ref: string }>('SELECT id, kind, ref FROM items WHERE id = ? AND vanished_at IS NULL'),
    // Its last sight is the source's import before this one, which listed it (unchanged rows are not rewritten).
    markItemVanished: db.prepare<[{ at: string; lastSeenAt: string | null; id: number }]>(
      'UPDATE items SET vanished_at = @at, next_check_at = @at, last_seen_at = coalesce(@lastSeenAt, last_seen_at) WHERE id = @id',
    ),
    // The items an approved change is to be kept on (few): only these leave the unchanged path, to be compared.
    approvedItemIds: db.prepare<[], number>('SELECT DISTINCT item_id FROM approved_state').pluck(),
    approvedStateOf: db.prepare<[number], ApprovedStateRow>('SELECT field, value, request_id FROM approved_state WHERE item_id = ? ORDER BY field'),
    clearApprovedState: db.prepare<[number, string]>('DELETE FROM approved_state WHERE item_id = ? AND field = ?'),
    teamBySlug: db.prepare<[string], TeamRow>('SELECT * FROM teams WHERE slug = ?'),
    teamById: db.prepare<[number], TeamRow>('SELECT * FROM teams WHERE id = ?'),
    insertTeam: db.prepare<[string, string, string, string]>('INSERT INTO teams (slug, name, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)'),
    updateTeam: db.prepare<[string, number | null, number | null, string | null, string, number, string, number]>(
      'UPDATE teams SET name = ?, parent_id = ?, lead_person_id = ?, channel = ?, source = ?, last_import_id = ?, last_seen_at = ?, vanished_at = NULL WHERE id = ?',
    ),
    unseenTeams: db.prepare<[string, number], { id: number; slug: string }>(
      'SELECT id, slug FROM teams WHERE source = ? AND last_import_id <> ? AND vanished_at IS NULL',
    ),
    markTeamVanished: db.prepare<[string, number]>('UPDATE teams SET vanished_at = ? WHERE id = ?'),
    personByEmail: db.prepare<[string], PersonRow>('SELECT * FROM people WHERE email = ?'),
    personById: db.prepare<[number], PersonRow>('SELECT * FROM people WHERE id = ?'),
    insertPerson: db.prepare<[string, string, string]>('INSERT INTO people (email, first_seen_at, last_seen_at) VALUES (?, ?, ?)'),
    updatePerson: db.prepare<[{ name: string | null; active: number; source: string; importId: number; at: string; id: number }]>(
      // A person who is active and listed again may leave again later: their leaver flow starts over.
      `UPDATE people SET display_name = @name, active = @active, source = @source, last_import_id = @importId, last_seen_at = @at, vanished_at = NULL,
         left_handled_at = CASE WHEN @active = 1 THEN NULL ELSE left_handled_at END WHERE id = @id`,
    ),
    unseenPeople: db.prepare<[string, number], { id: number; email: string }>(
      'SELECT id, email FROM people WHERE source = ? AND last_import_id <> ? AND vanished_at IS NULL',
    ),
    markPersonVanished: db.prepare<[string, number]>('UPDATE people SET vanished_at = ? WHERE id = ?'),
    upsertMember: db.prepare<[number, number, string]>(
      `INSERT INTO team_members (team_id, person_id, source) VALUES (?, ?, ?)
       ON CONFLICT (team_id, person_id) DO UPDATE SET source = excluded.source`,
    ),
    // The memberships this import states; those the source stated before but not now are removed at the end.
    stateMembership: db.prepare<[number, number]>('INSERT OR IGNORE INTO temp.import_memberships (team_id, person_id) VALUES (?, ?)'),
    forgetStatedMemberships: db.prepare('DELETE FROM temp.import_memberships'),
    dropUnstatedMemberships: db.prepare<[string]>(
      `DELETE FROM team_members WHERE source = ? AND NOT EXISTS (
         SELECT 1 FROM temp.import_memberships m WHERE m.team_id = team_members.team_id AND m.person_id = team_members.person_id)`,
    ),
    upsertSuggestion: db.prepare<[string, string, string, string, string | null, string, number]>(
      `INSERT INTO owner_suggestions (item_kind, item_ref, source, owners, team_slug, reason, import_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_kind, item_ref, source) DO UPDATE SET owners = excluded.owners, team_slug = excluded.team_slug,
         reason = excluded.reason, import_id = excluded.import_id`,
    ),
    dropStaleSuggestions: db.prepare<[string, number]>('DELETE FROM owner_suggestions WHERE source = ? AND import_id <> ?'),
    upsertFinding: db.prepare<[string, string, string, string, string, string, number, string, string]>(
      `INSERT INTO findings (source, code, subject, severity, message, location, import_id, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source, code, subject) DO UPDATE SET severity = excluded.severity, message = excluded.message,
         location = excluded.location, import_id = excluded.import_id, last_seen_at = excluded.last_seen_at, resolved_at = NULL`,
    ),
    resolveStaleFindings: db.prepare<[string, string, number]>(
      'UPDATE findings SET resolved_at = ? WHERE source = ? AND import_id <> ? AND resolved_at IS NULL',
    ),
  };
}
