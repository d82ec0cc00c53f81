import fs from 'node:fs';
import { InputError } from '../../../src/errors.js';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import type { SourceFormat } from '../source-format.js';
import { allowedRoots, cannotRead, filesUnder, isFolder, openChecked, realFolder, sourcePathOf, type FileRules } from '../source-files.js';
import { apiColumns, apiMarkers, identityColumns, identityMarkers, normaliseHeader, type ColumnSet } from './inventory-csv-columns.js';
import { isBlankRecord, readCsvRecords } from './read-csv-records.js';

type Entry = RawEntry | InvalidEntry;

const splitList = (value: string | undefined): string[] => (value === undefined || value === '' ? [] : value.split(/[\s,;]+/).filter(Boolean));

const ownerFields: ReadonlySet<string> = new Set(['team', 'accountable', 'backup', 'approver']);

/** Where each of our fields is in this file's header, and what the file calls it. */
interface Layout {
  readonly set: ColumnSet;
  /** Our field → its column; absent when the file has no such column. */
  readonly position: Readonly<Record<string, number>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly unknown: ReadonlyArray<readonly [column: string, index: number]>;
  readonly width: number;
}

function layoutOf(file: string, header: readonly string[], line: number): Layout | InvalidEntry {
  const names = header.map(normaliseHeader);
  const at = { file, line };
  // A `kind` column makes an identity file. Without one, a header with only identity columns (`provider`,
  // `scopes`, …) is an identity file missing its `kind`: refused for that rather than read as APIs.
  const looksLikeIdentities = names.some((n) => identityMarkers.has(n)) && !names.some((n) => apiMarkers.has(n));
  const set = names.includes('kind') || looksLikeIdentities ? identityColumns : apiColumns;
  const position: Record<string, number> = {};
  const labels: Record<string, string> = {};
  const unknown: Array<[string, number]> = [];
  const seen = new Map<string, number>();
  const problems = [];
  for (const [i, name] of names.entries()) {
    const original = name === '' ? `(column ${i + 1}, no name)` : (header[i] ?? name).trim();
    if (name !== '' && seen.has(name)) problems.push({ at, field: original, message: `is a repeated column (also column ${(seen.get(name) ?? 0) + 1})` });
    seen.set(name, i);
    const field = Object.entries(set.columns).find(([, aliases]) => aliases.includes(name))?.[0];
    if (field === undefined) unknown.push([original, i]);
    else if (position[field] !== undefined && !problems.some((p) => p.field === original)) {
      // Two aliases of one field (`team` and `owner_team`): which one holds the truth is the file's to say.
      problems.push({ at, field: original, message: `names the same field as column ${(position[field] ?? 0) + 1} (${(header[position[field] ?? 0] ?? '').trim()}); keep one of them` });
    } else {
      position[field] = i;
      labels[ownerFields.has(field) ? `owner.${field}` : field] = original;
    }
  }
  // Links are read from the list columns; a problem with one names the column it came from.
  labels.links = [labels.dependsOn, labels.serves, labels.calls].filter((l) => l !== undefined).join('/') || 'links';
  for (const field of set.required)
    if (position[field] === undefined) problems.push({ at, field: set.columns[field]?.[0] ?? field, message: `is a required column of ${set.name === 'apis' ? 'an API' : 'an identity'} CSV file and is missing` });
  if (problems.length > 0) return { type: 'invalid', at, problems };
  return { set, position, labels, unknown, width: header.length };
}

