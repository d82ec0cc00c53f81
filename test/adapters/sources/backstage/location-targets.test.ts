import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backstage } from '../../../../adapters/sources/backstage/backstage.js';
import { maxCatalogFileBytes } from '../../../../adapters/sources/source-files.js';
import { InputError } from '../../../../src/errors.js';
import { formatProblem } from '../../../../src/inventory/source-location.js';
import { importSnapshots, memoryStore } from '../../../support/import-into-memory.js';
import { useTempDir } from '../../../support/temp-dir.js';

/*
 * Location targets are read only inside the catalog's folder (the folder of the file given on the command
 * line), or under a folder the operator allows with --allow-root; never a device, FIFO or socket, never more
 * than the size limit; and the file checked is the file read.
 */

const tmp = useTempDir('locations');

const location = (...targets: string[]) =>
  ['apiVersion: backstage.io/v1alpha1', 'kind: Location', 'metadata:', '  name: all', 'spec:', '  targets:', ...targets.map((t) => `    - ${t}`)].join('\n');
const targetLine = 7; // the first target's line in `location(…)`

const api = (name: string) =>
  ['apiVersion: backstage.io/v1alpha1', 'kind: API', 'metadata:', `  name: ${name}`, 'spec:', '  type: openapi', '  lifecycle: production', '  owner: pets', '  definition: x'].join('\n');

async function importCatalog(root: string, allowRoots?: string[]) {
  const store = memoryStore();
  const snapshots = backstage.read([root], allowRoots === undefined ? {} : { allowRoots }, { apiCodePaths: [] });
  const report = await importSnapshots(store, snapshots);
  const refs = (await store.listItems({})).items.map((i) => i.ref);
  return { report, refs, problems: report.problems.map(formatProblem) };
}

const outsideMessage = (root: string) => `points outside the catalog's folder (${fs.realpathSync(path.dirname(root))}); to read it, allow its folder with --allow-root DIR`;

