import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backstage } from '../../../adapters/sources/backstage/backstage.js';
import { inventoryCsv } from '../../../adapters/sources/csv/inventory-csv.js';
import { InputError } from '../../../src/errors.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';
import { useTempDir } from '../../support/temp-dir.js';

/*
 * `import` and `check` take a folder: for backstage every .yaml/.yml file under it, for csv every .csv file,
 * in one stable order (by path), skipping hidden folders; with the same rules as Location targets (inside the
 * folder, regular files, under the size limit).
 */

const tmp = useTempDir('folders');
afterAll(removeTempDirs);

const group = (name: string) => ['apiVersion: backstage.io/v1alpha1', 'kind: Group', 'metadata:', `  name: ${name}`, 'spec:', '  type: team', '  children: []'].join('\n');
const api = (name: string, owner = 'pets') =>
  ['apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', `  name: ${name}`, 'spec:', '  type: openapi', '  lifecycle: production', `  owner: ${owner}`, '  definition: x'].join('\n');
const apiWithoutOwner = (name: string) => ['apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', `  name: ${name}`, 'spec:', '  type: openapi'].join('\n');
const noKind = ['apiVersion: backstage.io/v1alpha1', 'metadata:', '  name: broken'].join('\n');

const readBackstage = (paths: string[]) => backstage.read(paths, {}, { apiCodePaths: [] });

describe('import backstage <folder>', () => {
  it('when given a folder, then every .yaml and .yml file under it is one source, and hidden folders and other files are left out', async () => {
    const dir = path.join(tmp.path, 'catalog');
    tmp.write('catalog/org.yaml', group('pets'));
    tmp.write('catalog/apis/petstore.yml', api('petstore'));
    tmp.write('catalog/apis/deep/inventory.yaml', api('inventory'));
    tmp.write('catalog/.github/workflows/ci.yaml', 'on: push\njobs: {}\n');
    tmp.write('catalog/README.md', '# not a catalog');
    const store = memoryStore();

    const snapshots = readBackstage([dir]);
    const report = await importSnapshots(store, snapshots);

    expect(snapshots.map((s) => s.source)).toEqual([`backstage:${dir}`]);
    expect(report.applied).toBe(true);
    expect((await store.listItems({})).items.map((i) => i.ref).sort()).toEqual(['inventory', 'petstore']);
  });

  it('when a YAML file in the folder holds no entity (an OpenAPI document), then it is skipped with a note, not refused', async () => {
    const dir = path.join(tmp.path, 'catalog');
    tmp.write('catalog/petstore-api.yaml', api('petstore'));
    tmp.write('catalog/petstore.oas.yaml', 'openapi: 3.0.0\ninfo:\n  title: Petstore\n  version: 1.0.0\npaths: {}\n');

    const report = await importSnapshots(memoryStore(), readBackstage([dir]));

    expect(report.applied).toBe(true);
    expect(report.sources[0]?.findings).toEqual([
      expect.objectContaining({ severity: 'info', code: 'backstage_not_a_catalog_file', message: `${path.join(dir, 'petstore.oas.yaml')} holds no catalog entity (no document with apiVersion or kind): skipped` }),
    ]);
  });

  it('when files in the folder are bad, then their problems come in path order, whatever order the disk lists them in', async () => {
    const dir = path.join(tmp.path, 'catalog');
    for (const name of ['b.yaml', 'a/z.yaml', 'a.yaml', 'A.yml']) tmp.write(`catalog/${name}`, `${noKind}\n`);

    const report = await importSnapshots(memoryStore(), readBackstage([dir]));

    expect(report.problems.map((p) => path.relative(dir, p.at.file))).toEqual(['A.yml', 'a.yaml', 'a/z.yaml', 'b.yaml']);
  });

  it('when a file in the folder is a symlink to a file outside it, then it is refused', async () => {
    const dir = path.join(tmp.path, 'catalog');
    tmp.write('catalog/petstore.yaml', api('petstore'));
    const outside = tmp.write('elsewhere/outsider.yaml', api('outsider'));
    fs.symlinkSync(outside, path.join(dir, 'link.yaml'));

    expect(() => readBackstage([dir])).toThrow(new InputError(`${path.join(dir, 'link.yaml')}: cannot read the file (it leads outside ${fs.realpathSync(dir)}; allow its folder with --allow-root DIR)`));
  });

  it('when a file in the folder is a FIFO, then it is refused without waiting for a writer', () => {
    const dir = path.join(tmp.path, 'catalog');
    tmp.write('catalog/petstore.yaml', api('petstore'));
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);

    expect(() => readBackstage([dir])).toThrow(new InputError(`${path.join(dir, 'pipe.yaml')}: cannot read the file (a device, FIFO or socket, not a file)`));
  });

  it('when the folder has no YAML file, then reading throws an InputError naming it', () => {
    const dir = path.join(tmp.path, 'empty');
    fs.mkdirSync(dir);

    expect(() => readBackstage([dir])).toThrow(new InputError(`${dir}: no .yaml or .yml file under this folder`));
  });
});

