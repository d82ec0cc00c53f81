import path from 'node:path';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import type { SourceFormat } from '../source-format.js';
import { apiColumns, identityColumns, normaliseHeader, type ColumnSet } from './inventory-csv-columns.js';
import { isBlankRecord, readCsvRecords } from './read-csv-records.js';

type Entry = RawEntry | InvalidEntry;

const splitList = (value: string | undefined): string[] => (value === undefined ? [] : value.split(/[\s,;]+/).filter(Boolean));

/** Where each of our fields is in this file's header, and what the file calls it. */
interface Layout {
  readonly set: ColumnSet;
  readonly index: ReadonlyMap<string, number>;
  readonly labels: Readonly<Record<string, string>>;
  readonly unknown: ReadonlyArray<readonly [column: string, index: number]>;
  readonly width: number;
}

function layoutOf(file: string, header: readonly string[]): Layout | InvalidEntry {
  const names = header.map(normaliseHeader);
  const set = names.includes('kind') ? identityColumns : apiColumns;
  const index = new Map<string, number>();
  const labels: Record<string, string> = {};
  const unknown: Array<[string, number]> = [];
  const at = { file, line: 1 };
  const seen = new Map<string, number>();
  const problems = [];
  for (const [i, name] of names.entries()) {
    const original = header[i] ?? name;
    if (seen.has(name)) problems.push({ at, field: original, message: `is a repeated column (also column ${(seen.get(name) ?? 0) + 1})` });
    seen.set(name, i);
    const field = Object.entries(set.columns).find(([, aliases]) => aliases.includes(name))?.[0];
    if (field === undefined) unknown.push([original, i]);
    else {
      index.set(field, i);
      labels[field] = original;
    }
  }
  labels.owner = 'owner_team';
  labels.links = set.name === 'apis' ? 'depends_on' : 'serves';
  for (const field of set.required)
    if (!index.has(field)) problems.push({ at, field: set.columns[field]?.[0] ?? field, message: `is a required column of an ${set.name} CSV file and is missing` });
  if (problems.length > 0) return { type: 'invalid', at, problems };
  return { set, index, labels, unknown, width: header.length };
}

function* fileEntries(file: string): Generator<Entry> {
  let layout: Layout | undefined;
  for (const record of readCsvRecords(file)) {
    if ('error' in record) {
      yield { type: 'invalid', at: { file, line: record.line }, problems: [{ at: { file, line: record.line }, field: null, message: `CSV: ${record.error}` }] };
      continue;
    }
    if (isBlankRecord(record)) continue;
    if (layout === undefined) {
      const parsed = layoutOf(file, record.fields);
      if ('type' in parsed) {
        yield parsed;
        return;
      }
      layout = parsed;
      if (layout.unknown.length > 0) {
        const columns = layout.unknown.map(([c]) => c).join(', ');
        yield { type: 'finding', at: { file, line: 1 }, sourceKey: `unknown-columns:${file}`, data: { severity: 'warning', code: 'csv_unknown_column', subject: `${file} ${columns}`, message: `columns not in the ${layout.set.name} column set are ignored: ${columns}` } };
      }
      continue;
    }
    const at = { file, line: record.line };
    if (record.fields.length !== layout.width) {
      yield { type: 'invalid', at, problems: [{ at, field: null, message: `has ${record.fields.length} fields; the header has ${layout.width}` }] };
      continue;
    }
    yield rowEntry(layout, record.fields, at);
  }
}

function rowEntry(layout: Layout, fields: readonly string[], at: { file: string; line: number }): RawEntry {
  const get = (field: string): string | undefined => {
    const i = layout.index.get(field);
    return i === undefined ? undefined : fields[i];
  };
  const ref = get('ref');
  const owner = { team: get('team'), accountable: get('accountable'), backup: get('backup'), approver: get('approver') };
  const common = { ref, name: get('name') || ref, purpose: get('purpose'), owner };
  const unmapped = layout.unknown.map(([column, i]) => [column, fields[i] ?? ''] as const);
  if (layout.set.name === 'apis') {
    return {
      type: 'api', at, sourceKey: ref ?? '', labels: layout.labels, unmapped,
      data: {
        ...common,
        sensitivity: get('sensitivity'), exposure: get('exposure'), authMethod: get('authMethod'), revocationPath: get('revocationPath'),
        lifecycle: get('lifecycle'), system: get('system'), codePath: get('codePath'),
        links: splitList(get('dependsOn')).map((to) => ({ relation: 'depends_on', kind: 'api', ref: to })),
      },
    };
  }
  return {
    type: 'identity', at, sourceKey: ref ?? '', labels: layout.labels, unmapped,
    data: {
      ...common,
      identityKind: get('identityKind'), provider: get('provider'), scopes: splitList(get('scopes')),
      createdAt: get('createdAt'), expiresAt: get('expiresAt'), lastRotatedAt: get('lastRotatedAt'), lastUsedAt: get('lastUsedAt'),
      lastUsedService: get('lastUsedService'), recoveryProcedure: get('recoveryProcedure'), status: get('status'),
      links: [
        ...splitList(get('serves')).map((to) => ({ relation: 'serves', kind: 'api', ref: to })),
        ...splitList(get('calls')).map((to) => ({ relation: 'calls', kind: 'api', ref: to })),
      ],
    },
  };
}

/** `steward import csv <files…>`: each file is its own source, `csv:<path>`, streamed row by row. */
export const inventoryCsv: SourceFormat = {
  name: 'csv',
  summary: 'CSV with the documented API or identity columns (header-driven, UTF-8, CRLF or LF)',
  read(paths, options): SourceSnapshot[] {
    if (options.source !== undefined)
      return [{ source: options.source, format: 'csv', entries: (function* () {
        for (const file of paths) yield* fileEntries(file);
      })() }];
    return paths.map((file) => ({ source: `csv:${path.normalize(file)}`, format: 'csv', entries: fileEntries(file) }));
  },
};
