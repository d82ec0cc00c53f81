import { describe, expect, it } from 'vitest';
import { gcpKeys } from '../../../adapters/sources/gcp/gcp-keys.js';
import { kubernetesServiceAccounts } from '../../../adapters/sources/kubernetes/kubernetes-service-accounts.js';
import { InputError } from '../../../src/errors.js';
import { projectFixture } from '../../support/fixtures.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { useTempDir } from '../../support/temp-dir.js';

const tmp = useTempDir('k8s');
const write = (name: string, content: unknown) => tmp.write(name, content);

const read = (paths: string[], source?: string) =>
  kubernetesServiceAccounts.read(paths, source === undefined ? {} : { source }, { apiCodePaths: [] });

interface AccountSpec {
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  creationTimestamp?: string;
  secrets?: Array<{ name: string }>;
}

function serviceAccount(namespace: string, name: string, spec: AccountSpec = {}) {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name,
      namespace,
      uid: `uid-${namespace}-${name}`,
      resourceVersion: '1',
      creationTimestamp: spec.creationTimestamp ?? '2025-06-01T10:00:00Z',
      ...(spec.labels === undefined ? {} : { labels: spec.labels }),
      ...(spec.annotations === undefined ? {} : { annotations: spec.annotations }),
    },
    ...(spec.secrets === undefined ? {} : { secrets: spec.secrets }),
  };
}

const list = (...items: unknown[]) => ({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items });

