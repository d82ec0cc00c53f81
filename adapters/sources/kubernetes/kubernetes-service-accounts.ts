import path from 'node:path';
import { InputError } from '../../../src/errors.js';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import { invalidEntry } from '../json/invalid-entry.js';
import { isObject } from '../json/json-values.js';
import { readJsonFile, type JsonFile } from '../json/read-json-file.js';
import { childPath } from '../json/scan-json.js';
import type { SourceFormat } from '../source-format.js';
import { serviceAccountEntries } from './service-account-entries.js';

const listKinds = new Set(['List', 'ServiceAccountList']);

const sourcePrefix = 'kubernetes:';

/**
 * The cluster a source names: the source without its `kubernetes:` prefix (`kubernetes:prod` from prod.json,
 * or `--source eu-west`). It goes into every ref, so it must be usable there.
 */
function clusterOf(source: string, named: boolean, files: readonly string[]): string {
  const cluster = source.startsWith(sourcePrefix) ? source.slice(sourcePrefix.length) : source;
  if (cluster === '' || /\s/.test(cluster))
    throw new InputError(
      `${files.join(', ')}: the cluster name "${cluster}" (from ${named ? '--source' : 'the file name'}) is empty or has spaces; it goes into every ref (k8s/<cluster>/<namespace>/<name>), so name the cluster with --source`,
    );
  return cluster;
}

/** The entries of one file: a `List` or `ServiceAccountList` envelope, or a single ServiceAccount. */
function* fileEntries(json: JsonFile, cluster: string): Generator<RawEntry | InvalidEntry> {
  const top = json.value;
  if (isObject(top) && top.kind === 'ServiceAccount') return yield* serviceAccountEntries(top, '', json, cluster);
  if (!isObject(top) || typeof top.kind !== 'string' || !listKinds.has(top.kind))
    return yield invalidEntry(json.at('kind'), 'kind', 'must be List, ServiceAccountList or ServiceAccount: give the output of `kubectl get serviceaccounts -A -o json`');
  if (!Array.isArray(top.items)) return yield invalidEntry(json.at('items'), 'items', 'must be an array');
  for (const [i, item] of top.items.entries()) {
    const itemPath = childPath('items', i);
    // A `List` can hold any kind (`kubectl get sa,secrets`); items of a ServiceAccountList carry no kind.
    if (!isObject(item)) yield invalidEntry(json.at(itemPath), itemPath, 'is not a ServiceAccount object');
    else if (item.kind !== undefined && item.kind !== 'ServiceAccount')
      yield invalidEntry(json.at(childPath(itemPath, 'kind')), childPath(itemPath, 'kind'), 'is not ServiceAccount: give the output of `kubectl get serviceaccounts`');
    else yield* serviceAccountEntries(item, itemPath, json, cluster);
  }
}

/**
 * Kubernetes service accounts from kubectl's JSON. Each file is one cluster and one source,
 * `kubernetes:<file name without extension>`; a named source takes every file given. Refs are
 * `k8s/<cluster>/<namespace>/<name>`, the cluster being the source name without `kubernetes:`.
 */
export const kubernetesServiceAccounts: SourceFormat = {
  name: 'kubernetes',
  summary: 'Kubernetes service accounts: `kubectl get serviceaccounts -A -o json`, one file per cluster',
  read(paths, options) {
    // Files are read here, so an unreadable file or one that is not JSON stops the import before it starts.
    const bySource = new Map<string, JsonFile[]>();
    if (options.source !== undefined) bySource.set(options.source, []);
    for (const file of paths) {
      const source = options.source ?? `${sourcePrefix}${path.parse(file).name}`;
      // Two snapshots of one source would each flag the other's items vanished, so files sharing a source merge.
      bySource.set(source, [...(bySource.get(source) ?? []), readJsonFile(file, 5)]);
    }
    return [...bySource].map(([source, files]) => {
      const cluster = clusterOf(source, options.source !== undefined, files.length > 0 ? files.map((f) => f.file) : paths);
      return {
        source,
        format: 'kubernetes',
        // Iterable again on every pass (a generator object is spent after one), so a dry run can be repeated.
        entries: {
          *[Symbol.iterator]() {
            for (const json of files) yield* fileEntries(json, cluster);
          },
        },
      };
    });
  },
};
