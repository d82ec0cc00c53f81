import type Database from 'better-sqlite3';
import type { ApiData, CheckedEntry, FindingData, IdentityData, LinkClaim, PersonData, SuggestionData, TeamData, ValidEntry } from '../src/inventory/import-entry.js';
import { backupIsAccountable, backupIsAccountableWarning, mergeOwnerClaim, sameOwner, type OwnerRoles } from '../src/inventory/merge-owner-claim.js';
import { formatLocation, type Problem, type SourceLocation } from '../src/inventory/source-location.js';
import type { DirectoryCounts, ImportReport, ImportRequest, ImportSnapshot, ItemCounts, SourceReport } from '../src/ports/store.js';
import type { AuditLog } from './audit-log.js';
import type { OwnershipHistory } from './ownership-history.js';
import { SecondaryIndexes } from './secondary-indexes.js';

// The facts an import may change, in one order shared by the insert, the update and the comparison.
const factColumns = [
  'ref', 'name', 'purpose',
  'sensitivity', 'exposure', 'auth_method', 'revocation_path', 'lifecycle', 'system', 'code_path',
  'identity_kind', 'provider', 'scopes', 'created_at', 'expires_at', 'last_rotated_at', 'last_used_at', 'last_used_service',
  'recovery_procedure', 'status',
] as const;
type FactColumn = (typeof factColumns)[number];
type FactValues = Array<string | null>;

interface ItemRow extends Record<FactColumn, string | null> {
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
}

interface TeamRow {
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

interface PersonRow {
  id: number;
  email: string;
  display_name: string | null;
  active: number;
  source: string | null;
  last_import_id: number | null;
  vanished_at: string | null;
}

const maxProblemsReported = 500;

/** New items after which an import switches to bulk loading (see SecondaryIndexes). */
export const defaultBulkLoadAfter = 20_000;

class RollBack extends Error {}

/**
 * A copy of `text` that shares no memory with the string it was cut from. Parsers hand out slices of their
 * input chunks, and V8 keeps a whole chunk alive for as long as any slice of it lives: a cache key cut from
 * each chunk of a large file would keep the whole file in memory.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

function apiFacts(data: ApiData): FactValues {
  return [
    data.ref, data.name, data.purpose ?? null,
    data.sensitivity ?? null, data.exposure ?? null, data.authMethod ?? null, data.revocationPath ?? null,
    data.lifecycle ?? null, data.system ?? null, data.codePath ?? null,
    null, null, '[]', null, null, null, null, null, null, null,
  ];
}

function identityFacts(data: IdentityData): FactValues {
  return [
    data.ref, data.name, data.purpose ?? null,
    null, null, null, null, null, null, null,
    data.identityKind, data.provider, JSON.stringify(data.scopes), data.createdAt ?? null, data.expiresAt ?? null,
    data.lastRotatedAt ?? null, data.lastUsedAt ?? null, data.lastUsedService ?? null, data.recoveryProcedure ?? null, data.status,
  ];
}

function ownerOf(row: ItemRow): OwnerRoles<number> {
  return { team: row.owner_team_id, accountable: row.accountable_person_id, backup: row.backup_person_id, approver: row.approver_person_id };
}

function linkKey(link: { relation: string; to_kind: string; to_ref: string }): string {
  return `${link.relation}\u0000${link.to_kind}\u0000${link.to_ref.toLowerCase()}`;
}

function emptyItemCounts(): ItemCounts {
  return { created: 0, updated: 0, unchanged: 0, vanished: 0, reappeared: 0 };
}

function emptyDirectoryCounts(): DirectoryCounts {
  return { created: 0, updated: 0, unchanged: 0 };
}

/** The entries refused across a whole import: any refusal means nothing is written. */
class Refusals {
  invalid = 0;
  problemCount = 0;
  readonly problems: Problem[] = [];

  add(problems: readonly Problem[]): void {
    this.invalid += 1;
    this.problemCount += problems.length;
    for (const problem of problems) if (this.problems.length < maxProblemsReported) this.problems.push(problem);
  }
}

/** The mutable tally of one source's snapshot, turned into its SourceReport at the end. */
class Tally {
  readonly apis = emptyItemCounts();
  readonly identities = emptyItemCounts();
  readonly teams = emptyDirectoryCounts();
  readonly people = emptyDirectoryCounts();
  ownershipChanges = 0;
  suggestions = 0;
  readonly findings: Array<FindingData & { at: SourceLocation }> = [];
  readonly notes: string[] = [];

