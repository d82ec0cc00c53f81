import { InputError } from '../../../src/errors.js';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { PreparableEntries, PreparedItemEntry, SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';
import { isBlankRecord, readCsvRecords } from '../csv/read-csv-records.js';
import type { SourceFormat } from '../source-format.js';
import { sourcePathOf } from '../source-files.js';
import { fieldOf, parseReportHeader, type ReportHeader } from './report-header.js';
import { accountOfArn, formatName, preparedRowEntries, reportRowEntries } from './report-row-entries.js';

/** The account of the first row with an IAM ARN: read before the import so the source can be named. */
function peekAccount(file: string): string | undefined {
  let header: ReportHeader | undefined;
  for (const record of readCsvRecords(file)) {
    if (isBlankRecord(record) || 'error' in record) continue;
    if (header === undefined) {
      const parsed = parseReportHeader(record.fields, { file, line: record.line });
      if ('type' in parsed) return undefined;
      header = parsed;
      continue;
    }
    // Leaving the loop closes the file; the entries read it again, so a large report is never held in memory.
    const account = accountOfArn(fieldOf(header, record.fields, 'arn'));
    if (account !== undefined) return account;
  }
  return undefined;
}

/** The entries of a file, each data row's as `rowEntries` reads them (built, or with its identities prepared). */
function* reportEntries<T>(
  file: string,
  accountUnknown: boolean,
  rowEntries: (header: ReportHeader, fields: readonly string[], at: SourceLocation) => ReadonlyArray<RawEntry | InvalidEntry | T>,
): Generator<RawEntry | InvalidEntry | T> {
  let header: ReportHeader | undefined;
  for (const record of readCsvRecords(file)) {
    if (isBlankRecord(record)) continue;
    const at = { file, line: record.line };
    if ('error' in record) {
      yield { type: 'invalid', at, problems: [{ at, field: null, message: record.error }] };
      if (header === undefined) return;
      continue;
    }
    if (header === undefined) {
      const parsed = parseReportHeader(record.fields, at);
      if ('type' in parsed) {
        yield parsed;
        return;
      }
      header = parsed;
      if (accountUnknown)
        yield { type: 'invalid', at, problems: [{ at, field: 'arn', message: 'no row has an IAM ARN, so the AWS account that names the source is unknown; name it with --source' }] };
      continue;
    }
    if (record.fields.length !== header.columns.length) {
      const message = `has ${record.fields.length} fields, but the header has ${header.columns.length}`;
      yield { type: 'invalid', at, problems: [{ at, field: null, message }] };
      continue;
    }
    yield* rowEntries(header, record.fields, at);
  }
  if (header === undefined) {
    const at = { file, line: 1 };
    yield { type: 'invalid', at, problems: [{ at, field: null, message: 'the file is empty; expected an AWS IAM credential report' }] };
  }
}

/**
 * The AWS IAM credential report (`aws iam get-credential-report`, decoded): each IAM user's access keys and
 * signing certificates become identities, one source per AWS account (FORMATS.md, section 2).
 */
export const awsCredentialReport: SourceFormat = {
  name: formatName,
  summary: "AWS IAM credential report (CSV): IAM users' access keys and signing certificates; source aws:<account>",
  read(paths, options) {
    const seen = new Map<string, string>();
    return paths.map((file): SourceSnapshot => {
      // Peeked even under --source, so a file that cannot be opened is refused now, not mid-import.
      const account = peekAccount(file);
      // A file without an account cannot be imported (it says so); its own path keeps it apart from other files.
      const source = options.source ?? (account === undefined ? `aws:unknown:${sourcePathOf(file)}` : `aws:${account}`);
      const other = seen.get(source);
      if (other !== undefined) {
        const fix = options.source === undefined ? 'import each AWS account once' : '--source names one source, so import one file per --source';
        throw new InputError(`${other} and ${file} are both source ${source}: ${fix}`);
      }
      seen.set(source, file);
      const accountUnknown = options.source === undefined && account === undefined;
      const entries: PreparableEntries = {
        [Symbol.iterator]: () => reportEntries(file, accountUnknown, reportRowEntries),
        // An import reads the identities prepared: one that comes back as it was stored is never built.
        prepared: () => reportEntries<PreparedItemEntry>(file, accountUnknown, preparedRowEntries),
      };
      return { source, format: formatName, entries };
    });
  },
};
