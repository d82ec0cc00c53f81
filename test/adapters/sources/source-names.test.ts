import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsCredentialReport } from '../../../adapters/sources/aws/aws-credential-report.js';
import { backstage } from '../../../adapters/sources/backstage/backstage.js';
import { codeowners } from '../../../adapters/sources/codeowners/codeowners.js';
import { inventoryCsv } from '../../../adapters/sources/csv/inventory-csv.js';
import { gcpKeys } from '../../../adapters/sources/gcp/gcp-keys.js';
import { kubernetesServiceAccounts } from '../../../adapters/sources/kubernetes/kubernetes-service-accounts.js';
import type { SourceFormat } from '../../../adapters/sources/source-format.js';
import { InputError } from '../../../src/errors.js';
import { formatProblem } from '../../../src/inventory/source-location.js';
import { projectRoot } from '../../support/fixtures.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';
import { useTempDir } from '../../support/temp-dir.js';

/*
 * A source named after a path is named after the path, not after how it was typed: `samples/inventory`,
 * `samples/inventory/`, `./samples/inventory` and its absolute spelling are one source, so importing it again
 * another way is a re-import, not "belongs to source backstage:samples/inventory". And a folder where a format
 * takes files, or where a Location leads, is named as a folder.
 */

const tmp = useTempDir('source-names');
afterAll(removeTempDirs);

const read = (format: SourceFormat, paths: string[]) => format.read(paths, {}, { apiCodePaths: [] }).map((s) => s.source);

// The tests run from the project root (vitest's working directory); the names are relative to it.
const spellings = (relative: string) => [relative, `${relative}/`, `./${relative}`, `./${relative}//`, path.join(projectRoot, relative), `${path.join(projectRoot, relative)}/`];

describe('source names: one path, however it is typed', () => {
  it.each(spellings('samples/inventory'))('when backstage is given the folder as %s, then its source is backstage:samples/inventory', (given) => {
    expect(process.cwd()).toBe(projectRoot);
    expect(read(backstage, [given])).toEqual(['backstage:samples/inventory']);
  });

  it.each(spellings('samples/inventory/catalog.yaml').filter((s) => !s.endsWith('/')))('when backstage is given the file as %s, then its source is backstage:samples/inventory/catalog.yaml', (given) => {
    expect(read(backstage, [given])).toEqual(['backstage:samples/inventory/catalog.yaml']);
  });

  it.each(spellings('samples/inventory'))('when csv is given the folder as %s, then each file is csv:samples/inventory/<file>', (given) => {
    expect(read(inventoryCsv, [given])).toEqual(['csv:samples/inventory/identities.csv']);
  });

  it.each(spellings('samples/inventory/identities.csv').filter((s) => !s.endsWith('/')))('when csv is given the file as %s, then its source is csv:samples/inventory/identities.csv', (given) => {
    expect(read(inventoryCsv, [given])).toEqual(['csv:samples/inventory/identities.csv']);
  });

  it('when codeowners is given a repository as ./ and as its absolute path, then both are one source', () => {
    const relative = path.relative(projectRoot, tmp.path);
    tmp.write('CODEOWNERS', '* @acme/platform\n');

    expect(read(codeowners, [`${tmp.path}/`])).toEqual(read(codeowners, [relative]));
  });

  it('when a path is outside the working directory, then its source is its absolute path, however it is typed', () => {
    const file = tmp.write('apis.csv', 'ref,name\npetstore,Petstore\n');
    const relative = path.relative(projectRoot, file);

    expect(relative.startsWith('..')).toBe(true);
    expect(read(inventoryCsv, [relative])).toEqual([`csv:${file}`]);
    expect(read(inventoryCsv, [file])).toEqual([`csv:${file}`]);
  });
});

describe('steward import, the same folder typed another way', () => {
  it.each([
    ['backstage', 'samples/inventory/'],
    ['backstage', './samples/inventory'],
    ['backstage', path.join(projectRoot, 'samples/inventory')],
    ['csv', './samples/inventory/'],
    ['csv', path.join(projectRoot, 'samples/inventory/identities.csv')],
  ])('when `import %s samples/inventory` is followed by `import … %s`, then the second is a re-import, not refused', async (format, again) => {
    const db = path.join(tempDir(), 'steward.db');
    expect((await runSteward(['import', format, 'samples/inventory', '--db', db])).code).toBe(0);

    const second = await runSteward(['import', format, again, '--db', db]);

    expect(second.stderr).not.toContain('belongs to source');
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Identities: +0 created, 0 updated, \d+ unchanged, 0 vanished/);
  });
});

describe('a folder where a file goes', () => {
  it.each([
    ['kubernetes', kubernetesServiceAccounts],
    ['gcp-keys', gcpKeys],
    ['aws-credential-report', awsCredentialReport],
  ] as const)('when %s is given a folder, then it is refused as a folder, not "cannot read the file (EISDIR)"', (_name, format) => {
    tmp.write('exports/one.json', '{}');

    expect(() => format.read([path.join(tmp.path, 'exports')], {}, { apiCodePaths: [] })).toThrow(new InputError(`${path.join(tmp.path, 'exports')}: is a folder; give the file(s)`));
  });

  it.each(['kubernetes', 'gcp-keys', 'aws-credential-report'])('when `steward import %s` is given a folder, then it exits 2 saying so', async (format) => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'exports'));

    const { code, stderr } = await runSteward(['import', format, 'exports', '--db', path.join(dir, 'steward.db')], { cwd: dir });

    expect({ code, stderr }).toEqual({ code: 2, stderr: 'steward: exports: is a folder; give the file(s)\n' });
  });

  it("when a Backstage Location target is a folder, then the import is refused at the Location's file, line and field", async () => {
    tmp.write('catalog/apis/petstore.yaml', 'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: petstore\nspec:\n  type: openapi\n');
    const file = tmp.write('catalog/catalog-info.yaml', ['apiVersion: backstage.io/v1alpha1', 'kind: Location', 'metadata:', '  name: all', 'spec:', '  targets:', '    - ./apis', ''].join('\n'));

    const report = await importSnapshots(memoryStore(), backstage.read([file], {}, { apiCodePaths: [] }));

    expect(report.applied).toBe(false);
    expect(report.problems.map(formatProblem)).toEqual([`${file}:7: spec.targets[0]: is a folder; a Location target names a file`]);
  });
});
