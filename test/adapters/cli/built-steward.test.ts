import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { projectFixture, projectRoot } from '../../support/fixtures.js';
import { cleanEnv, removeTempDirs, runSteward, stewardBin, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * bin/steward.js runs the JavaScript that `npm install` compiles into dist/ (vitest's global setup builds it again
 * when a source is newer): a missing build is told in one line, what lies beside the code is found from dist/, and
 * a command loads only what it uses, so it starts at once (the time itself is the bench's to measure).
 */

/** The packages loaded through Node's CommonJS loader (Bolt, botbuilder, pino, yaml, better-sqlite3 …) by `steward …args`. */
function packagesLoadedBy(args: readonly string[]): { code: number | null; packages: Set<string> } {
  const dir = tempDir();
  const listed = path.join(dir, 'loaded.txt');
  const preload = path.join(dir, 'list-loaded.mjs');
  fs.writeFileSync(
    preload,
    [
      "import fs from 'node:fs';",
      "import { createRequire } from 'node:module';",
      'const cache = createRequire(import.meta.url).cache;',
      `process.on('exit', () => fs.writeFileSync(${JSON.stringify(listed)}, Object.keys(cache).join('\\n')));`,
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(preload).href, stewardBin, ...args], { cwd: projectRoot, env: cleanEnv(), encoding: 'utf8' });
  const packages = new Set(fs.readFileSync(listed, 'utf8').split('\n').flatMap((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
  return { code: run.status, packages };
}

const onlyServeNeeds = ['@slack/bolt', '@slack/web-api', 'botbuilder', 'node-cron', 'pino-pretty'];

describe('steward as built', () => {
  test('when dist/ is missing, then it says in one line to run npm install, and exits 70', () => {
    const unbuilt = tempDir();
    fs.mkdirSync(path.join(unbuilt, 'bin'));
    fs.copyFileSync(stewardBin, path.join(unbuilt, 'bin/steward.js'));
    fs.writeFileSync(path.join(unbuilt, 'package.json'), JSON.stringify({ type: 'module' }));

    const run = spawnSync(process.execPath, [path.join(unbuilt, 'bin/steward.js'), 'help'], { env: cleanEnv(), encoding: 'utf8' });

    expect(run.status).toBe(70);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^steward: cannot start: Steward is not built \(no dist\/ in .+\): run `npm install` there first\.$/)]);
  });

  test('when it runs from dist/, then it finds the project folder, and the console demo its sample inventory there', async () => {
    const built = (file: string) => import(pathToFileURL(path.join(projectRoot, 'dist/adapters/cli', file)).href);
    const layout = (await built('build-layout.js')) as { fromSources: boolean; projectRoot: string };
    const sample = (await built('sample-inventory.js')) as { sampleInventoryDir: string };

    expect(layout.fromSources).toBe(false);
    expect(path.resolve(layout.projectRoot)).toBe(path.resolve(projectRoot));
    expect(sample.sampleInventoryDir).toBe(path.join(projectRoot, 'samples/inventory'));
    expect(fs.readdirSync(sample.sampleInventoryDir).length).toBeGreaterThan(0);
  });

  test('when `who` runs, then it loads the database, and neither what only serve needs nor the importers and the YAML parser', async () => {
    const db = path.join(tempDir(), 'steward.db');
    expect(await runSteward(['import', 'csv', projectFixture('cli/inventory/more-identities.csv'), '--db', db])).toMatchObject({ code: 0 });

    const { code, packages } = packagesLoadedBy(['who', 'billing-backup-key', '--db', db]);

    expect(code).toBe(0);
    expect(packages).toContain('better-sqlite3');
    for (const unused of [...onlyServeNeeds, 'yaml', 'papaparse']) expect(packages).not.toContain(unused);
  });

  test('when `check` runs, then it loads the catalog reader, and neither the database nor what only serve needs', () => {
    const { code, packages } = packagesLoadedBy(['check', projectFixture('cli/check/clean.yaml')]);

    expect(code).toBe(0);
    expect(packages).toContain('yaml');
    for (const unused of [...onlyServeNeeds, 'better-sqlite3']) expect(packages).not.toContain(unused);
  });
});
