import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inventoryCsv } from '../../../../adapters/sources/csv/inventory-csv.js';
import type { ReadSourceOptions } from '../../../../adapters/sources/source-format.js';
import { InputError } from '../../../../src/errors.js';
import { formatProblem } from '../../../../src/inventory/source-location.js';
import type { SqliteStore } from '../../../../storage/sqlite-store.js';
import { importSnapshots, memoryStore } from '../../../support/import-into-memory.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-csv-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes a CSV file from its lines (LF unless told otherwise) and returns its path. */
function csv(name: string, lines: readonly string[], eol = '\n'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, lines.join(eol) + eol);
  return file;
}

const read = (paths: string[], options: ReadSourceOptions = {}) => inventoryCsv.read(paths, options, { apiCodePaths: [] });

async function importFiles(store: SqliteStore, paths: string[], at?: string) {
  return importSnapshots(store, read(paths), at === undefined ? {} : { at });
}

/** What the store holds, to show that a refused import changed nothing. */
async function snapshotOf(store: SqliteStore) {
  return { items: await store.listItems({}), counts: await store.countInventory() };
}

const apiHeader =
  'ref,name,purpose,data_sensitivity,exposure,auth_method,revocation_path,lifecycle,system,code_path,owner_team,accountable,backup,approver,depends_on';
const identityHeader =
  'ref,name,kind,provider,purpose,scopes,created_at,expires_at,last_rotated_at,last_used_at,last_used_service,recovery_procedure,status,owner_team,accountable,backup,approver,serves,calls';

const paymentsApi =
  'payments-api,Payments API,Takes card payments,restricted,partner,mTLS,https://runbooks.example.com/payments/revoke,production,checkout,services/payments/,payments,ana@example.com,bo@example.com,carol@example.com,ledger-api;fraud-api';
const ciDeployKey =
  'ci-deploy-key,CI deploy key,api_key,github,Deploys from CI,"repo:read, repo:write",2026-01-10,2027-01-10T09:00:00Z,2026-06-01,2026-10-30T12:00:00+02:00,actions,Rotate in the GitHub app settings,active,platform,dan@example.com,eve@example.com,fay@example.com,payments-api,ledger-api';

// The examples as the issue describes them: a plain reading of every documented column.
const expectedPaymentsApi = {
  kind: 'api',
  ref: 'payments-api',
  name: 'Payments API',
  purpose: 'Takes card payments',
  sensitivity: 'restricted',
  exposure: 'partner',
  authMethod: 'mTLS',
  revocationPath: 'https://runbooks.example.com/payments/revoke',
  lifecycle: 'production',
  system: 'checkout',
  codePath: 'services/payments/',
  owner: {
    team: { slug: 'payments' },
    accountable: { email: 'ana@example.com' },
    backup: { email: 'bo@example.com' },
    approver: { email: 'carol@example.com' },
  },
};
const expectedCiDeployKey = {
  kind: 'identity',
  ref: 'ci-deploy-key',
  name: 'CI deploy key',
  purpose: 'Deploys from CI',
  identityKind: 'api_key',
  provider: 'github',
  scopes: ['repo:read', 'repo:write'],
  createdAt: '2026-01-10T00:00:00.000Z',
  expiresAt: '2027-01-10T09:00:00.000Z',
  lastRotatedAt: '2026-06-01T00:00:00.000Z',
  lastUsedAt: '2026-10-30T10:00:00.000Z',
  lastUsedService: 'actions',
  recoveryProcedure: 'Rotate in the GitHub app settings',
  status: 'active',
  owner: {
    team: { slug: 'platform' },
    accountable: { email: 'dan@example.com' },
    backup: { email: 'eve@example.com' },
    approver: { email: 'fay@example.com' },
  },
};

