import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import { readJsonFile } from '../json/read-json-file.js';
import type { SourceFormat } from '../source-format.js';
import { gcpFileEntries } from './gcp-file-entries.js';

/**
 * Google Cloud service accounts and their user-managed keys, from gcloud's JSON. Each project is one source
 * (`gcp:<project>`), so give all of a project's files in one import: a key missing from it is flagged vanished.
 */
export const gcpKeys: SourceFormat = {
  name: 'gcp-keys',
  summary: 'Google Cloud service accounts and keys: `gcloud iam service-accounts list --format=json` and `… keys list --format=json`',
  read(paths, options) {
    const bySource = new Map<string, Array<RawEntry | InvalidEntry>>();
    // A named source is one snapshot even when empty: the source then holds nothing, and its items vanish.
    if (options.source !== undefined) bySource.set(options.source, []);
    const unplaced: Array<RawEntry | InvalidEntry> = [];
    for (const file of paths) {
      for (const { project, entry } of gcpFileEntries(readJsonFile(file, 4), options.source === undefined)) {
        const source = options.source ?? (project === undefined ? undefined : `gcp:${project}`);
        if (source === undefined) {
          unplaced.push(entry);
          continue;
        }
        const entries = bySource.get(source) ?? [];
        entries.push(entry);
        bySource.set(source, entries);
      }
    }
    // Only refusals lack a project, and one refusal stops the whole import, so any snapshot may carry them.
    if (unplaced.length > 0) {
      const [first] = bySource.values();
      if (first === undefined) bySource.set('gcp:unknown-project', unplaced);
      else first.push(...unplaced);
    }
    return [...bySource].map(([source, entries]): SourceSnapshot => ({ source, format: 'gcp-keys', entries }));
  },
};
