import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gcpKeys } from '../../../adapters/sources/gcp/gcp-keys.js';
import { InputError } from '../../../src/errors.js';
import { projectFixture } from '../../support/fixtures.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { useTempDir } from '../../support/temp-dir.js';

const sa1 = 'sa-1@my-project.iam.gserviceaccount.com';
const documentedKeyRef = 'gcp/my-service-account@my-project.iam.gserviceaccount.com/keys/90c48f61c65c';

const tmp = useTempDir('gcp');
const write = (name: string, content: unknown) => tmp.write(name, content);

const read = (paths: string[], source?: string) => gcpKeys.read(paths, source === undefined ? {} : { source }, { apiCodePaths: [] });

function account(email: string, extra: Record<string, unknown> = {}) {
  const project = email.split('@')[1]?.split('.')[0] ?? 'p';
  return { email, name: `projects/${project}/serviceAccounts/${email}`, projectId: project, uniqueId: '1', ...extra };
}

function key(email: string, keyId: string, extra: Record<string, unknown> = {}) {
  const project = email.split('@')[1]?.split('.')[0] ?? 'p';
  return {
    name: `projects/${project}/serviceAccounts/${email}/keys/${keyId}`,
    validAfterTime: '2026-01-10T08:00:00Z',
    validBeforeTime: '2026-04-10T08:00:00Z',
    keyAlgorithm: 'KEY_ALG_RSA_2048',
    keyOrigin: 'GOOGLE_PROVIDED',
    keyType: 'USER_MANAGED',
    ...extra,
  };
}

describe('gcp-keys: the stored items', () => {
  it('when the documented account list is imported, then each field maps onto a gcp service_account', async () => {
    const store = memoryStore();
    const report = await importSnapshots(store, read([projectFixture('gcp/service-accounts.json')]));

    expect(report.applied).toBe(true);
    expect(report.sources.map((s) => s.source)).toEqual(['gcp:my-project']);
    const detail = await store.getItemDetail('identity', sa1);
    expect(detail?.item).toMatchObject({
      kind: 'identity',
      ref: sa1,
      name: 'Service account 1',
      purpose: 'My first service account',
      identityKind: 'service_account',
      provider: 'gcp',
      status: 'active',
      expiresAt: null,
      provenance: { source: 'gcp:my-project', sourceKey: `projects/my-project/serviceAccounts/${sa1}` },
    });
  });

  it('when the documented key list is imported, then the user-managed key is an api_key acting as its account, with no expiry', async () => {
    const store = memoryStore();
    const report = await importSnapshots(store, read([projectFixture('gcp/keys.json')]));

    expect(report.applied).toBe(true);
    const detail = await store.getItemDetail('identity', documentedKeyRef);
    expect(detail?.item).toMatchObject({
      identityKind: 'api_key',
      provider: 'gcp',
      createdAt: '2020-03-04T17:39:47.000Z',
      expiresAt: null,
      status: 'active',
      provenance: {
        source: 'gcp:my-project',
        sourceKey:
          'projects/my-project/serviceAccounts/my-service-account@my-project.iam.gserviceaccount.com/keys/90c48f61c65cd56224a12ab18e6ee9ca9c3aee7c',
      },
    });
    expect(detail?.links).toEqual([
      { direction: 'out', relation: 'acts_as', kind: 'identity', ref: 'my-service-account@my-project.iam.gserviceaccount.com', name: null },
    ]);
  });

  it('when a key has a real validBeforeTime, then it is the expiry and no expiry finding is made', async () => {
    const store = memoryStore();
    const file = write('keys.json', [key(sa1, 'aaaabbbbccccdddd')]);

    const report = await importSnapshots(store, read([file]));

    const detail = await store.getItemDetail('identity', `gcp/${sa1}/keys/aaaabbbbcccc`);
    expect(detail?.item).toMatchObject({ createdAt: '2026-01-10T08:00:00.000Z', expiresAt: '2026-04-10T08:00:00.000Z' });
    expect(report.sources[0]?.findings).toEqual([]);
  });

  it('when an account has no display name and no resource name, then its email is its name and its uniqueId its key', async () => {
    const store = memoryStore();
    const file = write('accounts.json', [{ email: sa1, projectId: 'my-project', uniqueId: '123456789012345678901' }]);

    await importSnapshots(store, read([file]));

    expect((await store.getItemDetail('identity', sa1))?.item).toMatchObject({
      name: sa1,
      purpose: null,
      provenance: { source: 'gcp:my-project', sourceKey: '123456789012345678901' },
    });
  });

  it('when an account and a key say disabled: true, then both are stored disabled', async () => {
    const store = memoryStore();
    const accounts = write('accounts.json', [account(sa1, { disabled: true })]);
    const keys = write('keys.json', [key(sa1, 'aaaabbbbccccdddd', { disabled: true, disableReason: 'SERVICE_ACCOUNT_KEY_DISABLE_REASON_USER_INITIATED' })]);

    await importSnapshots(store, read([accounts, keys]));

    expect((await store.getItemDetail('identity', sa1))?.item).toMatchObject({ status: 'disabled' });
    expect((await store.getItemDetail('identity', `gcp/${sa1}/keys/aaaabbbbcccc`))?.item).toMatchObject({ status: 'disabled' });
  });

  it('when accounts and keys of one project come in two files, then they form one source and the key links to its account', async () => {
    const store = memoryStore();
    const accounts = write('accounts.json', [account(sa1)]);
    const keys = write('keys.json', [key(sa1, 'aaaabbbbccccdddd')]);

    const report = await importSnapshots(store, read([accounts, keys]));

    expect(report.sources.map((s) => [s.source, s.identities.created])).toEqual([['gcp:my-project', 2]]);
    const detail = await store.getItemDetail('identity', sa1);
    expect(detail?.links).toEqual([
      { direction: 'in', relation: 'acts_as', kind: 'identity', ref: `gcp/${sa1}/keys/aaaabbbbcccc`, name: `${sa1} key aaaabbbbcccc` },
    ]);
  });

  it('when the files hold two projects, then each project is its own source; a named source takes them all', async () => {
    const other = 'robot@other-project.iam.gserviceaccount.com';
    const file = write('accounts.json', [account(sa1), { email: other, name: `projects/other-project/serviceAccounts/${other}` }]);

    expect(read([file]).map((s) => s.source)).toEqual(['gcp:my-project', 'gcp:other-project']);
    expect(read([file], 'gcp:all').map((s) => s.source)).toEqual(['gcp:all']);
  });
});

