import { fingerprintRecord } from '../../../src/inventory/entry-fingerprint.js';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import type { PreparedItemEntry } from '../../../src/inventory/import-inventory.js';
import { normaliseIsoTime } from '../../../src/inventory/iso-time.js';
import type { Problem, SourceLocation } from '../../../src/inventory/source-location.js';
import { detectSecret, secretKindDescriptions } from '../../../src/secrets/detect-secret.js';
import { credentialSlots, type CredentialSlot, type ReportHeader } from './report-header.js';

type Entry = RawEntry | InvalidEntry;
type Pairs = ReadonlyArray<readonly [column: string, value: string]>;

export const formatName = 'aws-credential-report';

// The report writes these where it has no value; none is a date, and none may become epoch.
const sentinels = new Set(['n/a', 'no_information', 'not_supported']);

const iamArn = /^arn:aws[a-z-]*:iam::(\d{12}):(?:root|user\/\S+)$/;

/** The account an IAM user or root ARN belongs to, or undefined when `arn` is not one. */
export function accountOfArn(arn: string): string | undefined {
  return iamArn.exec(arn.trim())?.[1];
}

/** The value of a field, or undefined when it is blank or one of the sentinels. */
function valueOf(raw: string): string | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  // Every sentinel starts with an n, and only n and N lower-case to one: the common value is not lower-cased.
  const first = value.charCodeAt(0);
  return (first === 0x6e || first === 0x4e) && sentinels.has(value.toLowerCase()) ? undefined : value;
}

/** A value short enough to quote and not a secret, so an error may show it. */
function quoted(column: string, raw: string): string {
  return raw.length <= 40 && detectSecret(column, raw) === null ? ` (got "${raw}")` : '';
}

function secretProblems(at: SourceLocation, fields: Pairs): Problem[] {
  return fields.flatMap(([column, value]) => {
    const kind = detectSecret(column, value);
    return kind === null ? [] : [{ at, field: column, message: `looks like ${secretKindDescriptions[kind]}; refused and not stored (value withheld)` }];
  });
}

interface Credential {
  readonly slot: CredentialSlot;
  readonly active: boolean;
  readonly rotatedAt: string | undefined;
  readonly usedAt: string | undefined;
  readonly service: string | undefined;
}

// Read as true or false, so they can hide no secret.
const flagColumns = new Set(['password_enabled', ...credentialSlots.map((s) => s.activeColumn)]);

/** Where one credential slot's columns are in a header. */
interface SlotColumns {
  readonly slot: CredentialSlot;
  readonly active: number;
  readonly rotated: number;
  readonly used: number;
  readonly service: number;
}

/**
 * What a header says about reading its rows, worked out once per header: where each column the rows are read by
 * is, and for every column whether it is a flag, the slot whose identity keeps it, and the slot whose columns it
 * belongs to (by prefix), so a row is read by index rather than by name.
 */
interface RowLayout {
  readonly user: number;
  readonly arn: number;
  readonly passwordEnabled: number;
  readonly slots: readonly SlotColumns[];
  readonly isFlag: readonly boolean[];
  /** The slot (an index into credentialSlots) whose identity keeps the column; -1 for none, -2 for the user (every identity keeps it). */
  readonly keptBy: readonly number[];
  /** The slot whose columns it is (`access_key_1_last_used_region`); -1 for a column of the user's. */
  readonly partOf: readonly number[];
}

const layouts = new WeakMap<ReportHeader, RowLayout>();