describe('kubernetes: the stored items', () => {
  it('when the documented list is imported, then the account maps onto a workload_identity acting as its IAM role', async () => {
    const store = memoryStore();
    const report = await importSnapshots(store, read([projectFixture('kubernetes/service-accounts.json')]));

    expect(report.applied).toBe(true);
    const detail = await store.getItemDetail('identity', 'k8s/service-accounts/payments/payments-api');
    expect(detail?.item).toMatchObject({
      name: 'payments/payments-api',
      identityKind: 'workload_identity',
      provider: 'kubernetes',
      createdAt: '2024-02-11T09:14:55.000Z',
      status: 'active',
      owner: { team: null, accountable: null },
      provenance: { source: 'kubernetes:service-accounts', sourceKey: '0b6f8a8e-4a51-4f3e-9a9b-3f1e2c7d5a10' },
    });
    expect(detail?.links).toEqual([
      { direction: 'out', relation: 'acts_as', kind: 'identity', ref: 'arn:aws:iam::123456789012:role/payments-api', name: null },
    ]);
  });

  it('when an account has a team label and no steward.dev/team, then the label is a suggestion, not an owner', async () => {
    const store = memoryStore();
    const report = await importSnapshots(store, read([projectFixture('kubernetes/service-accounts.json')]));

    expect(report.sources[0]?.suggestions).toBe(1);
    const detail = await store.getItemDetail('identity', 'k8s/service-accounts/payments/payments-api');
    expect(detail?.item.owner.team).toBeNull();
    expect(detail?.suggestions).toEqual([
      { source: 'kubernetes:service-accounts', owners: ['payments'], team: 'payments', reason: 'kubernetes label team=payments on payments/payments-api' },
    ]);
  });

  it('when an account has only app.kubernetes.io/part-of, then that label is the suggestion', async () => {
    const store = memoryStore();
    const file = write('prod.json', list(serviceAccount('shop', 'cart', { labels: { 'app.kubernetes.io/part-of': 'storefront' } })));

    await importSnapshots(store, read([file]));

    expect((await store.getItemDetail('identity', 'k8s/prod/shop/cart'))?.suggestions).toEqual([
      { source: 'kubernetes:prod', owners: ['storefront'], team: 'storefront', reason: 'kubernetes label app.kubernetes.io/part-of=storefront on shop/cart' },
    ]);
  });

  it('when an account carries steward.dev annotations, then they are its owner, purpose and expiry, and the team label is ignored', async () => {
    const store = memoryStore();
    const annotations = {
      'steward.dev/team': 'payments',
      'steward.dev/accountable': 'Ana@Example.com',
      'steward.dev/backup': 'bo@example.com',
      'steward.dev/approver': 'lead@example.com',
      'steward.dev/purpose': 'Charges cards for checkout',
      'steward.dev/expires': '2027-01-31',
    };
    const file = write('prod.json', list(serviceAccount('payments', 'charger', { annotations, labels: { team: 'someone-else' } })));

    const report = await importSnapshots(store, read([file]));

    expect(report.sources[0]?.suggestions).toBe(0);
    const detail = await store.getItemDetail('identity', 'k8s/prod/payments/charger');
    expect(detail?.item).toMatchObject({
      purpose: 'Charges cards for checkout',
      expiresAt: '2027-01-31T00:00:00.000Z',
      owner: {
        team: { slug: 'payments' },
        accountable: { email: 'ana@example.com' },
        backup: { email: 'bo@example.com' },
        approver: { email: 'lead@example.com' },
      },
    });
    expect(detail?.suggestions).toEqual([]);
    expect((await store.listItems({ team: 'payments' })).items.map((i) => i.ref)).toEqual(['k8s/prod/payments/charger']);
  });

  it('when a namespace has its default account, then it is skipped unless it is bound to a cloud identity', async () => {
    const store = memoryStore();
    const file = write(
      'prod.json',
      list(
        serviceAccount('payments', 'default'),
        serviceAccount('batch', 'default', { annotations: { 'azure.workload.identity/client-id': '6f1f0c4e-8d3a-4c1b-9f2e-5a7b8c9d0e1f' } }),
      ),
    );

    const report = await importSnapshots(store, read([file]));

    expect(report.sources[0]?.identities.created).toBe(1);
    expect(await store.getItemDetail('identity', 'k8s/prod/payments/default')).toBeNull();
    expect((await store.getItemDetail('identity', 'k8s/prod/batch/default'))?.links).toEqual([
      { direction: 'out', relation: 'acts_as', kind: 'identity', ref: 'azure/6f1f0c4e-8d3a-4c1b-9f2e-5a7b8c9d0e1f', name: null },
    ]);
  });

  it('when GCP accounts are imported and then a cluster bound to one, then the GCP account shows the incoming acts_as link', async () => {
    const store = memoryStore();
    await importSnapshots(store, gcpKeys.read([projectFixture('gcp/service-accounts.json')], {}, { apiCodePaths: [] }));
    const gsa = 'sa-1@my-project.iam.gserviceaccount.com';
    const file = write('gke.json', list(serviceAccount('ledger', 'writer', { annotations: { 'iam.gke.io/gcp-service-account': gsa } })));

    await importSnapshots(store, read([file]));

    expect((await store.getItemDetail('identity', gsa))?.links).toEqual([
      { direction: 'in', relation: 'acts_as', kind: 'identity', ref: 'k8s/gke/ledger/writer', name: 'ledger/writer' },
    ]);
    expect((await store.getItemDetail('identity', 'k8s/gke/ledger/writer'))?.links).toEqual([
      { direction: 'out', relation: 'acts_as', kind: 'identity', ref: gsa, name: 'Service account 1' },
    ]);
  });

  it('when the file is a ServiceAccountList or a single ServiceAccount, then it is read the same way', async () => {
    const store = memoryStore();
    const { kind: _kind, apiVersion: _v, ...bare } = serviceAccount('shop', 'cart');
    const typedList = write('typed.json', { apiVersion: 'v1', kind: 'ServiceAccountList', items: [bare] });
    const single = write('single.json', serviceAccount('shop', 'search'));

    const report = await importSnapshots(store, read([typedList, single]));

    expect(report.applied).toBe(true);
    expect((await store.listItems({ kind: 'identity' })).items.map((i) => i.ref)).toEqual(['k8s/single/shop/search', 'k8s/typed/shop/cart']);
  });

  it('when no source is named, then each file is a cluster named after the file, and the refs name that cluster', () => {
    const a = write('prod.json', list(serviceAccount('shop', 'cart')));
    const b = write('staging.json', list(serviceAccount('shop', 'search')));

    const snapshots = read([a, b]);

    expect(snapshots.map((s) => s.source)).toEqual(['kubernetes:prod', 'kubernetes:staging']);
    expect(snapshots.map((s) => [...s.entries].map((e) => (e.type === 'identity' ? e.data.ref : e.type)))).toEqual([
      ['k8s/prod/shop/cart'],
      ['k8s/staging/shop/search'],
    ]);
  });

  it.each([
    ['eu-west', 'eu-west'],
    ['kubernetes:prod-eu', 'prod-eu'],
  ])('when the source is named %s, then it names the snapshot of all files and the refs are k8s/%s/<namespace>/<name>', (source, cluster) => {
    const a = write('a.json', list(serviceAccount('shop', 'cart')));
    const b = write('b.json', list(serviceAccount('shop', 'search')));

    const [named, ...rest] = read([a, b], source);

    expect(rest).toEqual([]);
    expect(named?.source).toBe(source);
    expect([...(named?.entries ?? [])].map((e) => (e.type === 'identity' ? e.data.ref : e.type))).toEqual([`k8s/${cluster}/shop/cart`, `k8s/${cluster}/shop/search`]);
  });

  it('when two clusters have a same-named account, then they are two items that keep their own source on every import', async () => {
    const store = memoryStore();
    const prod = write('prod.json', list(serviceAccount('kube-system', 'coredns')));
    const staging = write('staging.json', list(serviceAccount('kube-system', 'coredns')));

    const first = await importSnapshots(store, read([prod, staging]));
    const again = await importSnapshots(store, read([prod]), { at: '2026-11-02T09:00:00Z' });
    const third = await importSnapshots(store, read([staging]), { at: '2026-11-03T09:00:00Z' });

    expect(first.applied).toBe(true);
    expect(first.sources.map((s) => [s.source, s.identities.created])).toEqual([
      ['kubernetes:prod', 1],
      ['kubernetes:staging', 1],
    ]);
    expect([again, third].map((r) => [r.sources[0]?.identities, r.sources[0]?.notes])).toEqual([
      [{ created: 0, updated: 0, unchanged: 1, vanished: 0, reappeared: 0 }, []],
      [{ created: 0, updated: 0, unchanged: 1, vanished: 0, reappeared: 0 }, []],
    ]);
    const sources = await Promise.all(
      ['k8s/prod/kube-system/coredns', 'k8s/staging/kube-system/coredns'].map(async (ref) => (await store.getItemDetail('identity', ref))?.item.provenance.source),
    );
    expect(sources).toEqual(['kubernetes:prod', 'kubernetes:staging']);
  });

  it.each([
    ['a file name with a space', 'my cluster.json', undefined],
    ['an empty --source cluster', 'prod.json', 'kubernetes:'],
  ])('when the cluster would come from %s, then reading throws an InputError asking for --source', (_what, name, source) => {
    const file = write(name, list(serviceAccount('shop', 'cart')));

    expect(() => read([file], source)).toThrow(InputError);
    expect(() => read([file], source)).toThrow(/name the cluster with --source/);
  });
});

