import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ItemDetail, ItemKind, ItemSummary } from '../src/model/index.js';
import type { AuditVerification, ImportReport, ImportRequest, InventoryCounts, ItemList, ListFilter, SearchQuery, Store } from '../src/ports/store.js';
import { AuditLog } from './audit-log.js';
import { ImportWriter } from './import-writer.js';
import { ItemQueries } from './item-queries.js';
import { migrate } from './migrate.js';

export interface OpenStoreOptions {
  /** Wait this long for another process's write lock before failing (a CLI import while `serve` runs). */
  readonly busyTimeoutMs?: number;
  /** New items after which an import rebuilds indexes at the end instead of updating them per row. */
  readonly bulkLoadAfter?: number;
}

/**
 * The SQLite implementation of the store port. better-sqlite3 is synchronous, so each method runs its
 * transaction to completion before returning its promise: no transaction ever spans an await.
 */
export class SqliteStore implements Store {
  private readonly audit: AuditLog;
  private readonly writer: ImportWriter;
  private readonly queries: ItemQueries;

  constructor(readonly db: Database.Database, options: OpenStoreOptions = {}) {
    this.audit = new AuditLog(db);
    this.writer = new ImportWriter(db, this.audit, options.bulkLoadAfter);
    this.queries = new ItemQueries(db);
  }

  async importEntries(request: ImportRequest): Promise<ImportReport> {
    return this.writer.run(request);
  }

  async searchItems(query: SearchQuery): Promise<readonly ItemSummary[]> {
    return this.queries.search(query);
  }

  async candidateNames(text: string, limit: number): Promise<readonly ItemSummary[]> {
    return this.queries.candidates(text, limit);
  }

  async getItemDetail(kind: ItemKind, ref: string): Promise<ItemDetail | null> {
    return this.queries.detail(kind, ref);
  }

  async listApiCodePaths(): Promise<ReadonlyArray<{ ref: string; codePath: string }>> {
    return this.queries.apiCodePaths();
  }

  async listItems(filter: ListFilter): Promise<ItemList> {
    return this.queries.list(filter);
  }

  async countInventory(): Promise<InventoryCounts> {
    return this.queries.counts();
  }

  async verifyAuditChain(): Promise<AuditVerification> {
    return this.audit.verify();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/**
 * Opens (creating if needed) a Steward database: WAL so readers never block the writer, foreign keys on,
 * and every pending migration applied. `:memory:` gives a fresh private database, as the tests use.
 */
export function openSqliteStore(file: string, options: OpenStoreOptions = {}): SqliteStore {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // Import staging and sorts go to temporary files, not memory, so large imports keep a small footprint.
    db.pragma('temp_store = FILE');
    migrate(db);
    return new SqliteStore(db, options);
  } catch (error) {
    db.close();
    throw error;
  }
}
