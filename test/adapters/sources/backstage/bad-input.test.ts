import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backstage } from '../../../../adapters/sources/backstage/backstage.js';
import { InputError } from '../../../../src/errors.js';
import { formatProblem } from '../../../../src/inventory/source-location.js';
import type { SqliteStore } from '../../../../storage/sqlite-store.js';
import { directoryOf } from '../../../storage/support/directory.js';
import { importSnapshots, memoryStore } from '../../../support/import-into-memory.js';

/*
 * Each case imports a good catalog, then a bad version of the same file: the bad import is refused naming the
 * file, the line and the field, and the store is left exactly as the good import made it.
 */

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-backstage-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const slackToken = 'xoxb-2048-1234567890-AbCdEfGhIjKlMnOpQrStUvWx';

// Line numbers matter below: each line of this catalog is numbered in the comment after it.
const goodCatalog = [
  'apiVersion: backstage.io/v1alpha1', // 1
  'kind: Group', // 2
  'metadata:', // 3
  '  name: pets', // 4
  '  labels:', // 5
  '    cost-centre: cc-12', // 6
  'spec:', // 7
  '  type: team', // 8
  '  children: []', // 9
  '---', // 10
  'apiVersion: backstage.io/v1alpha1', // 11
  'kind: API', // 12
  'metadata:', // 13
  '  name: petstore', // 14
  '  description: Sells pets', // 15
  '  labels:', // 16
  '    tier: gold', // 17
  '  annotations:', // 18
  '    example.com/dashboard: https://grafana.example.com/d/petstore', // 19
  '    steward.dev/data-sensitivity: internal', // 20
  '    steward.dev/accountable: ana@example.com', // 21
  '  links:', // 22
  '    - url: https://wiki.example.com/petstore', // 23
  '      title: Wiki', // 24
  'spec:', // 25
  '  type: openapi', // 26
  '  lifecycle: production', // 27
  '  owner: pets', // 28
  "  definition: 'openapi: 3.0.0'", // 29
  '---', // 30
  'apiVersion: backstage.io/v1alpha1', // 31
  'kind: Component', // 32
  'metadata:', // 33
  '  name: petstore-service', // 34
  '  annotations:', // 35
  '    example.com/team-dashboard: https://grafana.example.com/d/pets', // 36
  'spec:', // 37
  '  type: service', // 38
  '  lifecycle: production', // 39
  '  owner: pets', // 40
  '  providesApis: [petstore]', // 41
];

/** The good catalog with the given lines (1-based) replaced. */
function withLines(replacements: Record<number, string>): string[] {
  return goodCatalog.map((line, i) => replacements[i + 1] ?? line);
}

