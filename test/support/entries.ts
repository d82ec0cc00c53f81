import type { RawEntry } from '../../src/inventory/import-entry.js';
import type { SourceSnapshot } from '../../src/inventory/import-inventory.js';

/*
 * Small factories for the raw entries importers hand to the core. Each builds a valid entry by default;
 * a test overrides only the fields it is about.
 */

type EntryOf<T extends RawEntry['type']> = Extract<RawEntry, { type: T }>;
type DataOf<T extends RawEntry['type']> = EntryOf<T>['data'];

/** Everything on an entry beside its data: where it came from and how its source names fields. */
export type EntryExtras = Partial<Pick<RawEntry, 'at' | 'sourceKey' | 'labels' | 'fieldLines' | 'unmapped'>>;

const defaultAt = { file: 'inventory.csv', line: 2 };

export function apiEntry(data: DataOf<'api'> = {}, extras: EntryExtras = {}): EntryOf<'api'> {
  const ref = typeof data.ref === 'string' ? data.ref : 'payments-api';
  return { type: 'api', at: defaultAt, sourceKey: `api:${ref}`, ...extras, data: { ref, name: ref, ...data } };
}

export function identityEntry(data: DataOf<'identity'> = {}, extras: EntryExtras = {}): EntryOf<'identity'> {
  const ref = typeof data.ref === 'string' ? data.ref : 'svc-ci-deploy';
  return {
    type: 'identity',
    at: defaultAt,
    sourceKey: `identity:${ref}`,
    ...extras,
    data: { ref, name: ref, identityKind: 'service_account', provider: 'aws', ...data },
  };
}

export function teamEntry(slug: string, data: DataOf<'team'> = {}, extras: EntryExtras = {}): EntryOf<'team'> {
  return { type: 'team', at: defaultAt, sourceKey: `group:${slug}`, ...extras, data: { slug, ...data } };
}

export function personEntry(email: string, data: DataOf<'person'> = {}, extras: EntryExtras = {}): EntryOf<'person'> {
  return { type: 'person', at: defaultAt, sourceKey: `user:${email}`, ...extras, data: { email, ...data } };
}

export function suggestionEntry(itemRef: string, data: DataOf<'suggestion'> = {}): EntryOf<'suggestion'> {
  return {
    type: 'suggestion',
    at: { file: 'CODEOWNERS', line: 1 },
    sourceKey: `api:${itemRef}`,
    data: { itemKind: 'api', itemRef, owners: ['@acme/payments'], team: 'payments', reason: 'CODEOWNERS line 1', ...data },
  };
}

export function findingEntry(subject: string, data: DataOf<'finding'> = {}): EntryOf<'finding'> {
  return {
    type: 'finding',
    at: { file: 'credential-report.csv', line: 2 },
    sourceKey: `finding:${subject}`,
    data: { severity: 'warning', code: 'aws_root_credentials', subject, message: 'the root account has an access key', ...data },
  };
}

/** One source's whole snapshot. */
export function snapshot(source: string, entries: SourceSnapshot['entries'], format = 'test'): SourceSnapshot {
  return { source, format, entries };
}
