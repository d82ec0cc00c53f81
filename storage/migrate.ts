import type Database from 'better-sqlite3';
import { migrations as allMigrations, type Migration } from './migrations.js';

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
      db.exec(migration.sql);
      record.run(migration.version, migration.name, at);
    }).immediate();
  }
  return known;
}
