import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRulesVersion, fingerprintEntry, fingerprintRecord } from '../../../src/inventory/entry-fingerprint.js';
import type { RawEntry } from '../../../src/inventory/import-entry.js';
import { apiEntry, identityEntry } from '../../support/entries.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const key = () => identityEntry({ ref: 'ci-key', identityKind: 'api_key', scopes: ['deploy:read'], owner: { team: 'payments', accountable: 'ana@acme.example' } }, { labels: { ref: 'ref', scopes: 'scopes' } });

describe('fingerprintEntry', () => {
  it('when two entries hold the same content, then they have one fingerprint, wherever they were read', () => {
    const moved: RawEntry = { ...key(), at: { file: 'other.csv', line: 99 }, fieldLines: { ref: 7 } };
    expect(fingerprintEntry(moved)).toBe(fingerprintEntry(key()));
    expect(fingerprintEntry(key())).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each<[string, (entry: ReturnType<typeof key>) => RawEntry]>([
    ['a fact', (e) => ({ ...e, data: { ...e.data, purpose: 'CI deploys' } })],
    ['an owner', (e) => ({ ...e, data: { ...e.data, owner: { team: 'payments', accountable: 'ben@acme.example' } } })],
    ['a list item', (e) => ({ ...e, data: { ...e.data, scopes: ['deploy:write'] } })],
    ['the split of a list', (e) => ({ ...e, data: { ...e.data, scopes: ['deploy:', 'read'] } })],
    ['the source key', (e) => ({ ...e, sourceKey: 'identity:ci-key-2' })],
    ['the type', (e) => ({ ...apiEntry({ ref: 'ci-key' }), sourceKey: e.sourceKey, labels: e.labels })],
    ['a field name (which decides what counts as a secret)', (e) => ({ ...e, labels: { ref: 'ref', scopes: 'api_key' } })],
    ['a field not kept (still checked for secrets)', (e) => ({ ...e, unmapped: [['notes', 'rotate yearly']] })],
    ['a blank field for an absent one', (e) => ({ ...e, data: { ...e.data, purpose: '' } })],
    ['null for an absent field', (e) => ({ ...e, data: { ...e.data, purpose: null } })],
  ])('when %s differs, then the fingerprint differs', (_what, change) => {
    expect(fingerprintEntry(change(key()))).not.toBe(fingerprintEntry(key()));
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['a date', new Date('2027-01-01T00:00:00Z')],
    ['a map', new Map()],
  ])('when a value is %s (not text), then the entry has no fingerprint and is always checked', (_what, value) => {
    expect(fingerprintEntry({ ...key(), data: { ...key().data, expiresAt: value } })).toBeNull();
  });
});

describe('fingerprintRecord', () => {
  const columns = ['user', 'arn', 'access_key_1_active'];
  const record = (): [string, readonly string[], string, readonly string[]] => ['reading/1', columns, 'access_key_1', ['svc-ci', 'arn:aws:iam::123456789012:user/svc-ci', 'true']];

  it('when a record is read again, under its columns named alike, then it has the same fingerprint', () => {
    const [reading, , part, fields] = record();
    expect(fingerprintRecord(...record())).toBe(fingerprintRecord(reading, [...columns], part, [...fields]));
    expect(fingerprintRecord(...record())).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each<[string, (r: ReturnType<typeof record>) => ReturnType<typeof record>]>([
    ['the reading (its version)', ([, c, p, f]) => ['reading/2', c, p, f]],
    ['a column name', ([r, , p, f]) => [r, ['user', 'arn', 'access_key_2_active'], p, f]],
    ['the order of the columns', ([r, , p, f]) => [r, ['arn', 'user', 'access_key_1_active'], p, f]],
    ['the part of the record the entry is', ([r, c, , f]) => [r, c, 'access_key_2', f]],
    ['a field', ([r, c, p, f]) => [r, c, p, [...f.slice(0, 2), 'false']]],
    ['a field padded', ([r, c, p, f]) => [r, c, p, [` ${f[0] ?? ''}`, ...f.slice(1)]]],
    ['the split between two fields', ([r, c, p]) => [r, c, p, ['svc-ci,arn:aws:iam::123456789012:user/svc-ci', '', 'true']]],
    ['an extra blank field', ([r, c, p, f]) => [r, c, p, [...f, '']]],
  ])('when %s differs, then the fingerprint differs', (_what, change) => {
    expect(fingerprintRecord(...change(record()))).not.toBe(fingerprintRecord(...record()));
  });
});

describe('checkRulesVersion', () => {
  // The files whose rules decide what an import accepts and what it makes of an entry. An entry stored under the old
  // rules and brought again unchanged is not checked again unless the version changes.
  const ruleFiles = ['src/inventory/check-entries.ts', 'src/inventory/import-entry.ts', 'src/inventory/iso-time.ts', 'src/inventory/well-formed-text.ts', 'src/secrets/detect-secret.ts'];
  const pinned = { version: 1, digest: 'c77fd4f2a906c60a' };

  it('when the check rules change, then the version is bumped (or this digest is updated for a change that accepts the same)', () => {
    const hash = createHash('sha256');
    for (const file of ruleFiles) hash.update(fs.readFileSync(path.join(root, file), 'utf8').replaceAll('\r\n', '\n'));
    const digest = hash.digest('hex').slice(0, 16);
    const advice =
      `${ruleFiles.join(', ')} changed. If what an import accepts or stores changed (a new secret pattern, a field rule, a ` +
      `normalisation), bump checkRulesVersion in src/inventory/entry-fingerprint.ts so unchanged entries are checked again; ` +
      `either way, set this test's pinned digest to ${digest} (and its version to checkRulesVersion).`;
    expect({ version: checkRulesVersion, digest }, advice).toEqual(pinned);
  });
});
