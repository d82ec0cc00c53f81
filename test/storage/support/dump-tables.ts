import type { SqliteStore } from '../../../storage/sqlite-store.js';

/**
 * Every row of every table, for "nothing changed" assertions: a dry run or a refused import must leave
 * this exactly as it was. Rows are sorted by their JSON so WITHOUT ROWID tables compare too.
 */
export function dumpTables(store: SqliteStore): Record<string, string[]> {
  const tables = store.db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((t) => t.name);
  return Object.fromEntries(
    tables.map((table) => [table, store.db.prepare(`SELECT * FROM "${table}"`).all().map((row) => JSON.stringify(row)).sort()]),
  );
}
