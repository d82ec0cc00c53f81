import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCredentialReport } from '../../../adapters/sources/aws/aws-credential-report.js';
import type { ReadSourceOptions } from '../../../adapters/sources/source-format.js';
import { InputError } from '../../../src/errors.js';
import { formatProblem } from '../../../src/inventory/source-location.js';
import type { Identity } from '../../../src/model/index.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { sharedFixture, sharedFixturesAvailable } from '../../support/fixtures.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';

const fixture = sharedFixture('aws', 'credential-report.csv');
const account = '123456789012';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-aws-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The AWS documentation's example secret access key: 40 characters, as a real one.
const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function read(paths: string[], options: ReadSourceOptions = {}) {
  return awsCredentialReport.read(paths, options, { apiCodePaths: [] });
}

function entriesOf(file: string) {
  const [snapshot] = read([file]);
  return [...(snapshot?.entries ?? [])];
}

async function importFile(store: SqliteStore, file: string, options: ReadSourceOptions = {}) {
  return importSnapshots(store, read([file], options));
}

let variants = 0;
/** Writes a variant of the fixture to the temp dir; the fixture has no quoted fields, so commas split it. */
function variant(transform: (text: string) => string): string {
  const file = path.join(tmp, `report-${(variants += 1)}.csv`);
  fs.writeFileSync(file, transform(fs.readFileSync(fixture, 'utf8')));
  return file;
}

/** The fixture with one field of one user's row replaced; fails loudly when the row or column is not there. */
function withField(user: string, column: string, value: string): string {
  return variant((text) => {
    const lines = text.split('\n');
    const index = (lines[0] ?? '').split(',').indexOf(column);
    const row = lines.findIndex((line) => line.startsWith(`${user},`));
    if (index === -1 || row === -1) throw new Error(`no ${column} for ${user} in the fixture`);
    const fields = (lines[row] ?? '').split(',');
    fields[index] = value;
    lines[row] = fields.join(',');
    return lines.join('\n');
  });
}

async function identity(store: SqliteStore, ref: string): Promise<Identity> {
  const detail = await store.getItemDetail('identity', ref);
  if (detail?.item.kind !== 'identity') throw new Error(`${ref} is not stored`);
  return detail.item;
}

const ref = (user: string, slot: string) => `aws/${account}/${user}/${slot}`;