describe('csv: the API column set', () => {
  it('when every documented API column is filled, then each lands on its field, the owner columns are the owner, and depends_on are edges', async () => {
    const store = memoryStore();
    const file = csv('apis.csv', [apiHeader, paymentsApi]);

    const report = await importFiles(store, [file]);

    expect(report.applied).toBe(true);
    expect(report.sources).toMatchObject([{ source: `csv:${file}`, format: 'csv', apis: { created: 1 }, findings: [] }]);
    const detail = await store.getItemDetail('api', 'payments-api');
    expect(detail?.item).toMatchObject({ ...expectedPaymentsApi, provenance: { source: `csv:${file}`, sourceKey: 'payments-api' } });
    expect(detail?.links).toEqual([
      { direction: 'out', relation: 'depends_on', kind: 'api', ref: 'fraud-api', name: null },
      { direction: 'out', relation: 'depends_on', kind: 'api', ref: 'ledger-api', name: null },
    ]);
  });

  it('when only ref is given, then the name is the ref and the API is owned by nobody yet', async () => {
    const store = memoryStore();
    await importFiles(store, [csv('apis.csv', ['ref', 'petstore'])]);

    expect((await store.getItemDetail('api', 'petstore'))?.item).toMatchObject({
      name: 'petstore',
      purpose: null,
      sensitivity: null,
      owner: { team: null, accountable: null, backup: null, approver: null },
    });
    expect((await store.listItems({ unowned: true })).items.map((i) => i.ref)).toEqual(['petstore']);
  });

  it('when a team is given without a person, then the API is team-owned with no accountable person', async () => {
    const store = memoryStore();
    await importFiles(store, [csv('apis.csv', ['ref,owner_team', 'petstore,pets'])]);

    expect((await store.getItemDetail('api', 'petstore'))?.item.owner).toMatchObject({ team: { slug: 'pets' }, accountable: null });
  });
});

describe('csv: the identity column set', () => {
  it('when every documented identity column is filled, then each lands on its field, scopes split, and serves/calls are edges', async () => {
    const store = memoryStore();
    const file = csv('identities.csv', [identityHeader, ciDeployKey]);

    const report = await importFiles(store, [file]);

    expect(report.applied).toBe(true);
    expect(report.sources[0]?.identities.created).toBe(1);
    const detail = await store.getItemDetail('identity', 'ci-deploy-key');
    expect(detail?.item).toMatchObject(expectedCiDeployKey);
    expect(detail?.links).toEqual([
      { direction: 'out', relation: 'calls', kind: 'api', ref: 'ledger-api', name: null },
      { direction: 'out', relation: 'serves', kind: 'api', ref: 'payments-api', name: null },
    ]);
  });

  it('when the status is left blank, then the identity is active', async () => {
    const store = memoryStore();
    await importFiles(store, [csv('identities.csv', ['ref,kind,provider,status', 'k1,token,internal,'])]);

    expect((await store.getItemDetail('identity', 'k1'))?.item).toMatchObject({ status: 'active', scopes: [], expiresAt: null });
  });

  it.each([
    ['spaces', 'read write  admin', ['read', 'write', 'admin']],
    ['commas', 'read,write,admin', ['read', 'write', 'admin']],
    ['semicolons', 'read;write;admin', ['read', 'write', 'admin']],
    ['a mix', 'read, write;admin', ['read', 'write', 'admin']],
  ])('when scopes and APIs are separated by %s, then each is one value', async (_how, list, values) => {
    const store = memoryStore();
    await importFiles(store, [csv('identities.csv', ['ref,kind,provider,scopes,serves,calls', `k1,token,internal,"${list}","${list}","${list}"`])]);

    const detail = await store.getItemDetail('identity', 'k1');
    expect(detail?.item).toMatchObject({ scopes: values });
    const linked = (relation: string) => detail?.links.filter((l) => l.relation === relation).map((l) => l.ref).sort();
    expect([linked('serves'), linked('calls')]).toEqual([[...values].sort(), [...values].sort()]);
  });

  it.each([
    ['spaces', 'ledger fraud risk'],
    ['commas', 'ledger,fraud,risk'],
    ['semicolons and commas', 'ledger; fraud,risk'],
  ])('when depends_on is separated by %s, then each API is one edge', async (_how, list) => {
    const store = memoryStore();
    await importFiles(store, [csv('apis.csv', ['ref,depends_on', `petstore,"${list}"`])]);

    expect((await store.getItemDetail('api', 'petstore'))?.links.map((l) => [l.relation, l.ref])).toEqual([
      ['depends_on', 'fraud'],
      ['depends_on', 'ledger'],
      ['depends_on', 'risk'],
    ]);
  });
});

