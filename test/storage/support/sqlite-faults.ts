import Database from 'better-sqlite3';
import type { SqliteStore } from '../../../storage/sqlite-store.js';

/*
 * Real SQLite failures, made on purpose for the tests of what Steward does when its database fails: another
 * writer holding the lock, a write that raises an error, a table that is gone.
 */

/** Takes the write lock on the store's connection, as another process's import would, until released (nothing is written). */
export function holdWriteLock(store: SqliteStore): { release(): void } {
  store.db.exec('BEGIN IMMEDIATE');
  return { release: () => store.db.exec('ROLLBACK') };
}

/** Makes every update of a person on the store's connection fail with SQLite's 'disk I/O error', until restored. */
export function failPersonUpdates(store: SqliteStore): { restore(): void } {
  store.db.exec("CREATE TEMP TRIGGER fail_person_updates BEFORE UPDATE ON people BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END");
  return { restore: () => store.db.exec('DROP TRIGGER fail_person_updates') };
}

/**
 * Makes every audit event written to the database `file` fail, for good: every decision writes one, so a tick
 * then fails inside its transaction, as a bug would.
 */
export function refuseAuditEvents(file: string): void {
  const db = new Database(file);
  try {
    db.exec("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
  } finally {
    db.close();
  }
}

/** Drops `table` from the database `file`, as a damaged or foreign database would lack it. */
export function dropTable(file: string, table: string): void {
  const db = new Database(file);
  try {
    db.exec(`DROP TABLE "${table}"`);
  } finally {
    db.close();
  }
}