function writeCatalog(lines: readonly string[]): string {
  const file = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const read = (file: string) => backstage.read([file], {}, { apiCodePaths: [] });

async function stateOf(store: SqliteStore) {
  return {
    items: await store.listItems({}),
    counts: await store.countInventory(),
    petstore: await store.getItemDetail('api', 'petstore'),
    directory: directoryOf(store),
  };
}

/** Imports the good catalog, then `lines` over it at a later time; the refusal must leave the store as it was. */
async function refusedOverGood(lines: readonly string[]) {
  const store = memoryStore();
  const file = writeCatalog(goodCatalog);
  const good = await importSnapshots(store, read(file));
  expect(good.applied).toBe(true);
  expect(good.problems).toEqual([]);
  const before = await stateOf(store);

  writeCatalog(lines);
  const report = await importSnapshots(store, read(file), { at: '2026-11-02T09:00:00Z' });

  expect(report.applied).toBe(false);
  expect(await stateOf(store)).toEqual(before);
  return { file, report, problems: report.problems.map(formatProblem) };
}

describe('backstage bad input: the catalog is refused and the store is unchanged', () => {
  it('when a good catalog is imported twice, then the second import changes nothing (the baseline the cases compare with)', async () => {
    const store = memoryStore();
    const file = writeCatalog(goodCatalog);
    await importSnapshots(store, read(file));
    const before = await stateOf(store);

    const again = await importSnapshots(store, read(file), { at: '2026-11-02T09:00:00Z' });

    expect(again.applied).toBe(true);
    expect(before.petstore?.item).toMatchObject({ sensitivity: 'internal', owner: { team: { slug: 'pets' }, accountable: { email: 'ana@example.com' } } });
    expect({ ...(await stateOf(store)), petstore: null }).toEqual({ ...before, petstore: null });
  });

  it('when a document has a YAML syntax error, then the problem names the file and the line of the error', async () => {
    const { file, problems } = await refusedOverGood(withLines({ 15: '  name: petstore-again' }));
    expect(problems).toEqual([`${file}:15: YAML: Map keys must be unique`]);
  });

  it('when the YAML is badly indented, then the problem names the file and a line at the error', async () => {
    const { file, report } = await refusedOverGood(withLines({ 15: '   description: Sells pets' }));
    expect(report.problems.length).toBeGreaterThan(0);
    for (const problem of report.problems) {
      expect(problem.at).toMatchObject({ file, document: 2 });
      expect([14, 15]).toContain(problem.at.line);
      expect(problem.message).toMatch(/^YAML: /);
    }
  });

  it('when an entity has no metadata.name, then the problem names that field at the metadata line', async () => {
    const { file, problems } = await refusedOverGood(withLines({ 14: '  title: Pet Store' }));
    expect(problems).toEqual([`${file}:13: metadata.name: is required`]);
  });

  it('when an entity has no kind, then the problem names that field at the document start', async () => {
    const { file, problems } = await refusedOverGood(withLines({ 32: '# kind removed' }));
    expect(problems).toEqual([`${file}:31: kind: is required`]);
  });

  it('when steward.dev/data-sensitivity is not a sensitivity, then the problem is on the annotation\'s own line', async () => {
    const { file, problems } = await refusedOverGood(withLines({ 20: '    steward.dev/data-sensitivity: top-secret' }));
    expect(problems).toEqual([
      `${file}:20: metadata.annotations.steward.dev/data-sensitivity: must be one of public, internal, confidential, restricted (got "top-secret")`,
    ]);
  });

  it('when steward.dev/accountable is not an email address, then the problem is on the annotation\'s own line', async () => {
    const { file, problems } = await refusedOverGood(withLines({ 21: '    steward.dev/accountable: ana@' }));
    expect(problems).toEqual([`${file}:21: metadata.annotations.steward.dev/accountable: is not an email address`]);
  });

  it('when a user: owner resolves to a malformed profile email, then both the user and the API owning line are named', async () => {
    const user = ['---', 'apiVersion: backstage.io/v1alpha1', 'kind: User', 'metadata:', '  name: bob', 'spec:', '  profile:', '    email: bob-at-example.com'];
    const { file, problems } = await refusedOverGood([...withLines({ 21: '    example.com/owner-note: none', 28: '  owner: user:bob' }), ...user]);
    expect(problems).toEqual([`${file}:49: spec.profile.email: is not an email address`, `${file}:28: spec.owner: is not an email address`]);
  });

  it('when steward.dev/identities is not a YAML list, then the problem is on the annotation\'s own line', async () => {
    const { file, problems } = await refusedOverGood(withLines({ 36: '    steward.dev/identities: "just one key"' }));
    expect(problems).toEqual([`${file}:36: metadata.annotations.steward.dev/identities: must be a YAML list of identities`]);
  });

  it('when a declared identity has a field Steward does not know, then it is refused naming the field', async () => {
    const { file, problems } = await refusedOverGood(withLines({ 36: "    steward.dev/identities: '[{ref: k1, kind: token, provider: x, secret_value: abc}]'" }));
    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${file}:36: metadata.annotations.steward.dev/identities\\[0\\].secret_value: is not a field Steward knows`))]);
  });

  it("when a Location target is a folder, then the import is refused at the target's line, naming the Location's file", async () => {
    fs.mkdirSync(path.join(dir, 'apis.yaml'));
    const file = writeCatalog(['apiVersion: backstage.io/v1alpha1', 'kind: Location', 'metadata:', '  name: all', 'spec:', '  targets: [./apis.yaml]']);

    const report = await importSnapshots(memoryStore(), read(file));

    expect(report.problems.map(formatProblem)).toEqual([`${file}:6: spec.targets[0]: is a folder; a Location target names a file`]);
  });

  it('when a root file does not exist, then reading throws an InputError naming it', () => {
    const missing = path.join(dir, 'missing.yaml');
    expect(() => read(missing)).toThrow(new InputError(`${missing}: cannot read the file (ENOENT)`));
  });
});

describe('backstage bad input: a pasted secret is refused where it is, and never echoed', () => {
  it.each([
    ['a third-party annotation of an API', 19, `    example.com/dashboard: ${slackToken}`, 'metadata.annotations.example.com/dashboard'],
    ['a steward.dev annotation of an API', 21, `    steward.dev/accountable: ${slackToken}`, 'metadata.annotations.steward.dev/accountable'],
    ['a label of an API', 17, `    tier: ${slackToken}`, 'metadata.labels.tier'],
    ['a link URL of an API', 23, `    - url: https://wiki.example.com/petstore?token=${slackToken}`, 'metadata.links[0].url'],
    ['a label of a Group', 6, `    cost-centre: ${slackToken}`, 'metadata.labels.cost-centre'],
    ['an annotation of a Component, which Steward does not import', 36, `    example.com/team-dashboard: ${slackToken}`, 'metadata.annotations.example.com/team-dashboard'],
    ['a description', 15, `  description: Use ${slackToken} to call it`, 'metadata.description'],
  ])('when a Slack token is pasted into %s, then the import is refused at that line and field', async (_where, line, text, field) => {
    const { file, report, problems } = await refusedOverGood(withLines({ [line]: text }));
    expect(problems).toEqual([`${file}:${line}: ${field}: looks like a Slack token; refused and not stored (value withheld)`]);
    expect(JSON.stringify(report)).not.toContain(slackToken);
  });

  it('when a Slack token is in a declared identity, then it is refused at the annotation\'s line', async () => {
    const identities = `    steward.dev/identities: '[{ref: k1, kind: token, provider: slack, purpose: "${slackToken}"}]'`;
    const { file, report, problems } = await refusedOverGood(withLines({ 36: identities }));
    expect(problems).toEqual([`${file}:36: metadata.annotations.steward.dev/identities: looks like a Slack token; refused and not stored (value withheld)`]);
    expect(JSON.stringify(report)).not.toContain(slackToken);
  });

  it('when a Slack token is the owner, then it is refused and no finding quotes it', async () => {
    const { file, report, problems } = await refusedOverGood(withLines({ 28: `  owner: user:${slackToken}` }));
    expect(problems).toEqual([`${file}:28: spec.owner: looks like a Slack token; refused and not stored (value withheld)`]);
    expect(JSON.stringify(report).toLowerCase()).not.toContain(slackToken.toLowerCase());
  });

  it('when a Slack token is a Location target, then it is refused and not quoted', async () => {
    const target = `./${slackToken}.yaml`;
    const { file, report, problems } = await refusedOverGood([...goodCatalog, '---', 'apiVersion: backstage.io/v1alpha1', 'kind: Location', 'metadata:', '  name: more', 'spec:', `  targets: [${target}]`]);
    expect(problems).toEqual([`${file}:48: spec.targets[0]: looks like a Slack token; refused and not stored (value withheld)`]);
    expect(JSON.stringify(report)).not.toContain(slackToken);
  });
});
