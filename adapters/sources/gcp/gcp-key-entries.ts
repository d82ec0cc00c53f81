import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import { invalidEntry } from '../json/invalid-entry.js';
import { unmappedFields, type JsonObject } from '../json/json-values.js';
import { fieldLinesOf, type JsonFile } from '../json/read-json-file.js';
import { childPath } from '../json/scan-json.js';
import { statusFromDisabled } from './gcp-status.js';

const keyName = /^projects\/([^/]+)\/serviceAccounts\/([^/]+)\/keys\/([^/]+)$/;

// GCP writes this for "never expires" (FORMATS.md §3, §10); it is no date to store.
const noExpiry = /^9999-12-31/;

// Read below; everything else, `privateKeyData` included, goes to the secret check and is dropped.
const mappedFields = new Set(['name', 'validAfterTime', 'validBeforeTime', 'keyType', 'disabled']);

export interface KeyName {
  readonly project: string;
  readonly email: string;
  readonly keyId: string;
}

/** The parts of `projects/<project>/serviceAccounts/<email>/keys/<key id>`. */
export function parseKeyName(name: unknown): KeyName | undefined {
  const match = typeof name === 'string' ? keyName.exec(name) : null;
  if (!match) return undefined;
  const [, project = '', email = '', keyId = ''] = match;
  return { project, email, keyId };
}

/** Steward's ref for a key: short enough to read, and GCP key ids are random, so 12 hex digits do not collide. */
export function gcpKeyRef(email: string, keyId: string): string {
  return `gcp/${email}/keys/${keyId.slice(0, 12)}`;
}

/**
 * One USER_MANAGED ServiceAccountKey as an api_key identity acting as its service account: a downloadable
 * private key is a credential of its own, with its own lifetime and owner. A key that never expires is also
 * reported as a long-lived secret (OWASP NHI7).
 */
export function gcpKeyEntries(key: JsonObject, path: string, json: JsonFile): Array<RawEntry | InvalidEntry> {
  const field = (name: string) => childPath(path, name);
  const at = json.at(path);
  const parts = parseKeyName(key.name);
  if (parts === undefined) return [invalidEntry(json.at(field('name')), field('name'), 'is not projects/<project>/serviceAccounts/<email>/keys/<key id>')];
  const status = statusFromDisabled(key.disabled, json.at(field('disabled')), field('disabled'));
  if (typeof status !== 'string') return [status];
  const ref = gcpKeyRef(parts.email, parts.keyId);
  const neverExpires = typeof key.validBeforeTime === 'string' && noExpiry.test(key.validBeforeTime);
  const labels = {
    ref: field('name'),
    name: field('name'),
    links: field('name'),
    createdAt: field('validAfterTime'),
    expiresAt: field('validBeforeTime'),
    status: field('disabled'),
  };
  const unmapped = unmappedFields(key, path, mappedFields);
  const identity: RawEntry = {
    type: 'identity',
    at,
    sourceKey: key.name as string,
    labels,
    fieldLines: fieldLinesOf(json, labels, unmapped),
    unmapped,
    data: {
      ref,
      name: `${parts.email} key ${parts.keyId.slice(0, 12)}`,
      identityKind: 'api_key',
      provider: 'gcp',
      createdAt: key.validAfterTime,
      expiresAt: neverExpires ? undefined : key.validBeforeTime,
      status,
      links: [{ relation: 'acts_as', kind: 'identity', ref: parts.email }],
    },
  };
  if (!neverExpires) return [identity];
  const finding: RawEntry = {
    type: 'finding',
    at: json.at(field('validBeforeTime')),
    sourceKey: `${ref}#no-expiry`,
    data: {
      severity: 'warning',
      code: 'gcp_key_without_expiry',
      subject: ref,
      message: `key ${parts.keyId.slice(0, 12)} of ${parts.email} never expires: a long-lived secret (OWASP NHI7); rotate it and prefer keys with an expiry or keyless auth`,
    },
  };
  return [identity, finding];
}