describe('kubernetes: the report', () => {
  it('when an account lists legacy token secrets, then an info finding names the account', async () => {
    const store = memoryStore();
    const file = write('old.json', list(serviceAccount('ci', 'deployer', { secrets: [{ name: 'deployer-token-x7k2p' }] })));

    const report = await importSnapshots(store, read([file]));

    expect(report.sources[0]?.findings).toEqual([
      expect.objectContaining({ severity: 'info', code: 'k8s_legacy_token_secret', subject: 'k8s/old/ci/deployer', message: expect.stringContaining('deployer-token-x7k2p') }),
    ]);
  });

  it('when the same file is imported again, then the account is unchanged', async () => {
    const store = memoryStore();
    const file = projectFixture('kubernetes/service-accounts.json');
    await importSnapshots(store, read([file]));

    const again = await importSnapshots(store, read([file]), { at: '2026-11-02T09:00:00Z' });

    expect(again.sources[0]?.identities).toEqual({ created: 0, updated: 0, unchanged: 1, vanished: 0, reappeared: 0 });
  });

  it('when an account is deleted from the cluster, then a re-import flags it vanished', async () => {
    const store = memoryStore();
    await importSnapshots(store, read([write('prod.json', list(serviceAccount('shop', 'cart'), serviceAccount('shop', 'search')))]));

    const again = await importSnapshots(store, read([write('prod.json', list(serviceAccount('shop', 'cart')))]), { at: '2026-11-02T09:00:00Z' });

    expect(again.sources[0]?.identities).toMatchObject({ unchanged: 1, vanished: 1 });
    expect((await store.listItems({ kind: 'identity' })).items.filter((i) => i.vanished).map((i) => i.ref)).toEqual(['k8s/prod/shop/search']);
  });
});

