import type Database from 'better-sqlite3';

/**
 * Large imports drop the secondary indexes of the tables they fill and build them again before the commit:
 * one sort per index instead of a random B-tree insert per row per index (the classic bulk-load trick; it
 * roughly halves a million-row import). It all happens inside the import's transaction, so a refused or
 * dry-run import rolls the drop back with everything else, and readers never see the tables unindexed.
 * Only indexes with their own `CREATE INDEX` are touched; the unique keys the upsert relies on stay.
 */
export class SecondaryIndexes {
  private dropped: Array<{ name: string; sql: string }> = [];

  constructor(
    private readonly db: Database.Database,
    private readonly tables: readonly string[],
  ) {}

  get suspended(): boolean {
    return this.dropped.length > 0;
  }

  suspend(): void {
    if (this.suspended) return;
    const placeholders = this.tables.map(() => '?').join(', ');
    this.dropped = this.db
      .prepare<string[], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${placeholders})`)
      .all(...this.tables);
    for (const { name } of this.dropped) this.db.exec(`DROP INDEX "${name}"`);
  }

  restore(): void {
    for (const { sql } of this.dropped) this.db.exec(sql);
    this.dropped = [];
  }
}
