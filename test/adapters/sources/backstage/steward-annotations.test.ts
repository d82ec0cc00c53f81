import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { backstage } from '../../../../adapters/sources/backstage/backstage.js';
import { codePathFromSourceLocation } from '../../../../adapters/sources/backstage/catalog-entries.js';
import { knownStewardAnnotations } from '../../../../adapters/sources/backstage/steward-annotations.js';
import type { SqliteStore } from '../../../../storage/sqlite-store.js';
import { directoryOf } from '../../../storage/support/directory.js';
import { projectFixture } from '../../../support/fixtures.js';
import { importSnapshots, memoryStore } from '../../../support/import-into-memory.js';

const annotated = projectFixture('backstage', 'steward-annotations.yaml');
const userOwned = projectFixture('backstage', 'user-owner.yaml');

async function importCatalog(file: string, store: SqliteStore = memoryStore()) {
  const report = await importSnapshots(store, backstage.read([file], {}, { apiCodePaths: [] }));
  return { store, report };
}

/** The 1-based line of the first line of `file` that contains `text`; fails loudly when there is none. */
function lineWith(file: string, text: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
  if (index === -1) throw new Error(`${file} has no line with ${text}`);
  return index + 1;
}

describe('backstage: the steward.dev annotations', () => {
  it('when the test catalog is read, then it uses every steward.dev annotation Steward knows', () => {
    const used = new Set(
      parseAllDocuments(fs.readFileSync(annotated, 'utf8')).flatMap((doc) => {
        const entity = doc.toJS() as { metadata: { annotations?: Record<string, string> } };
        return Object.keys(entity.metadata.annotations ?? {});
      }),
    );
    expect([...knownStewardAnnotations].filter((name) => !used.has(name))).toEqual([]);
  });

  it('when an API carries every API annotation, then each is its fact, and user: refs resolve to the users\' emails', async () => {
    const { store, report } = await importCatalog(annotated);

    expect(report.applied).toBe(true);
    expect((await store.getItemDetail('api', 'payments-api'))?.item).toMatchObject({
      name: 'Payments API',
      purpose: 'Takes card payments for checkout',
      sensitivity: 'restricted',
      exposure: 'partner',
      authMethod: 'mTLS with client certificates',
      revocationPath: 'https://runbooks.example.com/payments-api/revoke',
      lifecycle: 'production',
      system: 'checkout',
      // steward.dev/code-path wins over backstage.io/source-location.
      codePath: 'services/payments-api/',
      owner: {
        team: { slug: 'payments', name: 'Payments', lead: { email: 'ana@example.com' }, channel: '#payments' },
        accountable: { email: 'ana@example.com', displayName: 'Ana Lima' },
        backup: { email: 'bo@example.com' },
        approver: { email: 'carol@example.com', displayName: 'Carol Diaz' },
      },
    });
  });

  it('when an API has no steward.dev/code-path, then backstage.io/source-location gives it: a tree URL a directory, a blob URL a file', async () => {
    const { store } = await importCatalog(annotated);

    expect((await store.getItemDetail('api', 'ledger-api'))?.item).toMatchObject({ codePath: 'services/ledger-api/', purpose: 'Books every payment' });
    expect((await store.getItemDetail('api', 'fraud-api'))?.item).toMatchObject({ codePath: 'specs/fraud.yaml' });
    expect(await store.listApiCodePaths()).toEqual([
      { ref: 'fraud-api', codePath: 'specs/fraud.yaml' },
      { ref: 'ledger-api', codePath: 'services/ledger-api/' },
      { ref: 'payments-api', codePath: 'services/payments-api/' },
    ]);
  });

  it.each([
    ['url:https://github.com/acme/ledger/tree/main/services/ledger-api', 'services/ledger-api/'],
    ['url:https://github.com/acme/ledger/tree/main/services/ledger-api/', 'services/ledger-api/'],
    ['url:https://gitlab.example.com/acme/ledger/-/tree/main/services/ledger-api/', 'services/ledger-api/'],
    ['url:https://github.com/acme/ledger/blob/main/api/openapi.yaml', 'api/openapi.yaml'],
    ['url:https://github.com/acme/ledger/tree/main/', undefined],
    ['https://github.com/acme/ledger/tree/main/x', undefined],
    [undefined, undefined],
  ])('when backstage.io/source-location is %s, then the code path is %s', (location, codePath) => {
    expect(codePathFromSourceLocation(location)).toBe(codePath);
  });

  it('when a group has steward.dev/lead and steward.dev/channel, then they are its lead and channel, under its parent, with its members', async () => {
    const { store } = await importCatalog(annotated);

    expect(directoryOf(store).teams).toEqual([
      { slug: 'payments', name: 'Payments', parent: 'platform', lead: 'ana@example.com', channel: '#payments', members: ['ana@example.com', 'bo@example.com'] },
      { slug: 'platform', name: 'platform', parent: null, lead: null, channel: null, members: ['carol@example.com'] },
    ]);
  });

  it('when an API\'s provider consumes an API and depends on a component, then the API depends on both providers\' APIs', async () => {
    const { store } = await importCatalog(annotated);

    expect((await store.getItemDetail('api', 'payments-api'))?.links.filter((l) => l.direction === 'out')).toEqual([
      { direction: 'out', relation: 'depends_on', kind: 'api', ref: 'fraud-api', name: 'fraud-api' },
      { direction: 'out', relation: 'depends_on', kind: 'api', ref: 'ledger-api', name: 'ledger-api' },
    ]);
  });

  it('when an annotation under steward.dev/ is not one Steward knows, then a warning names it at its own line', async () => {
    const { report } = await importCatalog(annotated);

    expect(report.sources[0]?.findings).toEqual([
      {
        severity: 'warning',
        code: 'backstage_unknown_steward_annotation',
        subject: 'api:default/payments-api steward.dev/typo',
        message: expect.stringContaining('annotation steward.dev/typo is not one Steward knows'),
        at: { file: annotated, line: lineWith(annotated, 'steward.dev/typo:'), document: 6 },
      },
    ]);
  });
});