  constructor(private readonly snapshot: ImportSnapshot, private readonly refusals: Refusals) {}

  refuse(problems: readonly Problem[]): void {
    this.refusals.add(problems);
  }

  report(): SourceReport {
    const { source, format } = this.snapshot;
    const { apis, identities, teams, people, ownershipChanges, suggestions, findings, notes } = this;
    return { source, format, apis, identities, teams, people, ownershipChanges, suggestions, findings, notes };
  }
}

/** What an ImportRun needs to know of the import it belongs to. */
interface RunContext {
  readonly source: string;
  readonly format: string;
  readonly at: string;
  readonly actor: string;
}

/**
 * Applies one import in one SQLite transaction: upserts by (source, source key), keeps ownership history,
 * flags what vanished from each source, and writes the audit events beside the changes. The entries are
 * pulled lazily inside the transaction, so a large file streams through with bounded memory.
 */
export class ImportWriter {
  private readonly s: Statements;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly history: OwnershipHistory,
    private readonly bulkLoadAfter = defaultBulkLoadAfter,
  ) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS import_memberships (team_id INTEGER, person_id INTEGER, PRIMARY KEY (team_id, person_id)) WITHOUT ROWID');
    this.s = prepareStatements(db);
  }

  run(request: ImportRequest): ImportReport {
    const refusals = new Refusals();
    const tallies = request.snapshots.map((snapshot) => new Tally(snapshot, refusals));
    const report = (applied: boolean): ImportReport => ({
      dryRun: request.dryRun,
      applied,
      sources: tallies.map((t) => t.report()),
      invalid: refusals.invalid,
      problems: refusals.problems,
      problemCount: refusals.problemCount,
    });
    const indexes = new SecondaryIndexes(this.db, ['items', 'item_links']);
    try {
      this.db.transaction(() => {
        let firstImportId: number | undefined;
        request.snapshots.forEach((snapshot, i) => {
          firstImportId = this.apply(request, snapshot, tallies[i] as Tally, firstImportId, indexes);
        });
        // A rollback brings dropped indexes back by itself; only a commit needs them rebuilt.
        if (request.dryRun || refusals.invalid > 0) throw new RollBack();
        indexes.restore();
      }).immediate();
      return report(true);
    } catch (error) {
      if (error instanceof RollBack) return report(false);
      throw error;
    }
  }

  /** Applies one snapshot; returns the id of the request's first import, for telling this request's rows apart. */
  private apply(request: ImportRequest, snapshot: ImportSnapshot, tally: Tally, firstImportId: number | undefined, indexes: SecondaryIndexes): number {
    const context: RunContext = { source: snapshot.source, format: snapshot.format, at: request.at, actor: request.actor };
    const importId = Number(this.s.insertImport.run(context.source, context.format, context.actor, context.at).lastInsertRowid);
    // Import ids only grow, and this request's are allocated together inside one transaction.
    const first = firstImportId ?? importId;
    const run = new ImportRun(this.s, this.audit, this.history, context, importId, tally, (id) => id >= first, () => {
      if (!indexes.suspended && tally.apis.created + tally.identities.created >= this.bulkLoadAfter) indexes.suspend();
    });
    this.s.forgetStatedMemberships.run();
    for (const entry of snapshot.entries) run.accept(entry);
    run.finish();
    this.audit.append({
      at: context.at,
      actor: context.actor,
      action: 'import.applied',
      subject: context.source,
      details: { format: context.format, importId, apis: tally.apis, identities: tally.identities, teams: tally.teams, people: tally.people, ownershipChanges: tally.ownershipChanges },
    });
    this.s.saveReport.run(JSON.stringify(tally.report()), importId);
    return first;
  }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  const factList = factColumns.join(', ');
  const factParams = factColumns.map(() => '?').join(', ');
  const factSets = factColumns.map((c) => `${c} = ?`).join(', ');
  return {
      insertImport: db.prepare<[string, string, string, string]>('INSERT INTO imports (source, format, actor, at) VALUES (?, ?, ?, ?)'),
      saveReport: db.prepare<[string, number]>('UPDATE imports SET report = ? WHERE id = ?'),
      itemBySourceKey: db.prepare<[string, string], ItemRow>('SELECT * FROM items WHERE source = ? AND source_key = ?'),
      itemByRef: db.prepare<[string, string], ItemRow>('SELECT * FROM items WHERE kind = ? AND ref = ?'),
      // A new item is one statement; only a conflict (same source key, or same ref) sends us to look at what is there.
      insertItem: db.prepare(
        `INSERT INTO items (kind, ${factList}, owner_team_id, accountable_person_id, backup_person_id, approver_person_id, owned_since,
           source, source_key, last_import_id, first_seen_at, last_seen_at, next_check_at)
         VALUES (?, ${factParams}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      updateFacts: db.prepare(
        `UPDATE items SET ${factSets}, source = ?, source_key = ?, last_import_id = ?, last_seen_at = ?, vanished_at = NULL, next_check_at = last_seen_at WHERE id = ?`,
      ),
      // An item that reappears needs the tick's attention again; an unchanged one does not.
      touchItem: db.prepare<[number, string, number]>(
        `UPDATE items SET last_import_id = ?, last_seen_at = ?,
           next_check_at = CASE WHEN vanished_at IS NULL THEN next_check_at ELSE last_seen_at END, vanished_at = NULL WHERE id = ?`,
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
      unseenItems: db.prepare<[string, number], { id: number; kind: 'api' | 'identity'; ref: string }>(
        'SELECT id, kind, ref FROM items WHERE source = ? AND last_import_id <> ? AND vanished_at IS NULL',
      ),
      markItemVanished: db.prepare<[{ at: string; id: number }]>('UPDATE items SET vanished_at = @at, next_check_at = @at WHERE id = @id'),
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

/** The state of one import while it runs: caches of teams and people by key, and the tally. */
class ImportRun {
  private readonly teamIds = new Map<string, number>();
  private readonly personIds = new Map<string, number>();
  /** Teams and people this run created, so a later entry that declares them is not counted twice. */
  private readonly createdHere = { teams: new Set<number>(), people: new Set<number>() };

  constructor(
    private readonly s: Statements,
    private readonly audit: AuditLog,
    private readonly history: OwnershipHistory,
    private readonly request: RunContext,
    private readonly importId: number,
    private readonly tally: Tally,
    /** True for an import id of this same request (any of its snapshots). */
    private readonly seenThisImport: (importId: number) => boolean,
    /** Called after each new item, so a large import can switch to bulk loading. */
    private readonly afterCreate: () => void,
  ) {}

  accept(entry: CheckedEntry): void {
    switch (entry.type) {
      case 'invalid':
        this.tally.refuse(entry.problems);
        return;
      case 'team':
        this.upsertTeam(entry.data, entry);
        return;
      case 'person':
        this.upsertPerson(entry.data);
        return;
      case 'api':
        this.upsertItem('api', entry, apiFacts(entry.data), entry.data);
        return;
      case 'identity':
        this.upsertItem('identity', entry, identityFacts(entry.data), entry.data);
        return;
      case 'suggestion':
        this.addSuggestion(entry.data);
        return;
      case 'finding':
        this.addFinding(entry.data, entry.at);
        return;
    }
  }

  finish(): void {
    const { at, source } = this.request;
    const actor = this.request.actor;
    for (const item of this.s.unseenItems.all(source, this.importId)) {
      this.s.markItemVanished.run({ at, id: item.id });
      this.tally[item.kind === 'api' ? 'apis' : 'identities'].vanished += 1;
      this.audit.append({ at, actor, action: 'item.vanished', itemId: item.id, subject: item.ref, details: { source } });
    }
    for (const team of this.s.unseenTeams.all(source, this.importId)) {
      this.s.markTeamVanished.run(at, team.id);
      this.audit.append({ at, actor, action: 'team.vanished', subject: team.slug, details: { source } });
    }
    for (const person of this.s.unseenPeople.all(source, this.importId)) {
      this.s.markPersonVanished.run(at, person.id);
      this.audit.append({ at, actor, action: 'person.vanished', subject: person.email, details: { source } });
    }
    this.s.dropUnstatedMemberships.run(source);
    this.s.dropStaleSuggestions.run(source, this.importId);
    this.s.resolveStaleFindings.run(at, source, this.importId);
  }

  private teamId(slug: string): number {
    const cached = this.teamIds.get(slug);
    if (cached !== undefined) return cached;
    const existing = this.s.teamBySlug.get(slug);
    let id: number;
    if (existing) id = existing.id;
    else {
      id = Number(this.s.insertTeam.run(slug, slug, this.request.at, this.request.at).lastInsertRowid);
      this.createdHere.teams.add(id);
      this.tally.teams.created += 1;
    }
    this.teamIds.set(detached(slug), id);
    return id;
  }

  private personId(email: string): number {
    const cached = this.personIds.get(email);
    if (cached !== undefined) return cached;
    const existing = this.s.personByEmail.get(email);
    let id: number;
    if (existing) id = existing.id;
    else {
      id = Number(this.s.insertPerson.run(email, this.request.at, this.request.at).lastInsertRowid);
      this.createdHere.people.add(id);
      this.tally.people.created += 1;
    }
    this.personIds.set(detached(email), id);
    return id;
  }

  private optionalPerson(email: string | undefined): number | undefined {
    return email === undefined ? undefined : this.personId(email);
  }

  private addMembership(teamId: number, personId: number): void {
    this.s.upsertMember.run(teamId, personId, this.request.source);
    this.s.stateMembership.run(teamId, personId);
  }

  private upsertTeam(data: TeamData, entry: { at: SourceLocation }): void {
    const { at, source, actor } = this.request;
    const before = this.s.teamBySlug.get(data.slug);
    const id = this.teamId(data.slug);
    const parentId = data.parent === undefined ? null : this.teamId(data.parent);
    if (parentId === id) {
      this.tally.refuse([{ at: entry.at, field: 'parent', message: `team ${data.slug} cannot be its own parent` }]);
      return;
    }
    const leadId = this.optionalPerson(data.lead) ?? null;
    const name = data.name ?? data.slug;
    const channel = data.channel ?? null;
    this.s.updateTeam.run(name, parentId, leadId, channel, source, this.importId, at, id);
    for (const member of data.members) this.addMembership(id, this.personId(member));
    if (before === undefined || this.createdHere.teams.has(id)) return; // counted as created by teamId()
    const changed = before.name !== name || before.parent_id !== parentId || before.lead_person_id !== leadId || before.channel !== channel;
    if (changed) {
      this.tally.teams.updated += 1;
      this.audit.append({ at, actor, action: 'team.updated', subject: data.slug, details: { source, name, channel } });
    } else if (before.last_import_id !== this.importId) this.tally.teams.unchanged += 1;
  }

  private upsertPerson(data: PersonData): void {
    const { at, source, actor } = this.request;
    const before = this.s.personByEmail.get(data.email);
    const id = this.personId(data.email);
    const displayName = data.displayName ?? before?.display_name ?? null;
    const active = data.active === undefined ? (before?.active ?? 1) : data.active ? 1 : 0;
    this.s.updatePerson.run({ name: displayName, active, source, importId: this.importId, at, id });
    for (const team of data.teams) this.addMembership(this.teamId(team), id);
    if (before === undefined || this.createdHere.people.has(id)) return; // counted as created by personId()
    if (before.active === 1 && active === 0)
      this.audit.append({ at, actor, action: 'person.deactivated', subject: data.email, details: { source } });
    if (before.display_name !== displayName || before.active !== active) this.tally.people.updated += 1;
    else if (before.last_import_id !== this.importId) this.tally.people.unchanged += 1;
  }

  private upsertItem(kind: 'api' | 'identity', entry: ValidEntry, facts: FactValues, data: ApiData | IdentityData): void {
    const { at, source, actor } = this.request;
    const counts = kind === 'api' ? this.tally.apis : this.tally.identities;
    const claim = data.owner;
    const claimed = {
      team: claim?.team === undefined ? undefined : this.teamId(claim.team),
      accountable: this.optionalPerson(claim?.accountable),
      backup: this.optionalPerson(claim?.backup),
      approver: this.optionalPerson(claim?.approver),
    };

    const owner = mergeOwnerClaim<number>({ team: null, accountable: null, backup: null, approver: null }, claimed);
    const hasOwner = owner.team !== null || owner.accountable !== null;
    const inserted = this.s.insertItem.run(kind, ...facts, owner.team, owner.accountable, owner.backup, owner.approver, hasOwner ? at : null, source, entry.sourceKey, this.importId, at, at, at);
    if (inserted.changes === 1) {
      const id = Number(inserted.lastInsertRowid);
      for (const link of data.links) this.s.insertLink.run(id, link.relation, link.kind, link.ref);
      counts.created += 1;
      this.afterCreate();
      this.warnIfBackupIsAccountable(kind, data.ref, entry.at, owner);
      return;
    }

    let existing = this.s.itemBySourceKey.get(source, entry.sourceKey);
    if (existing && existing.kind !== kind) {
      this.tally.refuse([{ at: entry.at, field: null, message: `${entry.sourceKey} is a${existing.kind === 'api' ? 'n API' : 'n identity'} in this source already` }]);
      return;
    }
    if (existing !== undefined && this.seenThisImport(existing.last_import_id)) {
      this.tally.refuse([{ at: entry.at, field: null, message: `${data.ref} appears more than once in this import` }]);
      return;
    }
    const sameRef = this.s.itemByRef.get(kind, data.ref);
    if (sameRef && sameRef.id !== existing?.id) {
      // A ref belongs to one source at a time. Another source may take an item over only once it has vanished
      // from its own (a team moving from a spreadsheet to Backstage); while both state it, the import is
      // refused, or the item would change hands on every import. An old key of this same source is a rename.
      const refusal = this.seenThisImport(sameRef.last_import_id)
        ? `${kind} ${data.ref} appears more than once in this import${sameRef.source === source ? '' : ` (also from source ${sameRef.source})`}`
        : existing
          ? `${kind} ${data.ref} is already in the inventory from source ${sameRef.source}`
          : sameRef.source !== source && sameRef.vanished_at === null
            ? `${kind} ${data.ref} belongs to source ${sameRef.source}; remove it there first (it is taken over once it has vanished from that source), or import under that source's name`
            : null;
      if (refusal !== null) {
        this.tally.refuse([{ at: entry.at, field: 'ref', message: refusal }]);
        return;
      }
      existing = sameRef;
      if (sameRef.source !== source) {
        this.tally.notes.push(`${kind} ${data.ref}: taken over from source ${sameRef.source}, where it had vanished`);
        this.audit.append({ at, actor, action: 'item.source_changed', itemId: sameRef.id, subject: data.ref, details: { from: sameRef.source, to: source } });
      }
    }
    // The insert conflicted, so one of the two lookups found the row it conflicted with.
    if (!existing) throw new Error(`import: ${kind} ${data.ref} neither inserted nor found`);

    const diff = this.diffFacts(existing, facts);
    const moved = existing.source !== source || existing.source_key !== entry.sourceKey;
    if (Object.keys(diff).length > 0 || moved) this.s.updateFacts.run(...facts, source, entry.sourceKey, this.importId, at, existing.id);
    else this.s.touchItem.run(this.importId, at, existing.id);
    if (Object.keys(diff).length > 0)
      this.audit.append({ at, actor, action: 'item.updated', itemId: existing.id, subject: data.ref, details: { source, changes: diff } });
    if (existing.vanished_at !== null) {
      counts.reappeared += 1;
      this.audit.append({ at, actor, action: 'item.reappeared', itemId: existing.id, subject: data.ref, details: { source } });
    }
    const newOwner = this.applyOwner(existing, claimed, data.ref);
    const ownerChanged = newOwner !== null;
    this.warnIfBackupIsAccountable(kind, data.ref, entry.at, newOwner ?? ownerOf(existing));
    const linksChanged = this.replaceLinks(existing.id, data.links, data.ref);
    if (Object.keys(diff).length > 0 || moved || ownerChanged || linksChanged) counts.updated += 1;
    else counts.unchanged += 1;
  }

  private diffFacts(existing: ItemRow, facts: FactValues): Record<string, [string | null, string | null]> {
    const diff: Record<string, [string | null, string | null]> = {};
    factColumns.forEach((column, i) => {
      const next = facts[i] ?? null;
      const before = existing[column];
      // Refs compare without case, as the column does.
      const same = column === 'ref' ? before?.toLowerCase() === next?.toLowerCase() : before === next;
      if (!same) diff[column] = [before, next];
    });
    return diff;
  }

  /** Applies the claim to the stored owner; returns the new owner, or null when it did not change. */
  private applyOwner(existing: ItemRow, claimed: { [K in keyof OwnerRoles<number>]: number | undefined }, ref: string): OwnerRoles<number> | null {
    const current = ownerOf(existing);
    const merged = mergeOwnerClaim(current, claimed);
    // A source that still names someone who has left must not take the item back from whoever took it over
    // (the backup, by the leaver flow, or a claim): the leaver stays out until the source names someone new.
    const next =
      merged.accountable !== null && merged.accountable !== current.accountable && this.isActive(current.accountable) && !this.isActive(merged.accountable)
      ? { ...merged, accountable: current.accountable }
      : merged;
    if (sameOwner(current, next)) return null;
    const { at, actor, source } = this.request;
    this.history.closeCurrent(existing.id, at, `import:${source}`);
    this.s.updateOwner.run({ team: next.team, accountable: next.accountable, backup: next.backup, approver: next.approver, at, id: existing.id });
    this.tally.ownershipChanges += 1;
    this.audit.append({
      at,
      actor,
      action: 'item.owner_changed',
      itemId: existing.id,
      subject: ref,
      details: { source, from: this.describeOwner(current), to: this.describeOwner(next) },
    });
    return next;
  }

  /** The item's owner leaves its ladder a rung short: a warning finding, resolved once the source names another backup. */
  private warnIfBackupIsAccountable(kind: 'api' | 'identity', ref: string, at: SourceLocation, owner: OwnerRoles<number>): void {
    if (!backupIsAccountable(owner)) return;
    const email = owner.accountable === null ? null : (this.s.personById.get(owner.accountable)?.email ?? null);
    this.addFinding(backupIsAccountableWarning(kind, ref, email), at);
  }

  private isActive(personId: number | null): boolean {
    if (personId === null) return false;
    const person = this.s.personById.get(personId);
    return person !== undefined && person.active === 1 && person.vanished_at === null;
  }

  private describeOwner(owner: OwnerRoles<number>): Record<string, string | null> {
    const email = (id: number | null) => (id === null ? null : (this.s.personById.get(id)?.email ?? null));
    return {
      team: owner.team === null ? null : (this.s.teamById.get(owner.team)?.slug ?? null),
      accountable: email(owner.accountable),
      backup: email(owner.backup),
      approver: email(owner.approver),
    };
  }

  private replaceLinks(itemId: number, links: readonly LinkClaim[], ref: string): boolean {
    const before = this.s.linksOf.all(itemId);
    const next = links.map((l) => ({ relation: l.relation, to_kind: l.kind, to_ref: l.ref }));
    const beforeKeys = new Set(before.map(linkKey));
    const nextKeys = new Set(next.map(linkKey));
    if (beforeKeys.size === nextKeys.size && [...nextKeys].every((k) => beforeKeys.has(k))) return false;
    this.s.deleteLinks.run(itemId);
    for (const link of next) this.s.insertLink.run(itemId, link.relation, link.to_kind, link.to_ref);
    const { at, actor, source } = this.request;
    this.audit.append({
      at,
      actor,
      action: 'item.links_changed',
      itemId,
      subject: ref,
      details: { source, links: next.map((l) => `${l.relation} ${l.to_kind}:${l.to_ref}`) },
    });
    return true;
  }

  private addSuggestion(data: SuggestionData): void {
    this.s.upsertSuggestion.run(data.itemKind, data.itemRef, this.request.source, JSON.stringify(data.owners), data.team ?? null, data.reason, this.importId);
    this.tally.suggestions += 1;
  }

  private addFinding(data: FindingData, at: SourceLocation): void {
    const time = this.request.at;
    this.s.upsertFinding.run(this.request.source, data.code, data.subject, data.severity, data.message, formatLocation(at), this.importId, time, time);
    this.tally.findings.push({ ...data, at });
  }
}