describe('kubernetes: bad input', () => {
  it('when a file is not JSON, then an InputError names the file and the line', () => {
    const file = write('prod.json', '{\n  "kind": "List",\n  "items": [\n');

    expect(() => read([file])).toThrow(InputError);
    expect(() => read([file])).toThrow(`${file}:4: not valid JSON: unexpected end of file`);
  });

  it('when the file is not a list of service accounts, then the import is refused naming the field', async () => {
    const store = memoryStore();
    const deployment = write('deploy.json', list({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', namespace: 'y' } }));
    const pod = write('pod.json', { apiVersion: 'v1', kind: 'Pod' });

    const report = await importSnapshots(store, read([deployment, pod]));

    expect(report.applied).toBe(false);
    expect(report.problems.map((p) => [p.at.file, p.field])).toEqual([
      [deployment, 'items[0].kind'],
      [pod, 'kind'],
    ]);
  });

  it('when a creation time is not a date, then nothing is written and the problem names the field', async () => {
    const store = memoryStore();
    await importSnapshots(store, read([write('prod.json', list(serviceAccount('shop', 'cart')))]));
    const bad = write('prod.json', list(serviceAccount('shop', 'cart', { creationTimestamp: 'last tuesday' })));

    const report = await importSnapshots(store, read([bad]), { at: '2026-11-02T09:00:00Z' });

    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([
      { at: { file: bad, line: 16 }, field: 'items[0].metadata.creationTimestamp', message: expect.stringMatching(/^is not an ISO 8601 date or time/) },
    ]);
    expect((await store.getItemDetail('identity', 'k8s/prod/shop/cart'))?.item).toMatchObject({
      createdAt: '2025-06-01T10:00:00.000Z',
      provenance: { lastSeenAt: '2026-11-01T09:00:00.000Z' },
    });
  });

  it('when an annotation holds a token, then the import is refused and the token is nowhere in the report', async () => {
    const store = memoryStore();
    const token = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
    const file = write('prod.json', list(serviceAccount('ci', 'deployer', { annotations: { 'example.com/github-token': token } })));

    const report = await importSnapshots(store, read([file]));

    expect(report.applied).toBe(false);
    expect(report.problems).toEqual([
      {
        at: { file, line: 18 },
        field: 'items[0].metadata.annotations.example.com/github-token',
        message: 'looks like a GitHub token; refused and not stored (value withheld)',
      },
    ]);
    expect(JSON.stringify(report)).not.toContain(token);
    expect(await store.countInventory()).toMatchObject({ identities: 0 });
  });
});