describe.skipIf(!sharedFixturesAvailable)('aws-credential-report (needs ../shared/fixtures; skipped without it)', () => {
  describe('the identities stored', () => {
    it('when the fixture is imported, then each access key and signing certificate that exists is one identity', async () => {
      const store = memoryStore();
      const report = await importFile(store, fixture);
      expect(report.applied).toBe(true);
      expect(report.sources[0]?.identities).toEqual({ created: 8, updated: 0, unchanged: 0, vanished: 0, reappeared: 0 });
      const { items } = await store.listItems({ kind: 'identity' });
      expect(items.map((i) => i.ref).sort()).toEqual(
        [
          ref('alice.nguyen', 'access-key-1'),
          ref('svc-ci-deploy', 'access-key-1'),
          ref('svc-terraform', 'access-key-1'),
          ref('svc-terraform', 'access-key-2'),
          ref('svc-legacy-backup', 'access-key-1'),
          ref('svc-analytics-export', 'access-key-1'),
          ref('svc-reporting', 'access-key-1'),
          ref('legacy-soap-client', 'cert-1'),
        ].sort(),
      );
    });

    it.each([
      ['alice.nguyen', 'access-key-1', 'active'],
      ['svc-terraform', 'access-key-2', 'active'],
      ['legacy-soap-client', 'cert-1', 'active'],
      // Deactivated, yet the report still shows its rotation and last use: it exists, disabled.
      ['svc-reporting', 'access-key-1', 'disabled'],
    ])('when %s %s is read, then its status is %s', async (user, slot, status) => {
      const store = memoryStore();
      await importFile(store, fixture);
      expect((await identity(store, ref(user, slot))).status).toBe(status);
    });

    it('when a key is imported, then its times are ISO UTC, its creation is its last rotation, and it has no owner', async () => {
      const store = memoryStore();
      await importFile(store, fixture);
      const detail = await store.getItemDetail('identity', ref('svc-terraform', 'access-key-2'));
      expect(detail?.item).toMatchObject({
        name: 'svc-terraform access key 2',
        identityKind: 'api_key',
        provider: 'aws',
        createdAt: '2025-05-29T10:00:00.000Z',
        lastRotatedAt: '2025-05-29T10:00:00.000Z',
        lastUsedAt: '2025-06-02T05:59:00.000Z',
        lastUsedService: 'sts',
        purpose: null,
        owner: { team: null, accountable: null },
        provenance: { source: `aws:${account}`, sourceKey: `arn:aws:iam::${account}:user/ci/svc-terraform#access_key_2` },
      });
    });

    it('when a key was never used, then it has no last-used time or service', async () => {
      const store = memoryStore();
      await importFile(store, fixture);
      expect(await identity(store, ref('svc-analytics-export', 'access-key-1'))).toMatchObject({
        createdAt: '2025-04-22T14:18:31.000Z',
        lastUsedAt: null,
        lastUsedService: null,
      });
    });

    it('when a key was last used on a service without a region, then its service is kept', async () => {
      const store = memoryStore();
      await importFile(store, fixture);
      expect(await identity(store, ref('svc-legacy-backup', 'access-key-1'))).toMatchObject({
        lastUsedAt: '2021-09-13T03:00:00.000Z',
        lastUsedService: 's3',
      });
    });

    it('when a user holds a signing certificate, then it is a certificate identity without use', async () => {
      const store = memoryStore();
      await importFile(store, fixture);
      expect(await identity(store, ref('legacy-soap-client', 'cert-1'))).toMatchObject({
        name: 'legacy-soap-client signing certificate 1',
        identityKind: 'certificate',
        createdAt: '2016-01-11T10:12:00.000Z',
        lastRotatedAt: '2016-01-11T10:12:00.000Z',
        lastUsedAt: null,
      });
    });

    it('when a user has no access key or certificate, then nothing is read from their row', () => {
      const bobLine = 4;
      expect(entriesOf(fixture).filter((entry) => entry.at.line === bobLine)).toEqual([]);
    });
  });

  describe('the findings reported', () => {
    it('when the root row is read, then it is a warning finding, not an identity', async () => {
      const store = memoryStore();
      const report = await importFile(store, fixture);
      const root = report.sources[0]?.findings.filter((f) => f.code === 'aws_root_account');
      expect(root).toEqual([
        expect.objectContaining({ severity: 'warning', subject: `arn:aws:iam::${account}:root`, at: { file: fixture, line: 2 } }),
      ]);
      expect(root?.[0]?.message).toMatch(/no access key or signing certificate/);
      expect((await store.listItems({})).items.some((i) => i.ref.includes('root'))).toBe(false);
    });

    it('when the root user has an active access key, then the finding says so and advises deleting it', async () => {
      const file = withField('<root_account>', 'access_key_1_active', 'true');
      const report = await importFile(memoryStore(), file);
      expect(report.sources[0]?.identities.created).toBe(8);
      const root = report.sources[0]?.findings.find((f) => f.code === 'aws_root_account');
      expect(root?.message).toMatch(/CRITICAL: the root user has an active access key 1.*delete it/);
    });

    it('when a console user holds a key, then an info finding names the key', async () => {
      const report = await importFile(memoryStore(), fixture);
      const onConsole = report.sources[0]?.findings.filter((f) => f.code === 'aws_key_on_console_user');
      expect(onConsole).toEqual([
        expect.objectContaining({ severity: 'info', subject: ref('alice.nguyen', 'access-key-1'), at: { file: fixture, line: 3 } }),
      ]);
    });
  });

  describe('re-imports and refusals', () => {
    it('when the same file is imported again, then everything is reported unchanged', async () => {
      const store = memoryStore();
      await importFile(store, fixture);
      const again = await importFile(store, fixture);
      expect(again.applied).toBe(true);
      expect(again.sources[0]?.identities).toEqual({ created: 0, updated: 0, unchanged: 8, vanished: 0, reappeared: 0 });
      expect(again.sources[0]?.ownershipChanges).toBe(0);
    });

    it('when one snapshot is imported as a dry run and then for real, then the file is read afresh each time', async () => {
      const store = memoryStore();
      const snapshots = read([fixture]);
      const dry = await importSnapshots(store, snapshots, { dryRun: true });
      const real = await importSnapshots(store, snapshots);
      expect([dry.sources[0]?.identities.created, real.sources[0]?.identities.created]).toEqual([8, 8]);
      expect(real.applied).toBe(true);
    });

    it.each([
      ['boolean', 'svc-ci-deploy', 'access_key_1_active', 'yes', 5, 'must be true or false (got "yes")'],
      ['console flag', 'bob.smith', 'password_enabled', 'maybe', 4, 'must be true or false (got "maybe")'],
      ['date', 'svc-terraform', 'access_key_2_last_rotated', 'last tuesday', 6, 'is not an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T09:00:00Z)'],
      ['last-used date', 'svc-ci-deploy', 'access_key_1_last_used_date', '2025-13-40T00:00:00+00:00', 5, 'is not an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T09:00:00Z)'],
    ])('when a copy has a bad %s, then nothing is written and the one problem names file:line and the column', async (_what, user, column, value, line, message) => {
      const store = memoryStore();
      await importFile(store, fixture);
      const before = await store.listItems({});
      const file = withField(user, column, value);
      const report = await importFile(store, file);
      expect(report.applied).toBe(false);
      expect(report.problems.map(formatProblem)).toEqual([`${file}:${line}: ${column}: ${message}`]);
      expect(await store.listItems({})).toEqual(before);
    });

    it.each([
      ['a column Steward does not keep', 'svc-ci-deploy', 'access_key_1_last_used_region', 5],
      ['a row that yields no identity', 'bob.smith', 'password_last_used', 4],
      ['the root row', '<root_account>', 'mfa_active', 2],
      ['a flag', 'svc-ci-deploy', 'access_key_2_active', 5],
    ])('when an AWS secret key is pasted into %s, then it is refused and its value appears nowhere in the report', async (_where, user, column, line) => {
      const store = memoryStore();
      const file = withField(user, column, awsSecret);
      const report = await importFile(store, file);
      expect(report.applied).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ at: { file, line }, field: column })]);
      expect(JSON.stringify(report)).not.toContain(awsSecret);
      expect((await store.listItems({})).total).toBe(0);
    });
  });

  describe('reading the file', () => {
    // Entries name their file; compare them with the file's name taken out.
    const normalised = (file: string) => JSON.stringify(entriesOf(file)).replaceAll(JSON.stringify(file).slice(1, -1), '<file>');

    it.each([
      ['CRLF line ends', (text: string) => text.replaceAll('\n', '\r\n')],
      ['a byte-order mark', (text: string) => `\uFEFF${text}`],
      ['a byte-order mark and CRLF line ends', (text: string) => `\uFEFF${text.replaceAll('\n', '\r\n')}`],
      ['no final line end', (text: string) => text.trimEnd()],
    ])('when the file has %s, then it reads the same', (_what, transform) => {
      const file = variant(transform);
      // Compared with the fixture, and the fixture is known to read: two empty readings must not pass as equal.
      expect(entriesOf(file).filter((e) => e.type === 'identity')).toHaveLength(8);
      expect(normalised(file)).toEqual(normalised(fixture));
    });

    // What an entry says, leaving out the values that ride along unchecked (which differ with the variant).
    const facts = (file: string) =>
      entriesOf(file)
        .map((entry) => (entry.type === 'invalid' ? entry : { type: entry.type, line: entry.at.line, sourceKey: entry.sourceKey, data: entry.data }))
        .map((entry) => JSON.stringify(entry))
        .sort();

    it('when the fixture is read, then it gives the entries the comparisons below rely on', () => {
      expect(facts(fixture).filter((f) => f.includes('"type":"identity"'))).toHaveLength(8);
      expect(facts(fixture).filter((f) => f.includes('"type":"finding"'))).toHaveLength(2);
    });

    it('when the columns come in another order, then the same identities and findings are read', () => {
      const reversed = variant((text) =>
        text
          .split('\n')
          .map((line) => line.split(',').reverse().join(','))
          .join('\n'),
      );
      expect(facts(reversed)).toEqual(facts(fixture));
    });

    it('when booleans are written TRUE and FALSE, as the AWS documentation does, then they read as true and false', () => {
      const capitals = variant((text) => text.replaceAll(',true', ',TRUE').replaceAll(',false', ',FALSE'));
      expect(facts(capitals)).toEqual(facts(fixture));
    });

    it('when blank lines are present, then they are skipped and lines still count from the file', () => {
      const file = variant((text) => text.replace('\nalice.nguyen,', '\n\n\nalice.nguyen,'));
      const entries = entriesOf(file);
      expect(entries.filter((e) => e.type === 'identity')).toHaveLength(8);
      expect(entries.find((e) => e.type !== 'invalid' && e.sourceKey === `arn:aws:iam::${account}:user/alice.nguyen#access_key_1`)?.at.line).toBe(5);
    });

    it('when required columns are missing, then one invalid entry at line 1 names each of them', () => {
      const file = variant((text) =>
        text
          .split('\n')
          .map((line) => line.split(',').filter((_field, i) => i !== 1 && i !== 20).join(','))
          .join('\n'),
      );
      const entries = entriesOf(file);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ type: 'invalid', at: { file, line: 1 } });
      const problems = entries[0]?.type === 'invalid' ? entries[0].problems : [];
      expect(problems.map((p) => p.field)).toEqual(['arn', 'cert_2_active']);
    });

    it('when a record has more fields than the header, then that line alone is refused', () => {
      const file = variant((text) => text.replace('\nbob.smith,', '\nbob.smith,extra,'));
      const entries = entriesOf(file);
      expect(entries.filter((e) => e.type === 'invalid')).toEqual([
        { type: 'invalid', at: { file, line: 4 }, problems: [{ at: { file, line: 4 }, field: null, message: 'has 23 fields, but the header has 22' }] },
      ]);
      expect(entries.filter((e) => e.type === 'identity')).toHaveLength(8);
    });

    it('when the file is empty, then the import is refused naming it', async () => {
      const file = path.join(tmp, 'empty.csv');
      fs.writeFileSync(file, '');
      const report = await importFile(memoryStore(), file);
      expect(report.applied).toBe(false);
      expect(report.problems.map(formatProblem)).toEqual([`${file}:1: the file is empty; expected an AWS IAM credential report`]);
    });
  });

  describe('naming the source', () => {
    it('when no source is given, then the source is aws:<account> from the ARNs', () => {
      expect(read([fixture]).map((s) => [s.source, s.format])).toEqual([[`aws:${account}`, 'aws-credential-report']]);
    });

    it('when --source is given, then it names the source', async () => {
      const report = await importFile(memoryStore(), fixture, { source: 'aws-prod' });
      expect(report.sources.map((s) => [s.source, s.identities.created])).toEqual([['aws-prod', 8]]);
    });

    it('when two files belong to the same account, then reading them throws an InputError naming both', () => {
      const copy = variant((text) => text);
      expect(() => read([fixture, copy])).toThrow(InputError);
      expect(() => read([fixture, copy])).toThrow(`${fixture} and ${copy} are both source aws:${account}`);
    });

    it('when two files are given one --source, then reading them throws an InputError naming both', () => {
      const other = variant((text) => text.replaceAll(account, '210987654321'));
      expect(() => read([fixture, other], { source: 'aws-prod' })).toThrow(`${fixture} and ${other} are both source aws-prod`);
    });

    it('when two files belong to different accounts, then each is its own source', () => {
      const other = variant((text) => text.replaceAll(account, '210987654321'));
      expect(read([fixture, other]).map((s) => s.source)).toEqual([`aws:${account}`, 'aws:210987654321']);
    });

    it('when no row has an IAM ARN, then the import is refused and says to name the source', async () => {
      const file = variant((text) => text.split('\n')[0] ?? '');
      const report = await importFile(memoryStore(), file);
      expect(report.applied).toBe(false);
      expect(report.problems.map(formatProblem)).toEqual([expect.stringMatching(new RegExp(`^${file}:1: arn: .*--source`))]);
    });

    it.each([
      ['', {}],
      [' under --source', { source: 'aws-prod' }],
    ])('when the file cannot be opened%s, then reading throws an InputError naming it', (_how, options: ReadSourceOptions) => {
      const missing = path.join(tmp, 'missing.csv');
      expect(() => read([missing], options)).toThrow(InputError);
      expect(() => read([missing], options)).toThrow(missing);
    });
  });
});