describe('backstage: identities declared in steward.dev/identities', () => {
  it('when a component declares identities, then each is stored with every field the YAML list gives', async () => {
    const { store, report } = await importCatalog(annotated);

    expect(report.sources[0]?.identities.created).toBe(3);
    const stripe = await store.getItemDetail('identity', 'payments-stripe-key');
    expect(stripe?.item).toMatchObject({
      name: 'Stripe restricted key',
      identityKind: 'api_key',
      provider: 'stripe',
      purpose: 'Charges cards',
      scopes: ['charges:write', 'refunds:write'],
      createdAt: '2026-01-10T00:00:00.000Z',
      expiresAt: '2027-01-10T00:00:00.000Z',
      lastRotatedAt: '2026-06-01T00:00:00.000Z',
      lastUsedAt: '2026-10-30T12:00:00.000Z',
      recoveryProcedure: 'Roll the key in the Stripe dashboard',
      status: 'active',
      owner: {
        team: { slug: 'payments' },
        accountable: { email: 'bo@example.com' },
        backup: { email: 'ana@example.com' },
        approver: { email: 'carol@example.com' },
      },
      provenance: { sourceKey: 'component:default/payments-service#payments-stripe-key' },
    });
    // `calls` is given; `serves` defaults to what the component provides.
    expect(stripe?.links).toEqual([
      { direction: 'out', relation: 'calls', kind: 'api', ref: 'ledger-api', name: 'ledger-api' },
      { direction: 'out', relation: 'serves', kind: 'api', ref: 'payments-api', name: 'Payments API' },
    ]);
  });

  it('when an identity gives no owner or links, then it takes its component\'s owner and the APIs the component provides and consumes', async () => {
    const { store } = await importCatalog(annotated);
    const password = await store.getItemDetail('identity', 'payments-db-password');

    expect(password?.item).toMatchObject({
      name: 'payments-db-password',
      identityKind: 'token',
      provider: 'internal',
      status: 'active',
      owner: { team: { slug: 'payments' }, accountable: { email: 'ana@example.com' }, backup: null, approver: null },
    });
    expect(password?.links.map((l) => `${l.relation} ${l.ref}`)).toEqual(['calls ledger-api', 'serves payments-api']);
  });

  it('when a resource declares an identity, then it is stored with the resource\'s owning team', async () => {
    const { store } = await importCatalog(annotated);

    expect((await store.getItemDetail('identity', 'payments-db-admin'))?.item).toMatchObject({
      identityKind: 'service_account',
      provider: 'aws',
      scopes: ['rds:connect'],
      owner: { team: { slug: 'payments' }, accountable: null },
    });
  });

  it('when the catalog is imported again, then the APIs and identities are unchanged', async () => {
    const { store } = await importCatalog(annotated);

    const { report } = await importCatalog(annotated, store);

    expect([report.sources[0]?.apis, report.sources[0]?.identities, report.sources[0]?.ownershipChanges]).toEqual([
      { created: 0, updated: 0, unchanged: 3, vanished: 0, reappeared: 0 },
      { created: 0, updated: 0, unchanged: 3, vanished: 0, reappeared: 0 },
      0,
    ]);
  });
});

describe('backstage: user: owners', () => {
  it('when an API is owned by user:dana, then dana\'s email is the accountable person and her one team the owning team', async () => {
    const { store, report } = await importCatalog(userOwned);

    expect(report.applied).toBe(true);
    expect((await store.getItemDetail('api', 'invoices-api'))?.item.owner).toMatchObject({
      team: { slug: 'billing' },
      accountable: { email: 'dana@example.com' },
    });
  });

  it('when the owning user belongs to two teams, then the person is accountable and no team is guessed', async () => {
    const { store } = await importCatalog(userOwned);

    expect((await store.getItemDetail('api', 'receipts-api'))?.item.owner).toMatchObject({ team: null, accountable: { email: 'erin@example.com' } });
  });

  it('when the owning user is not in the catalog, then a warning names the field at its line and the API is left unowned', async () => {
    const { store, report } = await importCatalog(userOwned);

    expect(report.sources[0]?.findings).toEqual([
      {
        severity: 'warning',
        code: 'backstage_unresolved_person',
        subject: 'api:default/refunds-api spec.owner',
        message: 'spec.owner names user:default/ghost, which is not a User with an email in this catalog; left unassigned',
        at: { file: userOwned, line: lineWith(userOwned, 'owner: user:ghost'), document: 7 },
      },
    ]);
    expect((await store.getItemDetail('api', 'refunds-api'))?.item.owner).toMatchObject({ team: null, accountable: null });
  });
});
