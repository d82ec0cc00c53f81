import type Database from 'better-sqlite3';
import type { ImportReport, ImportRequest, ImportSnapshot } from '../src/ports/store.js';
import type { AuditLog } from './audit-log.js';
import type { RunContext } from './import-directory.js';
import { ImportRun } from './import-run.js';
import { prepareImportStatements, type ImportStatements } from './import-statements.js';
import { Refusals, Tally } from './import-tally.js';
import type { OwnershipHistory } from './ownership-history.js';
import { SecondaryIndexes } from './secondary-indexes.js';
import { SearchIndexTriggers } from './search-index.js';
import { SeenItems } from './seen-items.js';

/** New items after which an import switches to bulk loading (see SecondaryIndexes). */
export const defaultBulkLoadAfter = 20_000;

class RollBack extends Error {}

/**
 * Applies one import in one SQLite transaction: upserts by (source, source key), keeps ownership history,
 * flags what vanished from each source, and writes the audit events beside the changes. The entries are
 * pulled lazily inside the transaction, so a large file streams through with bounded memory.
 */
export class ImportWriter {
  private readonly s: ImportStatements;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly history: OwnershipHistory,
    private readonly bulkLoadAfter = defaultBulkLoadAfter,
  ) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS import_memberships (team_id INTEGER, person_id INTEGER, PRIMARY KEY (team_id, person_id)) WITHOUT ROWID');
    this.s = prepareImportStatements(db);
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
    // The trigram index of refs and names (items_search) is rebuilt once after a bulk load, not kept row by row.
    const search = new SearchIndexTriggers(this.db);
    try {
      this.db.transaction(() => {
        const seen = new SeenItems();
        // Read once: few items have approved state, and the rest keep the unchanged path's single lookup.
        const approvedItems = new Set(this.s.approvedItemIds.all());
        request.snapshots.forEach((snapshot, i) => this.apply(request, snapshot, tallies[i] as Tally, seen, approvedItems, indexes, search));
        // A rollback brings dropped indexes back by itself; only a commit needs them rebuilt.
        if (request.dryRun || refusals.invalid > 0) throw new RollBack();
        indexes.restore();
        search.restore();
      }).immediate();
      return report(true);
    } catch (error) {
      if (error instanceof RollBack) return report(false);
      throw error;
    }
  }

  private apply(
    request: ImportRequest,
    snapshot: ImportSnapshot,
    tally: Tally,
    seen: SeenItems,
    approvedItems: ReadonlySet<number>,
    indexes: SecondaryIndexes,
    search: SearchIndexTriggers,
  ): void {
    const context: RunContext = { source: snapshot.source, format: snapshot.format, at: request.at, actor: request.actor };
    const previousImportAt = this.s.latestImportAt.get(context.source) ?? null;
    const importId = Number(this.s.insertImport.run(context.source, context.format, context.actor, context.at).lastInsertRowid);
    const run = new ImportRun(this.s, this.audit, this.history, context, importId, seen, previousImportAt, tally, approvedItems, () => {
      if (!indexes.suspended && tally.apis.created + tally.identities.created >= this.bulkLoadAfter) {
        indexes.suspend();
        search.suspend();
      }
    });
    this.s.forgetStatedMemberships.run();
    for (const entry of snapshot.entries) run.accept(entry);
    run.finish();
    this.audit.append({
      at: context.at,
      actor: context.actor,
      action: 'import.applied',
      subject: context.source,
      details: {
        format: context.format,
        importId,
        apis: tally.apis,
        identities: tally.identities,
        teams: tally.teams,
        people: tally.people,
        ownershipChanges: tally.ownershipChanges,
        // How many approved values the source contradicts (listed in the import's saved report), not an event each.
        ...(tally.drift.length > 0 ? { drift: tally.drift.length } : {}),
      },
    });
    this.s.saveReport.run(JSON.stringify(tally.report()), importId);
  }
}
