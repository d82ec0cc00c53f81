import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import type { SourceFormat } from '../source-format.js';
import { allowedRoots, sourcePathOf } from '../source-files.js';
import { catalogEntries } from './catalog-entries.js';
import { readCatalog } from './read-catalog.js';

/** Entries that can be read again (a generator object is spent after one pass), so a dry run can be repeated. */
function replayable(entries: () => Iterable<RawEntry | InvalidEntry>): Iterable<RawEntry | InvalidEntry> {
  return { [Symbol.iterator]: () => entries()[Symbol.iterator]() };
}

/**
 * `steward import backstage <catalog files or folders…>`. Each root file or folder (with every file its
 * Locations lead to) is one source, `backstage:<path>` (however the path is typed: see sourcePathOf), so importing the org file and the systems file
 * separately does not make either look vanished to the other. References resolve across all the files given
 * together. The files are read here, so one that cannot be read stops the import before it starts.
 */
export const backstage: SourceFormat = {
  name: 'backstage',
  summary: 'Backstage catalog entity YAML (API, Component, Resource, Group, User; Locations followed)',
  read(paths, options): SourceSnapshot[] {
    const catalog = readCatalog(paths, { allowRoots: allowedRoots(options.allowRoots) });
    const invalid = catalog.invalid;
    if (options.source !== undefined)
      return [{ source: options.source, format: 'backstage', entries: replayable(() => [...invalid, ...catalogEntries(catalog)]) }];
    return paths.map((root, i) => ({
      source: `backstage:${sourcePathOf(root)}`,
      format: 'backstage',
      // Documents that are not entities belong to no root; one snapshot carrying them refuses the whole import.
      entries: replayable(() => [...(i === 0 ? invalid : []), ...catalogEntries(catalog, (e) => e.root === root, (n) => n.root === root)]),
    }));
  },
};
