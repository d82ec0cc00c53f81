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
  /**
   * The importer's entries, read lazily. Importers yield an InvalidEntry for what they cannot even read. They may be
   * `PreparableEntries`, which an import reads through `prepared()` instead.
   */
  readonly entries: Iterable<RawEntry | InvalidEntry>;
}

/**
 * An item entry an importer names and fingerprints before it builds it (`fingerprintRecord`): the store looks for
 * the item by its kind, source key and ref, and keeps one the same fingerprint left without building the entry, let
 * alone checking it. `build` makes the entry the importer's plain reading gives, for the store to check otherwise.
 */
export interface PreparedItemEntry {
  readonly type: 'prepared';
  readonly kind: 'api' | 'identity';
  readonly sourceKey: string;
  /** The ref the built entry has, trimmed. */
  readonly ref: string;
  readonly fingerprint: string;
  build(): RawEntry;
}

/**
 * Entries that can also be read with their item entries prepared: the same entries in the same order, each item
 * entry either as it is or as a PreparedItemEntry whose `build` gives it. An import reads these; anything else (a
 * check, a test, a wrapper that yields its own entries) reads the entries as they are.
 */
export interface PreparableEntries extends Iterable<RawEntry | InvalidEntry> {
  prepared(): Iterable<RawEntry | InvalidEntry | PreparedItemEntry>;
}

function isPreparable(entries: Iterable<RawEntry | InvalidEntry>): entries is PreparableEntries {
  return typeof (entries as Partial<PreparableEntries>).prepared === 'function';
}

export interface ImportInventoryInput {
  readonly snapshots: readonly SourceSnapshot[];
  readonly dryRun: boolean;
  readonly actor: string;
}

/** An item entry the store checks only when it needs to (a class, so a million of them make no closure each). */
class PendingCheck implements PendingItemEntry {
  readonly type = 'pending';

  constructor(
    readonly kind: 'api' | 'identity',
    readonly sourceKey: string,
    readonly ref: string | undefined,
    readonly fingerprint: string,
    private readonly entry: RawEntry | PreparedItemEntry,
  ) {}

  check(): CheckedEntry {
    const { entry } = this;
    return checkEntry(entry.type === 'prepared' ? entry.build() : entry);
  }
}

/** What the store gets for an importer's entry: an item entry with its fingerprint, checked when the store needs it; any other entry checked now. */
export function storeEntry(entry: RawEntry | InvalidEntry | PreparedItemEntry): CheckedEntry | PendingItemEntry {
  if (entry.type === 'invalid') return entry;
  if (entry.type === 'prepared') return new PendingCheck(entry.kind, entry.sourceKey, entry.ref, entry.fingerprint, entry);
  if (entry.type !== 'api' && entry.type !== 'identity') return checkEntry(entry);
  const fingerprint = fingerprintEntry(entry);
  if (fingerprint === null) return checkEntry(entry);
  const { ref } = entry.data;
  return new PendingCheck(entry.type, entry.sourceKey, typeof ref === 'string' ? ref.trim() : undefined, fingerprint, entry);
}

function* checked(entries: Iterable<RawEntry | InvalidEntry>) {
  for (const entry of isPreparable(entries) ? entries.prepared() : entries) yield storeEntry(entry);
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
