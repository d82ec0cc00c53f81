import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import type { SourceFormat } from '../source-format.js';
import { catalogEntries } from './catalog-entries.js';
import { readCatalog } from './read-catalog.js';

/**
 * `steward import backstage <catalog files…>`. Each root file (with every file its Locations lead to) is one
 * source, `backstage:<path>`, so importing the org file and the systems file separately does not make either
 * look vanished to the other. References resolve across all the files given together.
 */
export const backstage: SourceFormat = {
  name: 'backstage',
  summary: 'Backstage catalog entity YAML (API, Component, Resource, Group, User; Locations followed)',
  read(paths, options): SourceSnapshot[] {
    const catalog = readCatalog(paths);
    const invalid = catalog.invalid;
    if (options.source !== undefined) {
      return [{ source: options.source, format: 'backstage', entries: (function* () {
        yield* invalid;
        yield* catalogEntries(catalog);
      })() }];
    }
    return paths.map((root, i) => ({
      source: `backstage:${root}`,
      format: 'backstage',
      entries: (function* () {
        if (i === 0) yield* invalid;
        yield* catalogEntries(catalog, (e) => e.root === root, (n) => n.root === root);
      })(),
    }));
  },
};