function layoutOf(header: ReportHeader): RowLayout {
  let layout = layouts.get(header);
  if (layout !== undefined) return layout;
  const indexOf = (column: string | undefined) => (column === undefined ? -1 : (header.index.get(column) ?? -1));
  const { columns } = header;
  layout = {
    user: indexOf('user'),
    arn: indexOf('arn'),
    passwordEnabled: indexOf('password_enabled'),
    slots: credentialSlots.map((slot) => ({
      slot,
      active: indexOf(slot.activeColumn),
      rotated: indexOf(slot.rotatedColumn),
      used: indexOf(slot.usedColumn),
      service: indexOf(slot.serviceColumn),
    })),
    isFlag: columns.map((column) => flagColumns.has(column)),
    keptBy: columns.map((column) => (column === 'user' ? -2 : credentialSlots.findIndex((s) => s.keptColumns.includes(column)))),
    partOf: columns.map((column) => credentialSlots.findIndex((s) => column.startsWith(`${s.prefix}_`))),
  };
  layouts.set(header, layout);
  return layout;
}

/** The field at `index` of a record; '' when the header has no such column. */
function fieldAt(fields: readonly string[], index: number): string {
  return index < 0 ? '' : (fields[index] ?? '');
}

/** A true/false column; the sentinels count as false (root's `not_supported`). Anything else is a problem. */
function flag(fields: readonly string[], index: number, column: string, at: SourceLocation, problems: Problem[]): boolean {
  const field = fieldAt(fields, index);
  // As the report writes them, without trimming or lower-casing.
  if (field === 'true') return true;
  if (field === 'false') return false;
  const raw = field.trim();
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false' || sentinels.has(lower)) return false;
  problems.push({ at, field: column, message: `must be true or false${quoted(column, raw)}` });
  return false;
}

/** The access keys and certificates of a row that exist: active, or dated (a deactivated key keeps its dates). */
function credentialsOf(layout: RowLayout, fields: readonly string[], at: SourceLocation, problems: Problem[]): Credential[] {
  const credentials: Credential[] = [];
  for (const { slot, active: activeIndex, rotated, used, service: serviceIndex } of layout.slots) {
    const active = flag(fields, activeIndex, slot.activeColumn, at, problems);
    const rotatedAt = valueOf(fieldAt(fields, rotated));
    const usedAt = slot.usedColumn === undefined ? undefined : valueOf(fieldAt(fields, used));
    const service = slot.serviceColumn === undefined ? undefined : valueOf(fieldAt(fields, serviceIndex));
    if (active || rotatedAt !== undefined || usedAt !== undefined) credentials.push({ slot, active, rotatedAt, usedAt, service });
  }
  return credentials;
}

/** The row's values worth a secret check: every one but the flags and the blanks and sentinels. */
function valuesOf(header: ReportHeader, layout: RowLayout, fields: readonly string[]): Pairs {
  const values: Array<readonly [string, string]> = [];
  header.columns.forEach((column, i) => {
    const value = fields[i] ?? '';
    if (!layout.isFlag[i] && valueOf(value) !== undefined) values.push([column, value]);
  });
  return values;
}

/**
 * The values no identity of the row keeps (the user is in every ref and name), each given to the identity of the
 * credential whose columns it belongs to, and the rest (the ARN, the user's own columns, a credential's that does
 * not exist) to the first: in column order, as `unmapped` of each identity.
 */
function unkeptValues(header: ReportHeader, layout: RowLayout, fields: readonly string[], credentials: readonly Credential[]): Pairs[] {
  const place = new Array<number>(credentialSlots.length).fill(-1);
  credentials.forEach((credential, i) => (place[credentialSlots.indexOf(credential.slot)] = i));
  const unmapped = credentials.map((): Array<readonly [string, string]> => []);
  const { columns } = header;
  for (let i = 0; i < columns.length; i += 1) {
    if (layout.isFlag[i]) continue;
    const keptBy = layout.keptBy[i] ?? -1;
    if (keptBy === -2 || (keptBy >= 0 && (place[keptBy] ?? -1) >= 0)) continue;
    const value = fields[i] ?? '';
    if (valueOf(value) === undefined) continue;
    const partOf = layout.partOf[i] ?? -1;
    const owner = partOf >= 0 ? (place[partOf] ?? -1) : -1;
    unmapped[owner >= 0 ? owner : 0]?.push([columns[i] ?? '', value]);
  }
  return unmapped;
}

