import { importInventory, type SourceSnapshot } from '../../src/inventory/import-inventory.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { ImportReport } from '../../src/ports/store.js';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite-store.js';

/** A fresh, migrated in-memory store: one per test. */
export function memoryStore(): SqliteStore {
  return openSqliteStore(':memory:');
}

/** Imports snapshots into `store` at a fixed time, as the CLI would. */
export async function importSnapshots(
  store: SqliteStore,
  snapshots: readonly SourceSnapshot[],
  options: { at?: string; dryRun?: boolean } = {},
): Promise<ImportReport> {
  return importInventory(store, fixedClock(options.at ?? '2026-11-01T09:00:00Z'), {
    snapshots,
    dryRun: options.dryRun ?? false,
    actor: 'test',
  });
}