describe('backstage Location targets stay inside the catalog', () => {
  it('when a target is inside the catalog folder, then it is followed', async () => {
    tmp.write('catalog/apis/petstore.yaml', api('petstore'));
    const root = tmp.write('catalog/all.yaml', location('./apis/petstore.yaml'));

    const { report, refs } = await importCatalog(root);

    expect(report.applied).toBe(true);
    expect(refs).toEqual(['petstore']);
  });

  it('when a relative target climbs out of the catalog folder, then the import is refused at the target line and nothing is read from there', async () => {
    tmp.write('elsewhere/secrets.yaml', api('outsider'));
    const root = tmp.write('catalog/all.yaml', location('../elsewhere/secrets.yaml'));

    const { report, refs, problems } = await importCatalog(root);

    expect(report.applied).toBe(false);
    expect(refs).toEqual([]);
    expect(problems).toEqual([`${root}:${targetLine}: spec.targets[0]: ${outsideMessage(root)}`]);
  });

  it('when the operator allows the other folder with --allow-root, then the target outside is followed', async () => {
    tmp.write('elsewhere/shared.yaml', api('shared-api'));
    const root = tmp.write('catalog/all.yaml', location('../elsewhere/shared.yaml'));

    const { report, refs } = await importCatalog(root, [path.join(tmp.path, 'elsewhere')]);

    expect(report.applied).toBe(true);
    expect(refs).toEqual(['shared-api']);
  });

  it('when an allowed root is not a folder, then reading throws an InputError naming the option', () => {
    const root = tmp.write('catalog/all.yaml', location('./x.yaml'));
    const missing = path.join(tmp.path, 'nowhere');

    expect(() => backstage.read([root], { allowRoots: [missing] }, { apiCodePaths: [] })).toThrow(new InputError(`--allow-root ${missing}: not a folder (ENOENT)`));
  });

  it('when an absolute target is inside the catalog folder, then that very file is read (not the path joined onto the folder)', async () => {
    const target = tmp.write('catalog/apis/petstore.yaml', api('petstore'));
    const root = tmp.write('catalog/all.yaml', location(target));

    const { report, refs } = await importCatalog(root);

    expect(report.applied).toBe(true);
    expect(refs).toEqual(['petstore']);
  });

  it('when an absolute target is outside the catalog folder, then it is refused', async () => {
    const target = tmp.write('elsewhere/outsider.yaml', api('outsider'));
    const root = tmp.write('catalog/all.yaml', location(target));

    const { refs, problems } = await importCatalog(root);

    expect(refs).toEqual([]);
    expect(problems).toEqual([`${root}:${targetLine}: spec.targets[0]: ${outsideMessage(root)}`]);
  });

  it('when a target is a symlink inside the folder to a file outside it, then it counts as outside', async () => {
    const outside = tmp.write('elsewhere/outsider.yaml', api('outsider'));
    const root = tmp.write('catalog/all.yaml', location('./link.yaml'));
    fs.symlinkSync(outside, path.join(tmp.path, 'catalog/link.yaml'));

    const { refs, problems } = await importCatalog(root);

    expect(refs).toEqual([]);
    expect(problems).toEqual([`${root}:${targetLine}: spec.targets[0]: ${outsideMessage(root)}`]);
  });

  it('when a target is a symlink that stays inside the folder, then it is followed', async () => {
    const inside = tmp.write('catalog/real/petstore.yaml', api('petstore'));
    const root = tmp.write('catalog/all.yaml', location('./link.yaml'));
    fs.symlinkSync(inside, path.join(tmp.path, 'catalog/link.yaml'));

    const { report, refs } = await importCatalog(root);

    expect(report.applied).toBe(true);
    expect(refs).toEqual(['petstore']);
  });

  it('when a target climbs to /dev/zero, then it is refused as not a regular file, even under an allowed root, without reading it', async () => {
    const root = tmp.write('catalog/all.yaml', location(`${path.relative(path.join(tmp.path, 'catalog'), '/dev/zero')}`));

    const { report, problems } = await importCatalog(root, ['/dev']);

    expect(report.applied).toBe(false);
    expect(problems).toEqual([`${root}:${targetLine}: spec.targets[0]: is not a regular file (a device, FIFO or socket); refused`]);
  });

  it('when a target is a FIFO inside the folder, then it is refused without waiting for a writer', async () => {
    const root = tmp.write('catalog/all.yaml', location('./pipe.yaml'));
    execFileSync('mkfifo', [path.join(tmp.path, 'catalog/pipe.yaml')]);

    const { problems } = await importCatalog(root);

    expect(problems).toEqual([`${root}:${targetLine}: spec.targets[0]: is not a regular file (a device, FIFO or socket); refused`]);
  });

  it('when a target is larger than the limit, then it is refused without reading it', async () => {
    const big = path.join(tmp.path, 'catalog/huge.yaml');
    fs.mkdirSync(path.dirname(big), { recursive: true });
    fs.writeFileSync(big, '');
    fs.truncateSync(big, maxCatalogFileBytes + 1); // sparse: no disk is spent
    const root = tmp.write('catalog/all.yaml', location('./huge.yaml'));

    const { problems } = await importCatalog(root);

    expect(problems).toEqual([`${root}:${targetLine}: spec.targets[0]: is larger than ${maxCatalogFileBytes / (1 << 20)} MiB (${maxCatalogFileBytes + 1} bytes); refused`]);
  });

  it('when a target is missing, then it is still a warning and the rest imports', async () => {
    tmp.write('catalog/apis/petstore.yaml', api('petstore'));
    const root = tmp.write('catalog/all.yaml', location('./apis/petstore.yaml', './gone.yaml'));

    const { report, refs } = await importCatalog(root);

    expect(report.applied).toBe(true);
    expect(refs).toEqual(['petstore']);
    expect(report.sources[0]?.findings.map((f) => f.code)).toEqual(['backstage_missing_location']);
  });

  it('when the file given on the command line is larger than the limit, then reading throws an InputError naming it', () => {
    const big = tmp.write('catalog/all.yaml', '');
    fs.truncateSync(big, maxCatalogFileBytes + 1);

    expect(() => backstage.read([big], {}, { apiCodePaths: [] })).toThrow(
      new InputError(`${big}: cannot read the file (larger than ${maxCatalogFileBytes / (1 << 20)} MiB: ${maxCatalogFileBytes + 1} bytes)`),
    );
  });

  it('when the file given on the command line is a device, then reading throws an InputError naming it', () => {
    expect(() => backstage.read(['/dev/zero'], {}, { apiCodePaths: [] })).toThrow(new InputError('/dev/zero: cannot read the file (a device or socket, not a file)'));
  });
});