describe('import csv <folder>', () => {
  it('when given a folder, then each .csv file under it is its own source, in path order', async () => {
    const dir = path.join(tmp.path, 'inventory');
    tmp.write('inventory/b.csv', 'ref,name,owner_team\nbilling-api,Billing,pay\n');
    tmp.write('inventory/a/apis.csv', 'ref,name,owner_team\nledger-api,Ledger,pay\n');
    tmp.write('inventory/notes.txt', 'not a csv');
    const store = memoryStore();

    const snapshots = inventoryCsv.read([dir], {}, { apiCodePaths: [] });
    const report = await importSnapshots(store, snapshots);

    expect(snapshots.map((s) => s.source)).toEqual([`csv:${path.join(dir, 'a/apis.csv')}`, `csv:${path.join(dir, 'b.csv')}`]);
    expect(report.applied).toBe(true);
    expect((await store.listItems({})).items.map((i) => i.ref).sort()).toEqual(['billing-api', 'ledger-api']);
  });

  it('when a .csv in the folder is a symlink to a file outside it, then it is refused', () => {
    const dir = path.join(tmp.path, 'inventory');
    tmp.write('inventory/b.csv', 'ref,name\nbilling-api,Billing\n');
    fs.symlinkSync(tmp.write('elsewhere/secret.csv', 'ref\nx\n'), path.join(dir, 'link.csv'));

    expect(() => inventoryCsv.read([dir], {}, { apiCodePaths: [] })).toThrow(
      new InputError(`${path.join(dir, 'link.csv')}: cannot read the file (it leads outside ${fs.realpathSync(dir)}; allow its folder with --allow-root DIR)`),
    );
  });
});

describe('steward import and check with a folder', () => {
  it('when `check` is given a folder, then it reads its YAML and CSV files and lists what each lacks', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'org.yaml'), group('pets'));
    fs.writeFileSync(path.join(dir, 'unowned.yaml'), apiWithoutOwner('orphan-api'));
    fs.writeFileSync(path.join(dir, 'apis.csv'), 'ref,name\nsheet-api,Sheet API\n');

    const { code, stdout } = await runSteward(['check', dir]);

    expect(code).toBe(1);
    expect(stdout).toContain(`${path.join(dir, 'unowned.yaml')}:1: orphan-api:`);
    expect(stdout).toContain(`${path.join(dir, 'apis.csv')}:2: sheet-api:`);
  });

  it('when `import backstage` is given a folder, then its catalog is imported', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'catalog'));
    fs.writeFileSync(path.join(dir, 'catalog/org.yaml'), group('pets'));
    fs.writeFileSync(path.join(dir, 'catalog/petstore.yaml'), api('petstore'));
    const db = path.join(dir, 'steward.db');

    const imported = await runSteward(['import', 'backstage', path.join(dir, 'catalog'), '--db', db]);
    const listed = await runSteward(['list', '--json', '--db', db]);

    expect(imported.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { items: Array<{ ref: string }> }).items.map((i) => i.ref)).toEqual(['petstore']);
  });

  it('when `import` and `check` are given --allow-root, then a Location target under it is followed', async () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'catalog'));
    fs.mkdirSync(path.join(dir, 'shared'));
    fs.writeFileSync(path.join(dir, 'shared/petstore.yaml'), `${group('pets')}\n---\n${api('petstore')}\n`);
    const root = path.join(dir, 'catalog/all.yaml');
    fs.writeFileSync(root, ['apiVersion: backstage.io/v1alpha1', 'kind: Location', 'metadata:', '  name: all', 'spec:', '  targets: [../shared/petstore.yaml]'].join('\n'));
    const db = path.join(dir, 'steward.db');

    const refused = await runSteward(['check', root]);
    const checked = await runSteward(['check', root, '--allow-root', path.join(dir, 'shared')]);
    const imported = await runSteward(['import', 'backstage', root, '--allow-root', path.join(dir, 'shared'), '--db', db]);

    expect({ code: refused.code, stderr: refused.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`${root}:6: spec.targets[0]: points outside the catalog's folder`) });
    expect(checked.code).toBe(1); // the API has no accountable person: a finding, not bad input
    expect(checked.stdout).toContain('petstore');
    expect(imported.code).toBe(0);
  });
});