describe('gcp-keys: the report', () => {
  it('when a user-managed key never expires, then a warning names the key as a long-lived secret (NHI7)', async () => {
    const store = memoryStore();
    const report = await importSnapshots(store, read([projectFixture('gcp/keys.json')]));

    expect(report.sources[0]?.findings).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'gcp_key_without_expiry', subject: documentedKeyRef, message: expect.stringContaining('NHI7') }),
    ]);
  });

  it('when keys are system-managed, then they are not imported and one info finding per file counts them', async () => {
    const store = memoryStore();
    const file = write('keys.json', [
      key(sa1, 'aaaabbbbccccdddd'),
      key(sa1, 'system0000000001', { keyType: 'SYSTEM_MANAGED' }),
      key(sa1, 'system0000000002', { keyType: 'SYSTEM_MANAGED' }),
    ]);

    const report = await importSnapshots(store, read([file]));

    expect(report.sources[0]?.identities.created).toBe(1);
    expect(await store.getItemDetail('identity', `gcp/${sa1}/keys/system000000`)).toBeNull();
    expect(report.sources[0]?.findings).toEqual([
      expect.objectContaining({ severity: 'info', code: 'gcp_system_managed_keys', subject: sa1, message: expect.stringContaining('2 system-managed keys') }),
    ]);
  });

  it('when the same files are imported again, then every item is unchanged', async () => {
    const store = memoryStore();
    const files = [write('accounts.json', [account(sa1)]), write('keys.json', [key(sa1, 'aaaabbbbccccdddd')])];
    await importSnapshots(store, read(files));

    const again = await importSnapshots(store, read(files), { at: '2026-11-02T09:00:00Z' });

    expect(again.sources[0]?.identities).toEqual({ created: 0, updated: 0, unchanged: 2, vanished: 0, reappeared: 0 });
  });

  it('when an account is gone from the list, then a re-import flags it vanished', async () => {
    const store = memoryStore();
    const other = 'robot@my-project.iam.gserviceaccount.com';
    await importSnapshots(store, read([write('accounts.json', [account(sa1), account(other)])]));

    const again = await importSnapshots(store, read([write('accounts.json', [account(sa1)])]), { at: '2026-11-02T09:00:00Z' });

    expect(again.sources[0]?.identities).toMatchObject({ unchanged: 1, vanished: 1 });
    expect((await store.getItemDetail('identity', other))?.item.provenance.vanishedAt).toBe('2026-11-02T09:00:00.000Z');
  });
});

