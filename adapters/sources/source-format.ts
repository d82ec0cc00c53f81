import type { SourceSnapshot } from '../../src/inventory/import-inventory.js';

export interface ReadSourceOptions {
  /** Overrides the source name, for organisations that import several catalogs or clusters of one format. */
  readonly source?: string;
  /** Folders a catalog's references may lead to besides its own folder (`--allow-root`), as the operator typed them. */
  readonly allowRoots?: readonly string[];
}

/** What a format may need from the inventory already stored, fetched by the caller before `read`. */
export interface ReadContext {
  /** APIs whose code lives at a known repository path (for CODEOWNERS). */
  readonly apiCodePaths: ReadonlyArray<{ readonly ref: string; readonly codePath: string }>;
}

/**
 * An import format: reads files into source snapshots. Entries are produced lazily (a generator), so the
 * store can stream a large file through one transaction; `read` itself only opens what it must to name the
 * sources. A file that cannot be read at all throws an InputError naming it.
 */
export interface SourceFormat {
  readonly name: string;
  /** One line for `steward import --help`. */
  readonly summary: string;
  /** True when `read` needs `context.apiCodePaths`; the caller only queries the store when asked. */
  readonly needsApiCodePaths?: boolean;
  read(paths: readonly string[], options: ReadSourceOptions, context: ReadContext): readonly SourceSnapshot[];
}
