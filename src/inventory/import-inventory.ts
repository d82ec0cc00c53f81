import { InputError } from '../errors.js';
import type { Clock } from '../ports/clock.js';
import type { ImportReport, Store } from '../ports/store.js';
import { checkEntry } from './check-entries.js';
import { fingerprintEntry } from './entry-fingerprint.js';
import type { CheckedEntry, InvalidEntry, PendingItemEntry, RawEntry } from './import-entry.js';
import { isWellFormedText } from './well-formed-text.js';

/** One source's snapshot as an importer reads it. */
export interface SourceSnapshot {
  readonly source: string;
  readonly format: string;
  /** The importer's entries, read lazily. Importers yield an InvalidEntry for what they cannot even read. */
  readonly entries: Iterable<RawEntry | InvalidEntry>;
}

export interface ImportInventoryInput {
  readonly snapshots: readonly SourceSnapshot[];
  readonly dryRun: boolean;
  readonly actor: string;
}

/** What the store gets for an importer's entry: an item entry with its fingerprint, checked when the store needs it; any other entry checked now. */
export function storeEntry(entry: RawEntry | InvalidEntry): CheckedEntry | PendingItemEntry {
  if (entry.type === 'invalid') return entry;
  if (entry.type !== 'api' && entry.type !== 'identity') return checkEntry(entry);
  const fingerprint = fingerprintEntry(entry);
  if (fingerprint === null) return checkEntry(entry);
  const { ref } = entry.data;
  return { type: 'pending', kind: entry.type, sourceKey: entry.sourceKey, ref: typeof ref === 'string' ? ref.trim() : undefined, fingerprint, check: () => checkEntry(entry) };
}

function* checked(entries: Iterable<RawEntry | InvalidEntry>) {
  for (const entry of entries) yield storeEntry(entry);
}

/**
 * Imports sources' snapshots: every entry is checked (secrets refused first, then each field), and the store
 * applies them all in one transaction, or nothing at all when any entry was refused. An item entry the store finds
 * unchanged since it was last imported (by its fingerprint) was checked then, and is kept as it is.
 */
export async function importInventory(store: Store, clock: Clock, input: ImportInventoryInput): Promise<ImportReport> {
  // Each snapshot is a source's whole content: two of one source would each make the other's items vanish.
  const sources = input.snapshots.map((s) => s.source);
  const repeated = sources.find((source, i) => sources.indexOf(source) !== i);
  if (repeated !== undefined) throw new InputError(`source ${repeated} is given twice in one import; give its files together or name each with its own source`);
  // A source name is stored on every row it imports and compared on the next import: it must be text SQLite keeps as is.
  const broken = sources.find((source) => !isWellFormedText(source));
  if (broken !== undefined) throw new InputError(`source ${JSON.stringify(broken)} holds a lone UTF-16 surrogate, which is not text; name it with --source`);
  // Time does not go back: on a database moved ahead of the clock (by a tick --at), an import now would be recorded
  // before what is there, and every item's history would run backwards. A dry run writes nothing and may.
  const now = clock.now().toISOString();
  const latest = input.dryRun ? null : await store.latestRecordedAt();
  if (latest !== null && Date.parse(now) < Date.parse(latest))
    throw new InputError(
      `Steward's records already reach ${latest.slice(0, 16).replace('T', ' ')} UTC, ahead of the clock (a tick --at moved this database on), and time does not go back: an import now would be recorded before them. Import into a database that keeps real time, or once the clock has passed that.`,
    );
  return store.importEntries({
    snapshots: input.snapshots.map((s) => ({ source: s.source, format: s.format, entries: checked(s.entries) })),
    at: now,
    actor: input.actor,
    dryRun: input.dryRun,
  });
}