function* fileEntries(file: string, rules: FileRules): Generator<Entry> {
  let layout: Layout | undefined;
  let headerLine = 1;
  for (const record of readCsvRecords(file, { rules })) {
    if ('error' in record) {
      yield { type: 'invalid', at: { file, line: record.line }, problems: [{ at: { file, line: record.line }, field: null, message: `CSV: ${record.error}` }] };
      continue;
    }
    if (isBlankRecord(record)) continue;
    if (layout === undefined) {
      headerLine = record.line;
      const parsed = layoutOf(file, record.fields, record.line);
      if ('type' in parsed) {
        yield parsed;
        return;
      }
      layout = parsed;
      if (layout.unknown.length > 0) {
        const columns = layout.unknown.map(([c]) => c).join(', ');
        const at = { file, line: record.line };
        yield { type: 'finding', at, sourceKey: `unknown-columns:${file}`, data: { severity: 'warning', code: 'csv_unknown_column', subject: `${file} ${columns}`, message: `columns not in the ${layout.set.name} column set are ignored (their values are still checked for secrets): ${columns}` } };
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
  // An empty file would otherwise read as "the source now holds nothing" and flag every item vanished.
  if (layout === undefined) {
    const at = { file, line: headerLine };
    yield { type: 'invalid', at, problems: [{ at, field: null, message: 'is empty: expected a header row naming the columns (see README, "Import formats")' }] };
  }
}

const noUnmapped: ReadonlyArray<readonly [string, string]> = [];

/** The field at column `i`, or undefined where the file has no such column (-1). */
const cell = (fields: readonly string[], i: number | undefined): string | undefined => (i === undefined ? undefined : fields[i]);

/** One row as an entry. Hot on million-row files: no closures, no spreads. */
function rowEntry(layout: Layout, fields: readonly string[], at: { file: string; line: number }): RawEntry {
  const p = layout.position;
  // The ref is the upsert key: " petstore" and "petstore" must be one item, as they are one ref once trimmed.
  const ref = cell(fields, p.ref)?.trim();
  const owner = { team: cell(fields, p.team), accountable: cell(fields, p.accountable), backup: cell(fields, p.backup), approver: cell(fields, p.approver) };
  const unmapped = layout.unknown.length === 0 ? noUnmapped : layout.unknown.map(([column, i]) => [column, fields[i] ?? ''] as const);
  const name = cell(fields, p.name)?.trim() || ref;
  if (layout.set.name === 'apis') {
    return {
      type: 'api', at, sourceKey: ref ?? '', labels: layout.labels, unmapped,
      data: {
        ref, name, purpose: cell(fields, p.purpose), owner,
        sensitivity: cell(fields, p.sensitivity), exposure: cell(fields, p.exposure), authMethod: cell(fields, p.authMethod),
        revocationPath: cell(fields, p.revocationPath), lifecycle: cell(fields, p.lifecycle), system: cell(fields, p.system), codePath: cell(fields, p.codePath),
        links: links('depends_on', cell(fields, p.dependsOn)),
      },
    };
  }
  const serves = links('serves', cell(fields, p.serves));
  const calls = links('calls', cell(fields, p.calls));
  return {
    type: 'identity', at, sourceKey: ref ?? '', labels: layout.labels, unmapped,
    data: {
      ref, name, purpose: cell(fields, p.purpose), owner,
      identityKind: cell(fields, p.identityKind), provider: cell(fields, p.provider), scopes: splitList(cell(fields, p.scopes)),
      createdAt: cell(fields, p.createdAt), expiresAt: cell(fields, p.expiresAt), lastRotatedAt: cell(fields, p.lastRotatedAt),
      lastUsedAt: cell(fields, p.lastUsedAt), lastUsedService: cell(fields, p.lastUsedService), recoveryProcedure: cell(fields, p.recoveryProcedure),
      status: cell(fields, p.status),
      links: calls.length === 0 ? serves : serves.concat(calls),
    },
  };
}

function links(relation: 'depends_on' | 'serves' | 'calls', value: string | undefined): Array<{ relation: string; kind: 'api'; ref: string }> {
  return value === undefined || value === '' ? [] : splitList(value).map((ref) => ({ relation, kind: 'api', ref }));
}

/**
 * The CSV files a path names, each with the rules it is read by: a file named on the command line as it is (a
 * pipe, `<(…)` or /dev/stdin, is a fine file to stream); a folder's .csv files in path order, each a regular
 * file inside the folder or an allowed root. Each is opened now, so one that cannot be read stops the import
 * before it starts (and again when read, on the descriptor it reads).
 */
function csvFiles(given: string, allowed: readonly string[]): Array<{ file: string; rules: FileRules }> {
  const files = isFolder(given)
    ? filesUnder(given, ['.csv']).map((file) => ({ file, rules: { within: [realFolder(given), ...allowed] } }))
    : [{ file: given, rules: { pipes: true } }];
  if (files.length === 0) throw new InputError(`${given}: no .csv file under this folder`);
  for (const { file, rules } of files) {
    const opened = openChecked(file, rules);
    if (!opened.ok) throw cannotRead(file, opened.refusal);
    fs.closeSync(opened.value);
  }
  return files;
}

/** Entries that can be read again (a generator object is spent after one pass), so a dry run can be repeated. */
function entriesOf(files: ReadonlyArray<{ file: string; rules: FileRules }>): Iterable<Entry> {
  return {
    *[Symbol.iterator]() {
      for (const { file, rules } of files) yield* fileEntries(file, rules);
    },
  };
}

/**
 * `steward import csv <files or folders…>`: each file is its own source, `csv:<path>`, streamed row by row; a
 * folder stands for every .csv file under it.
 */
export const inventoryCsv: SourceFormat = {
  name: 'csv',
  summary: 'CSV with the documented API or identity columns (header-driven, UTF-8, CRLF or LF)',
  read(paths, options): SourceSnapshot[] {
    const allowed = allowedRoots(options.allowRoots);
    const files = paths.flatMap((given) => csvFiles(given, allowed));
    if (options.source !== undefined) return [{ source: options.source, format: 'csv', entries: entriesOf(files) }];
    return files.map((file) => ({ source: `csv:${sourcePathOf(file.file)}`, format: 'csv', entries: entriesOf([file]) }));
  },
};