/** A row that makes identities: what they are read from. */
interface IdentityRow {
  readonly header: ReportHeader;
  readonly layout: RowLayout;
  readonly fields: readonly string[];
  readonly at: SourceLocation;
  readonly account: string;
  readonly user: string;
  readonly arn: string;
  readonly credentials: readonly Credential[];
}

/** The identities of a row, one per credential, in slot order. */
function identityEntries(row: IdentityRow): RawEntry[] {
  const { header, layout, fields, at, account, user, arn, credentials } = row;
  // The user is kept in refs and names; the ARN only in source keys, which the core does not check, so it rides along.
  const unmapped = unkeptValues(header, layout, fields, credentials);
  return credentials.map((credential, i) => identityEntry(account, user, arn, credential, at, unmapped[i] ?? []));
}

/**
 * The version of what this reading makes of a report row: in the fingerprint of every identity it prepares, so that
 * when it changes, identities stored by the old reading no longer match and are built, checked and written again.
 * Bump it with any change to what a row becomes (a test pins the files that decide it, and says so).
 */
export const rowReadingVersion = 1;
const reading = `${formatName}/${rowReadingVersion}`;

/**
 * An identity named and fingerprinted by its row, built from it only when the store asks: an identity that comes
 * back as it was stored costs the reading of its row and one lookup. Its fingerprint covers the whole row, so a
 * change to any field of the row has each of its identities built and checked again.
 */
class PreparedIdentity implements PreparedItemEntry {
  readonly type = 'prepared';
  readonly kind = 'identity';
  readonly sourceKey: string;
  readonly ref: string;
  readonly fingerprint: string;

  constructor(
    private readonly row: IdentityRow,
    private readonly index: number,
  ) {
    const { slot } = row.credentials[index] as Credential;
    this.sourceKey = sourceKeyOf(row.arn, slot);
    this.ref = refOf(row.account, row.user, slot).trim();
    this.fingerprint = fingerprintRecord(reading, row.header.columns, slot.prefix, row.fields);
  }

  build(): RawEntry {
    return identityEntries(this.row)[this.index] as RawEntry;
  }
}

function preparedIdentities(row: IdentityRow): PreparedIdentity[] {
  return row.credentials.map((_credential, i) => new PreparedIdentity(row, i));
}

/**
 * The entries of one data row: an identity per access key or signing certificate that exists, a warning for the
 * root row, and a note for each key held by a console user. The values no entry keeps ride along as `unmapped`
 * so the core refuses a pasted secret; a row with no entry to carry them is checked here. The identities are what
 * `identities` makes of the row: built, or prepared.
 */
function readRow<T>(header: ReportHeader, fields: readonly string[], at: SourceLocation, identities: (row: IdentityRow) => T[]): Array<Entry | T> {
  const layout = layoutOf(header);
  const problems: Problem[] = [];
  const user = fieldAt(fields, layout.user).trim();
  const arn = fieldAt(fields, layout.arn).trim();
  const account = accountOfArn(arn);
  if (account === undefined) problems.push({ at, field: 'arn', message: `is not an IAM user or root ARN${quoted('arn', arn)}` });
  const consoleUser = flag(fields, layout.passwordEnabled, 'password_enabled', at, problems);
  const credentials = credentialsOf(layout, fields, at, problems);

  if (problems.length > 0 || account === undefined) {
    const unreported = valuesOf(header, layout, fields).filter(([column]) => !problems.some((p) => p.field === column));
    return [{ type: 'invalid', at, problems: [...problems, ...secretProblems(at, unreported)] }];
  }
  if (user === '<root_account>' || arn.endsWith(':root'))
    return [rootFinding(arn, account, credentials, at, valuesOf(header, layout, fields).filter(([column]) => column !== 'arn'))];
  if (credentials.length === 0) {
    const secrets = secretProblems(at, valuesOf(header, layout, fields));
    return secrets.length > 0 ? [{ type: 'invalid', at, problems: secrets }] : [];
  }

  const entries: Array<Entry | T> = identities({ header, layout, fields, at, account, user, arn, credentials });
  if (consoleUser) for (const c of credentials) entries.push(consoleUserFinding(account, user, arn, c.slot, at));
  return entries;
}