describe('csv: reading the header', () => {
  it('when the columns come in another order, then the same API and identity are stored', async () => {
    const reverse = (line: string) => line.split(',').reverse().join(',');
    const store = memoryStore();
    // The identity row has a quoted comma; its reversed copy is written by hand.
    const identityReversed = [
      'calls,serves,approver,backup,accountable,owner_team,status,recovery_procedure,last_used_service,last_used_at,last_rotated_at,expires_at,created_at,scopes,purpose,provider,kind,name,ref',
      'ledger-api,payments-api,fay@example.com,eve@example.com,dan@example.com,platform,active,Rotate in the GitHub app settings,actions,2026-10-30T12:00:00+02:00,2026-06-01,2027-01-10T09:00:00Z,2026-01-10,"repo:read, repo:write",Deploys from CI,github,api_key,CI deploy key,ci-deploy-key',
    ];

    const report = await importFiles(store, [csv('apis.csv', [reverse(apiHeader), reverse(paymentsApi)]), csv('identities.csv', identityReversed)]);

    expect(report.applied).toBe(true);
    expect((await store.getItemDetail('api', 'payments-api'))?.item).toMatchObject(expectedPaymentsApi);
    expect((await store.getItemDetail('identity', 'ci-deploy-key'))?.item).toMatchObject(expectedCiDeployKey);
  });

  it('when headers use aliases, other case, spaces and hyphens, then they are the documented columns', async () => {
    const store = memoryStore();
    const apis = csv('apis.csv', [' REF ,Business Purpose,Sensitivity,Team,Owner,Backup-Person,Depends On', 'petstore,Sells pets,internal,pets,ana@example.com,bo@example.com,ledger']);
    const identities = csv('identities.csv', [
      'Ref,Kind,Provider,Created,Expires,Last Rotated,Last-Used,Recovery,APIs,Accountable Person',
      'k1,Service_Account,AWS,2026-01-01,2027-01-01,2026-02-01,2026-03-01,Ask platform,petstore,dan@example.com',
    ]);

    const report = await importFiles(store, [apis, identities]);

    expect(report.applied).toBe(true);
    expect(report.sources.flatMap((s) => s.findings)).toEqual([]);
    const api = await store.getItemDetail('api', 'petstore');
    expect(api?.item).toMatchObject({ purpose: 'Sells pets', sensitivity: 'internal', owner: { team: { slug: 'pets' }, accountable: { email: 'ana@example.com' }, backup: { email: 'bo@example.com' } } });
    expect(api?.links.map((l) => [l.direction, l.relation, l.ref])).toEqual([
      ['out', 'depends_on', 'ledger'],
      ['in', 'serves', 'k1'],
    ]);
    const identity = await store.getItemDetail('identity', 'k1');
    expect(identity?.item).toMatchObject({
      identityKind: 'service_account',
      provider: 'aws',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      lastRotatedAt: '2026-02-01T00:00:00.000Z',
      lastUsedAt: '2026-03-01T00:00:00.000Z',
      recoveryProcedure: 'Ask platform',
      owner: { accountable: { email: 'dan@example.com' } },
    });
    expect(identity?.links).toEqual([{ direction: 'out', relation: 'serves', kind: 'api', ref: 'petstore', name: 'petstore' }]);
  });

  it('when a header has columns outside the set, then a warning finding names them and the rest imports', async () => {
    const store = memoryStore();
    const file = csv('apis.csv', ['ref,Cost Centre,name,Notes', 'petstore,CC-12,Pet Store,keep']);

    const report = await importFiles(store, [file]);

    expect(report.applied).toBe(true);
    expect(report.sources[0]?.findings).toEqual([
      {
        severity: 'warning',
        code: 'csv_unknown_column',
        subject: `${file} Cost Centre, Notes`,
        message: expect.stringContaining('ignored (their values are still checked for secrets): Cost Centre, Notes'),
        at: { file, line: 1 },
      },
    ]);
    expect((await store.getItemDetail('api', 'petstore'))?.item.name).toBe('Pet Store');
  });

  it.each([
    ['an API file without ref', ['name,purpose', 'Pet Store,Sells pets'], ['ref']],
    ['an identity file without provider', ['ref,kind', 'k1,token'], ['provider']],
    ['an identity file without kind', ['ref,provider,scopes', 'k1,aws,read'], ['kind']],
    ['an identity file without ref, kind or provider', ['name,kind', 'x,token'], ['ref', 'provider']],
  ])('when %s is imported, then it is refused at line 1 naming each missing column', async (_what, lines, missing) => {
    const store = memoryStore();
    const file = csv('input.csv', lines);

    const report = await importFiles(store, [file]);

    expect(report.applied).toBe(false);
    expect(report.problems).toEqual(missing.map((column) => ({ at: { file, line: 1 }, field: column, message: expect.stringContaining('is a required column') })));
    expect(await store.countInventory()).toEqual({ apis: 0, identities: 0, teams: 0, people: 0 });
  });

  it('when a column is repeated or two aliases name one field, then the header is refused naming them', async () => {
    const file = csv('apis.csv', ['ref,name,Name,team,owner_team', 'petstore,a,b,c,d']);

    const report = await importFiles(memoryStore(), [file]);

    expect(report.problems.map(formatProblem)).toEqual([
      `${file}:1: Name: is a repeated column (also column 2)`,
      `${file}:1: owner_team: names the same field as column 4 (team); keep one of them`,
    ]);
  });

  it('when the file is empty, then the import is refused and nothing the source held before vanishes', async () => {
    const store = memoryStore();
    const file = csv('apis.csv', ['ref', 'petstore']);
    await importFiles(store, [file]);
    fs.writeFileSync(file, '');

    const report = await importFiles(store, [file], '2026-11-02T09:00:00Z');

    expect(report.applied).toBe(false);
    expect(report.problems.map(formatProblem)).toEqual([expect.stringMatching(new RegExp(`^${file}:1: is empty: expected a header row`))]);
    expect((await store.listItems({})).items).toMatchObject([{ ref: 'petstore', vanished: false }]);
  });
});

