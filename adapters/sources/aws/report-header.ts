import type { InvalidEntry } from '../../../src/inventory/import-entry.js';
import type { Problem, SourceLocation } from '../../../src/inventory/source-location.js';

/** One credential a report row can hold: two access keys and two X.509 signing certificates per IAM user. */
export interface CredentialSlot {
  /** The column prefix, e.g. `access_key_1`; also the suffix of the source key. */
  readonly prefix: string;
  readonly identityKind: 'api_key' | 'certificate';
  /** The last segment of the ref, e.g. `access-key-1`. */
  readonly slug: string;
  /** As in a name, e.g. `access key 1`. */
  readonly title: string;
  readonly activeColumn: string;
  readonly rotatedColumn: string;
  /** Certificates have no last-used columns. */
  readonly usedColumn?: string;
  readonly serviceColumn?: string;
  /** The columns its identity is built from; its others (the last-used region) are not kept. */
  readonly keptColumns: readonly string[];
  /** Which column each field of its identity comes from: one object, shared by every row. */
  readonly labels: Readonly<Record<string, string>>;
}

function slot(prefix: string, identityKind: CredentialSlot['identityKind'], slug: string, title: string, tracksUse: boolean): CredentialSlot {
  const columns = { activeColumn: `${prefix}_active`, rotatedColumn: `${prefix}_last_rotated` };
  const use = tracksUse ? { usedColumn: `${prefix}_last_used_date`, serviceColumn: `${prefix}_last_used_service` } : {};
  const labels = {
    ref: 'user',
    name: 'user',
    createdAt: columns.rotatedColumn,
    lastRotatedAt: columns.rotatedColumn,
    status: columns.activeColumn,
    ...(tracksUse ? { lastUsedAt: `${prefix}_last_used_date`, lastUsedService: `${prefix}_last_used_service` } : {}),
  };
  return { prefix, identityKind, slug, title, ...columns, ...use, keptColumns: Object.values({ ...columns, ...use }), labels };
}

export const credentialSlots: readonly CredentialSlot[] = [
  slot('access_key_1', 'api_key', 'access-key-1', 'access key 1', true),
  slot('access_key_2', 'api_key', 'access-key-2', 'access key 2', true),
  slot('cert_1', 'certificate', 'cert-1', 'signing certificate 1', false),
  slot('cert_2', 'certificate', 'cert-2', 'signing certificate 2', false),
];

// Only the columns we read are required, so a report with fewer informational columns still imports.
const requiredColumns = ['user', 'arn', 'password_enabled', ...credentialSlots.flatMap((s) => s.keptColumns)];

/** The header of one report: the columns by name, since nothing promises their order. */
export interface ReportHeader {
  readonly columns: readonly string[];
  readonly index: ReadonlyMap<string, number>;
}

/** Reads the header record, or refuses it naming every missing or repeated column. */
export function parseReportHeader(fields: readonly string[], at: SourceLocation): ReportHeader | InvalidEntry {
  const columns = fields.map((field) => field.trim().toLowerCase());
  const index = new Map<string, number>();
  const problems: Problem[] = [];
  columns.forEach((column, i) => {
    if (index.has(column)) problems.push({ at, field: column, message: 'appears twice in the header' });
    else index.set(column, i);
  });
  for (const column of requiredColumns)
    if (!index.has(column)) problems.push({ at, field: column, message: 'column is missing from the header (is this an AWS IAM credential report?)' });
  return problems.length > 0 ? { type: 'invalid', at, problems } : { columns, index };
}

/** The value of `column` in a record read under `header`; '' when the header has no such column. */
export function fieldOf(header: ReportHeader, fields: readonly string[], column: string): string {
  const i = header.index.get(column);
  return i === undefined ? '' : (fields[i] ?? '');
}