describe('gcp-keys: bad input', () => {
  it('when a file is not JSON, then an InputError names the file and the line', () => {
    const file = write('keys.json', '[\n  {"name": "x",}\n]');

    expect(() => read([file])).toThrow(InputError);
    expect(() => read([file])).toThrow(`${file}:2: not valid JSON: unexpected "}" at column 16`);
  });

  it('when a file cannot be read, then an InputError names it', () => {
    const missing = path.join(tmp.path, 'missing.json');

    expect(() => read([missing])).toThrow(`${missing}: cannot read the file (ENOENT)`);
  });

  it('when a file is not an array or mixes accounts and keys, then the import is refused naming the file and the element', async () => {
    const store = memoryStore();
    const notArray = write('wrapped.json', { accounts: [account(sa1)] });
    const mixed = write('mixed.json', [account(sa1), key(sa1, 'aaaabbbbccccdddd')]);

    const report = await importSnapshots(store, read([notArray, mixed]));

    expect(report.applied).toBe(false);
    expect(report.problems).toHaveLength(2);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        { at: { file: notArray, line: 1 }, field: null, message: expect.stringContaining('is not a JSON array') },
        { at: { file: mixed, line: 8 }, field: '[1]', message: expect.stringContaining('is a service-account key, but [0] is a service account') },
      ]),
    );
    expect(await store.countInventory()).toMatchObject({ identities: 0 });
  });

  it('when a file is an empty array, then it is valid and, under a named source, leaves that source empty', async () => {
    const store = memoryStore();
    await importSnapshots(store, read([write('accounts.json', [account(sa1)])], 'gcp:main'));

    const report = await importSnapshots(store, read([write('empty.json', [])], 'gcp:main'), { at: '2026-11-02T09:00:00Z' });

    expect(report.applied).toBe(true);
    expect(report.sources[0]?.identities.vanished).toBe(1);
    expect(read([write('empty2.json', [])])).toEqual([]);
  });

  it('when a key has an invalid date, then nothing is written and the problem names the gcloud field', async () => {
    const store = memoryStore();
    const good = write('keys.json', [key(sa1, 'aaaabbbbccccdddd')]);
    await importSnapshots(store, read([good]));
    const bad = write('bad.json', [key(sa1, 'aaaabbbbccccdddd', { validAfterTime: '2026-13-45T08:00:00Z' })]);

    const report = await importSnapshots(store, read([bad]), { at: '2026-11-02T09:00:00Z' });

    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([{ at: { file: bad, line: 4 }, field: '[0].validAfterTime', message: 'is not an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T09:00:00Z)' }]);
    const detail = await store.getItemDetail('identity', `gcp/${sa1}/keys/aaaabbbbcccc`);
    expect(detail?.item).toMatchObject({ createdAt: '2026-01-10T08:00:00.000Z' });
    expect(detail?.item.provenance.lastSeenAt).toBe('2026-11-01T09:00:00.000Z');
  });

  it('when a key carries privateKeyData, then the import is refused and the key material is nowhere in the report', async () => {
    const store = memoryStore();
    const keyFile = JSON.stringify({
      type: 'service_account',
      private_key: `-----BEGIN PRIVATE KEY-----\n${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC'.repeat(4)}\n-----END PRIVATE KEY-----\n`,
      client_email: sa1,
    });
    const privateKeyData = Buffer.from(keyFile).toString('base64');
    const file = write('created.json', [key(sa1, 'aaaabbbbccccdddd', { privateKeyType: 'TYPE_GOOGLE_CREDENTIALS_FILE', privateKeyData })]);

    const report = await importSnapshots(store, read([file]));

    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([
      { at: { file, line: 10 }, field: '[0].privateKeyData', message: expect.stringContaining('refused and not stored') },
    ]);
    expect(JSON.stringify(report)).not.toContain(privateKeyData.slice(0, 24));
    expect(await store.countInventory()).toMatchObject({ identities: 0 });
  });
});
