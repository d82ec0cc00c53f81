import type Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration, type SchemaRewrite } from './migrations.js';

export class SchemaTooNewError extends Error {
  constructor(readonly found: number, readonly known: number) {
    super(`the database schema is at version ${found}, but this Steward knows only up to ${known}: upgrade Steward`);
    this.name = 'SchemaTooNewError';
  }
}

/** Applies every migration newer than the recorded schema version, each in its own transaction. Returns the version reached. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = allMigrations, at = new Date().toISOString()): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const current = (db.prepare('SELECT coalesce(max(version), 0) AS v FROM schema_migrations').get() as { v: number }).v;
  const known = migrations.at(-1)?.version ?? 0;
  if (current > known) throw new SchemaTooNewError(current, known);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      if (migration.rewrites !== undefined) rewriteSchema(db, migration.rewrites);
      db.exec(migration.sql);
      record.run(migration.version, migration.name, at);
    }).immediate();
  }
  return known;
}

/**
 * SQLite's documented way to change a table's CHECK constraints without copying it: edit its CREATE statement in
 * sqlite_schema and bump the schema version, inside the caller's transaction. better-sqlite3 opens connections in
 * defensive mode, which forbids the edit; it is lifted for the edit alone.
 */
function rewriteSchema(db: Database.Database, rewrites: readonly SchemaRewrite[]): void {
  const version = db.pragma('schema_version', { simple: true }) as number;
  db.unsafeMode(true);
  try {
    db.pragma('writable_schema = ON');
    const edit = db.prepare<[string, string, string, string]>("UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ? AND instr(sql, ?) > 0");
    for (const { table, from, to } of rewrites)
      if (edit.run(from, to, table, from).changes !== 1) throw new Error(`schema rewrite: ${from} is not in table ${table}`);
    db.pragma(`schema_version = ${version + 1}`);
  } finally {
    db.pragma('writable_schema = OFF');
    db.unsafeMode(false);
  }
}