/** The entries of one data row (see readRow). */
export function reportRowEntries(header: ReportHeader, fields: readonly string[], at: SourceLocation): Entry[] {
  return readRow(header, fields, at, identityEntries);
}

/** The same entries, the identities prepared: named and fingerprinted by their row, built when the store asks. */
export function preparedRowEntries(header: ReportHeader, fields: readonly string[], at: SourceLocation): Array<Entry | PreparedItemEntry> {
  return readRow<PreparedItemEntry>(header, fields, at, preparedIdentities);
}

function refOf(account: string, user: string, slot: CredentialSlot): string {
  return `aws/${account}/${user}/${slot.slug}`;
}

function sourceKeyOf(arn: string, slot: CredentialSlot): string {
  return `${arn}#${slot.prefix}`;
}

function identityEntry(
  account: string,
  user: string,
  arn: string,
  credential: Credential,
  at: SourceLocation,
  unmapped: Pairs,
): RawEntry {
  const { slot, rotatedAt } = credential;
  return {
    type: 'identity',
    at,
    sourceKey: sourceKeyOf(arn, slot),
    labels: slot.labels,
    unmapped,
    data: {
      ref: refOf(account, user, slot),
      name: `${user} ${slot.title}`,
      identityKind: slot.identityKind,
      provider: 'aws',
      // AWS cannot rotate a key in place: rotating creates a new key, so this key's last rotation is its creation.
      // A bad date is left to lastRotatedAt alone, so the problem is reported once.
      createdAt: rotatedAt !== undefined && normaliseIsoTime(rotatedAt) !== null ? rotatedAt : undefined,
      lastRotatedAt: rotatedAt,
      lastUsedAt: credential.usedAt,
      lastUsedService: credential.service,
      status: credential.active ? 'active' : 'disabled',
    },
  };
}

function rootFinding(arn: string, account: string, credentials: readonly Credential[], at: SourceLocation, unmapped: Pairs): RawEntry {
  const active = credentials.filter((c) => c.active).map((c) => c.slot.title);
  const inactive = credentials.filter((c) => !c.active).map((c) => c.slot.title);
  const advice =
    active.length > 0
      ? ` CRITICAL: the root user has an active ${active.join(', ')}; root should have no access keys or signing certificates: delete ${active.length > 1 ? 'them' : 'it'}.`
      : inactive.length > 0
        ? ` The root user still has an inactive ${inactive.join(', ')}; root should have none: delete ${inactive.length > 1 ? 'them' : 'it'}.`
        : ' It has no access key or signing certificate, as it should.';
  return {
    type: 'finding',
    at,
    sourceKey: arn,
    unmapped,
    data: {
      severity: 'warning',
      code: 'aws_root_account',
      subject: arn,
      message: `The root user of AWS account ${account} is in the credential report; it is not a machine identity, so it is not inventoried.${advice}`,
    },
  };
}

function consoleUserFinding(account: string, user: string, arn: string, slot: CredentialSlot, at: SourceLocation): RawEntry {
  return {
    type: 'finding',
    at,
    sourceKey: sourceKeyOf(arn, slot),
    data: {
      severity: 'info',
      code: 'aws_key_on_console_user',
      subject: refOf(account, user, slot),
      message: `${user} signs in to the console with a password and also holds ${slot.title}: a machine credential in a person's hands (OWASP NHI10). Give the workload its own IAM user or role.`,
    },
  };
}