describe('csv: file encodings', () => {
  const lines = ['\uFEFFref,name,purpose', 'petstore,Pet Store,"Sells pets,', 'and ""toys"""', 'ledger,Ledger,Books'];

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('when the file has a byte-order mark, %s line ends and a quoted multi-line field, then it imports as written', async (_what, eol) => {
    const store = memoryStore();
    const report = await importFiles(store, [csv('apis.csv', lines, eol)]);

    expect(report.applied).toBe(true);
    expect((await store.getItemDetail('api', 'petstore'))?.item.purpose).toBe('Sells pets,\nand "toys"');
    expect((await store.getItemDetail('api', 'ledger'))?.item.purpose).toBe('Books');
  });

  it('when an LF file is imported again with CRLF line ends, then nothing changed', async () => {
    const store = memoryStore();
    const file = csv('apis.csv', lines, '\n');
    await importFiles(store, [file]);
    csv('apis.csv', lines, '\r\n');

    const again = await importFiles(store, [file], '2026-11-02T09:00:00Z');

    expect(again.sources[0]?.apis).toEqual({ created: 0, updated: 0, unchanged: 2, vanished: 0, reappeared: 0 });
  });
});

describe('csv: re-imports', () => {
  it('when the same file is imported again, then every item is unchanged and owners keep their history', async () => {
    const store = memoryStore();
    const file = csv('apis.csv', [apiHeader, paymentsApi, 'petstore,,,,,,,,,,pets,,,,']);
    await importFiles(store, [file]);

    const again = await importFiles(store, [file], '2026-11-02T09:00:00Z');

    expect(again.applied).toBe(true);
    expect(again.sources[0]?.apis).toEqual({ created: 0, updated: 0, unchanged: 2, vanished: 0, reappeared: 0 });
    expect(again.sources[0]?.ownershipChanges).toBe(0);
    expect((await store.getItemDetail('api', 'payments-api'))?.history).toEqual([]);
  });

  it('when one snapshot is imported as a dry run and then for real, then the file is read afresh each time', async () => {
    const store = memoryStore();
    const snapshots = read([csv('apis.csv', ['ref', 'petstore', 'ledger'])]);

    const dry = await importSnapshots(store, snapshots, { dryRun: true });
    const real = await importSnapshots(store, snapshots);

    expect([dry.sources[0]?.apis.created, real.sources[0]?.apis.created]).toEqual([2, 2]);
    expect((await store.countInventory()).apis).toBe(2);
  });

  it('when a row is removed, then the re-import flags its item vanished and keeps it', async () => {
    const store = memoryStore();
    const file = csv('apis.csv', ['ref,owner_team', 'petstore,pets', 'ledger,finance']);
    await importFiles(store, [file]);
    csv('apis.csv', ['ref,owner_team', 'petstore,pets']);

    const again = await importFiles(store, [file], '2026-11-02T09:00:00Z');

    expect(again.sources[0]?.apis).toEqual({ created: 0, updated: 0, unchanged: 1, vanished: 1, reappeared: 0 });
    const ledger = await store.getItemDetail('api', 'ledger');
    expect(ledger?.item).toMatchObject({ owner: { team: { slug: 'finance' } }, provenance: { vanishedAt: '2026-11-02T09:00:00.000Z' } });
  });

  it('when an owner column changes, then the item is updated and the old owner becomes history', async () => {
    const store = memoryStore();
    const file = csv('apis.csv', ['ref,owner_team,accountable', 'petstore,pets,ana@example.com']);
    await importFiles(store, [file]);
    csv('apis.csv', ['ref,owner_team,accountable', 'petstore,pets,bo@example.com']);

    const again = await importFiles(store, [file], '2026-11-02T09:00:00Z');

    expect(again.sources[0]?.apis.updated).toBe(1);
    const detail = await store.getItemDetail('api', 'petstore');
    expect(detail?.item.owner.accountable?.email).toBe('bo@example.com');
    expect(detail?.history).toMatchObject([{ team: 'pets', accountable: 'ana@example.com', toAt: '2026-11-02T09:00:00.000Z' }]);
  });

  it('when a source name is given, then every file is one snapshot of that source', () => {
    const a = csv('a.csv', ['ref', 'petstore']);
    const b = csv('b.csv', ['ref', 'ledger']);

    const snapshots = read([a, b], { source: 'csv:inventory' });

    expect(snapshots.map((s) => s.source)).toEqual(['csv:inventory']);
    expect([...(snapshots[0]?.entries ?? [])].map((e) => (e.type === 'api' ? e.data.ref : e.type))).toEqual(['petstore', 'ledger']);
  });
});

