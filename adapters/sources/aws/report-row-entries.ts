import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import { normaliseIsoTime } from '../../../src/inventory/iso-time.js';
import type { Problem, SourceLocation } from '../../../src/inventory/source-location.js';
import { detectSecret, secretKindDescriptions } from '../../../src/secrets/detect-secret.js';
import { credentialSlots, fieldOf, type CredentialSlot, type ReportHeader } from './report-header.js';

type Entry = RawEntry | InvalidEntry;
type Pairs = ReadonlyArray<readonly [column: string, value: string]>;

// The report writes these where it has no value; none is a date, and none may become epoch.
const sentinels = new Set(['n/a', 'no_information', 'not_supported']);

const iamArn = /^arn:aws[a-z-]*:iam::(\d{12}):(?:root|user\/\S+)$/;

/** The account an IAM user or root ARN belongs to, or undefined when `arn` is not one. */
export function accountOfArn(arn: string): string | undefined {
  return iamArn.exec(arn.trim())?.[1];
}

function valueOf(raw: string): string | undefined {
  const value = raw.trim();
  return value === '' || sentinels.has(value.toLowerCase()) ? undefined : value;
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

/** A true/false column; the sentinels count as false (root's `not_supported`). Anything else is a problem. */
function flag(header: ReportHeader, fields: readonly string[], column: string, at: SourceLocation, problems: Problem[]): boolean {
  const raw = fieldOf(header, fields, column).trim();
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false' || sentinels.has(lower)) return false;
  problems.push({ at, field: column, message: `must be true or false${quoted(column, raw)}` });
  return false;
}

/** The access keys and certificates of a row that exist: active, or dated (a deactivated key keeps its dates). */
function credentialsOf(header: ReportHeader, fields: readonly string[], at: SourceLocation, problems: Problem[]): Credential[] {
  const credentials: Credential[] = [];
  for (const slot of credentialSlots) {
    const active = flag(header, fields, slot.activeColumn, at, problems);
    const rotatedAt = valueOf(fieldOf(header, fields, slot.rotatedColumn));
    const usedAt = slot.usedColumn === undefined ? undefined : valueOf(fieldOf(header, fields, slot.usedColumn));
    const service = slot.serviceColumn === undefined ? undefined : valueOf(fieldOf(header, fields, slot.serviceColumn));
    if (active || rotatedAt !== undefined || usedAt !== undefined) credentials.push({ slot, active, rotatedAt, usedAt, service });
  }
  return credentials;
}

// Read as true or false, so they can hide no secret.
const flagColumns = new Set(['password_enabled', ...credentialSlots.map((s) => s.activeColumn)]);

/** The row's values worth a secret check: every one but the flags and the blanks and sentinels. */
function valuesOf(header: ReportHeader, fields: readonly string[]): Pairs {
  const values: Array<readonly [string, string]> = [];
  header.columns.forEach((column, i) => {
    const value = fields[i] ?? '';
    if (!flagColumns.has(column) && valueOf(value) !== undefined) values.push([column, value]);
  });
  return values;
}

/** The credential whose columns `column` belongs to, by prefix (`access_key_1_last_used_region`). */
function credentialOf(credentials: readonly Credential[], column: string): Credential | undefined {
  return credentials.find((c) => column.startsWith(`${c.slot.prefix}_`));
}

/**
 * The entries of one data row: an identity per access key or signing certificate that exists, a warning for the
 * root row, and a note for each key held by a console user. The values no entry keeps ride along as `unmapped`
 * so the core refuses a pasted secret; a row with no entry to carry them is checked here.
 */
export function reportRowEntries(header: ReportHeader, fields: readonly string[], at: SourceLocation): Entry[] {
  const problems: Problem[] = [];
  const user = fieldOf(header, fields, 'user').trim();
  const arn = fieldOf(header, fields, 'arn').trim();
  const account = accountOfArn(arn);
  if (account === undefined) problems.push({ at, field: 'arn', message: `is not an IAM user or root ARN${quoted('arn', arn)}` });
  const consoleUser = flag(header, fields, 'password_enabled', at, problems);
  const credentials = credentialsOf(header, fields, at, problems);
  const values = valuesOf(header, fields);

  if (problems.length > 0 || account === undefined) {
    const unreported = values.filter(([column]) => !problems.some((p) => p.field === column));
    return [{ type: 'invalid', at, problems: [...problems, ...secretProblems(at, unreported)] }];
  }
  if (user === '<root_account>' || arn.endsWith(':root'))
    return [rootFinding(arn, account, credentials, at, values.filter(([column]) => column !== 'arn'))];
  if (credentials.length === 0) {
    const secrets = secretProblems(at, values);
    return secrets.length > 0 ? [{ type: 'invalid', at, problems: secrets }] : [];
  }

  // The user is kept in refs and names; the ARN only in source keys, which the core does not check, so it rides along.
  const kept = new Set(['user', ...credentials.flatMap((c) => c.slot.keptColumns)]);
  const unkept = values.filter(([column]) => !kept.has(column));
  const entries: Entry[] = credentials.map((credential, i) => {
    const unmapped = unkept.filter(([column]) => {
      const owner = credentialOf(credentials, column);
      return owner === credential || (i === 0 && owner === undefined);
    });
    return identityEntry(account, user, arn, credential, at, unmapped);
  });
  if (consoleUser) entries.push(...credentials.map((c) => consoleUserFinding(account, user, arn, c.slot, at)));
  return entries;
}

function refOf(account: string, user: string, slot: CredentialSlot): string {
  return `aws/${account}/${user}/${slot.slug}`;
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
    sourceKey: `${arn}#${slot.prefix}`,
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
    sourceKey: `${arn}#${slot.prefix}`,
    data: {
      severity: 'info',
      code: 'aws_key_on_console_user',
      subject: refOf(account, user, slot),
      message: `${user} signs in to the console with a password and also holds ${slot.title}: a machine credential in a person's hands (OWASP NHI10). Give the workload its own IAM user or role.`,
    },
  };
}
