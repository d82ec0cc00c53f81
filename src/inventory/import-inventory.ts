import type { Clock } from '../ports/clock.js';
import type { ImportReport, Store } from '../ports/store.js';
import { checkEntry } from './check-entries.js';
import type { InvalidEntry, RawEntry } from './import-entry.js';

export interface ImportInventoryInput {
  readonly source: string;
  readonly format: string;
  /** The importer's entries, read lazily. Importers yield an InvalidEntry for what they cannot even read. */
  readonly entries: Iterable<RawEntry | InvalidEntry>;
  readonly dryRun: boolean;
  readonly actor: string;
}

function* checked(entries: Iterable<RawEntry | InvalidEntry>) {
  for (const entry of entries) {
    yield entry.type === 'invalid' ? entry : checkEntry(entry);
  }
}

/**
 * Imports one source's snapshot: every entry is checked (secrets refused first, then each field), and the
 * store applies the whole snapshot in one transaction or nothing at all when any entry was refused.
 */
export async function importInventory(store: Store, clock: Clock, input: ImportInventoryInput): Promise<ImportReport> {
  return store.importEntries({
    source: input.source,
    format: input.format,
    entries: checked(input.entries),
    at: clock.now().toISOString(),
    actor: input.actor,
    dryRun: input.dryRun,
  });
}