describe('csv: bad input', () => {
  /** Imports `lines` over a store that already holds an item, and checks the refusal changed nothing. */
  async function refused(lines: readonly string[]) {
    const store = memoryStore();
    await importFiles(store, [csv('seed.csv', ['ref,owner_team', 'seeded,pets'])]);
    const before = await snapshotOf(store);
    const file = csv('input.csv', lines);
    const report = await importFiles(store, [file], '2026-11-02T09:00:00Z');
    expect(report.applied).toBe(false);
    expect(await snapshotOf(store)).toEqual(before);
    return { file, report, problems: report.problems.map(formatProblem) };
  }

  it.each([
    ['a sensitivity', 'ref,Data Sensitivity', 'ok,public', 'petstore,secret', 'Data Sensitivity: must be one of public, internal, confidential, restricted (got "secret")'],
    ['an exposure', 'ref,EXPOSURE', 'ok,partner', 'petstore,internet', 'EXPOSURE: must be one of internal, partner, public (got "internet")'],
    ['a lifecycle', 'ref,Lifecycle', 'ok,production', 'petstore,retired', 'Lifecycle: must be one of experimental, production, deprecated, decommissioned (got "retired")'],
    ['an accountable email', 'ref,Accountable', 'ok,ana@example.com', 'petstore,ana-at-example.com', 'Accountable: is not an email address'],
    ['a backup email', 'ref,backup_person', 'ok,bo@example.com', 'petstore,bo', 'backup_person: is not an email address'],
    ['a team slug', 'ref,Team', 'ok,pets', 'petstore,Pet Owners!', 'Team: must be a slug (letters, digits, ".", "_", "-", "/")'],
    ['a ref', 'ref', 'ok', 'pet store', 'ref: must not contain spaces'],
    ['an identity kind', 'ref,Kind,provider', 'ok,token,aws', 'k1,robot,aws', 'Kind: must be one of service_account, oauth_client, api_key, token, certificate, ssh_key, workload_identity (got "robot")'],
    ['a status', 'ref,kind,provider,Status', 'ok,token,aws,revoked', 'k1,token,aws,paused', 'Status: must be one of active, disabled, revoked, decommissioned (got "paused")'],
    ['an expiry date', 'ref,kind,provider,Expires At', 'ok,token,aws,2027-01-31', 'k1,token,aws,next year', 'Expires At: is not an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T09:00:00Z)'],
    ['a creation date', 'ref,kind,provider,created', 'ok,token,aws,2026-02-28', 'k1,token,aws,2026-02-30', 'created: is not an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T09:00:00Z)'],
  ])('when %s is bad, then the one problem names file:line and the column as the header writes it', async (_what, header, good, bad, problem) => {
    const { file, problems } = await refused([header, good, bad]);
    expect(problems).toEqual([`${file}:3: ${problem}`]);
  });

  it('when a bad value follows a multi-line record, then its line counts the lines of that record', async () => {
    const { file, problems } = await refused(['ref,purpose,exposure', 'petstore,"one', 'two', 'three",public', 'ledger,Books,everyone']);
    expect(problems).toEqual([`${file}:5: exposure: must be one of internal, partner, public (got "everyone")`]);
  });

  it('when a record has more or fewer fields than the header, then each such line is refused', async () => {
    const { file, problems } = await refused(['ref,name,purpose', 'petstore,Pet Store', 'ledger,Ledger,Books', 'fraud,Fraud,Finds fraud,extra']);
    expect(problems).toEqual([`${file}:2: has 2 fields; the header has 3`, `${file}:4: has 4 fields; the header has 3`]);
  });

  it('when a quoted field is never closed, then the problem names the line it opens on', async () => {
    const { file, problems } = await refused(['ref,purpose', 'petstore,fine', 'ledger,"never closed', 'fraud,more']);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${file}:3: CSV: a quoted field is never closed`))]);
  });

  it('when a row is repeated, then the import is refused naming the second one', async () => {
    const { file, problems } = await refused(['ref,name', 'petstore,A', 'petstore,B']);
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${file}:3: .*petstore appears more than once in this import`))]);
  });

  const githubToken = `ghp_${'a1B2c3D4e5F6'.repeat(3)}`;
  const slackToken = 'xoxb-2048-1234567890-AbCdEfGhIjKlMnOpQrStUvWx';

  it.each([
    ['purpose', 'ref,purpose', `petstore,Deploys with ${githubToken}`, 'purpose', 'a GitHub token'],
    ['a column outside the set', 'ref,Notes', `petstore,${slackToken}`, 'Notes', 'a Slack token'],
    ['a column named like a secret', 'ref,api_key', 'petstore,Zx8Qw3Rt6Yu9Io2Pa5Sd7Fg1', 'api_key', 'a secret (a high-entropy value in a field named like a secret)'],
    ['an identity scope', 'ref,kind,provider,scopes', `k1,token,github,read ${githubToken}`, 'scopes[1]', 'a GitHub token'],
  ])('when a secret is pasted into %s, then it is refused at its line and column and never echoed', async (_where, header, row, column, kind) => {
    const { file, report, problems } = await refused([header, row]);
    expect(problems).toEqual([`${file}:2: ${column}: looks like ${kind}; refused and not stored (value withheld)`]);
    const json = JSON.stringify(report);
    for (const secret of [githubToken, slackToken, 'Zx8Qw3Rt6Yu9Io2Pa5Sd7Fg1']) expect(json).not.toContain(secret);
  });

  it('when a file cannot be read, then reading it throws an InputError naming it before anything is imported', () => {
    const missing = path.join(dir, 'missing.csv');
    expect(() => read([missing])).toThrow(new InputError(`${missing}: cannot read the file (ENOENT)`));
    // A folder stands for the .csv files under it (catalog-folders.test.ts); one with none is refused by name.
    expect(() => read([dir])).toThrow(new InputError(`${dir}: no .csv file under this folder`));
  });
});
