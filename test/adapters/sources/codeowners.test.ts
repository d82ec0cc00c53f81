import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeowners } from '../../../adapters/sources/codeowners/codeowners.js';
import { parseCodeowners } from '../../../adapters/sources/codeowners/codeowners-rules.js';
import { sourceFormats } from '../../../adapters/sources/formats.js';
import { InputError } from '../../../src/errors.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { sharedFixture, sharedFixturesAvailable } from '../../support/fixtures.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { useTempDir } from '../../support/temp-dir.js';

const fixtureFile = sharedFixture('github', 'CODEOWNERS.github-docs-example');
const needsFixture = (name: string) => (sharedFixturesAvailable ? name : `${name} (skipped: ../shared/fixtures is not checked out)`);
const fixtureText = () => fs.readFileSync(fixtureFile, 'utf8');
/** The fixture read up to and including `line`, so an example can be checked before later lines override it. */
const fixtureUpTo = (line: number) => fixtureText().split('\n').slice(0, line).join('\n');

const tmp = useTempDir('codeowners');
const writeFile = (relative: string, text: string) => tmp.write(relative, text);

/** A store holding APIs with these code paths, as another source (a catalog) would have imported them. */
async function storeWithApis(codePaths: Record<string, string>): Promise<SqliteStore> {
  const store = memoryStore();
  const catalog: SourceSnapshot = {
    source: 'catalog',
    format: 'test',
    entries: Object.entries(codePaths).map(([ref, codePath], i) => ({
      type: 'api' as const,
      at: { file: 'catalog.yaml', line: i + 1 },
      sourceKey: ref,
      data: { ref, name: ref, codePath },
    })),
  };
  const report = await importSnapshots(store, [catalog]);
  expect(report.applied).toBe(true);
  return store;
}

async function importCodeowners(store: SqliteStore, paths: string[], source?: string) {
  const snapshots = codeowners.read(paths, source === undefined ? {} : { source }, { apiCodePaths: await store.listApiCodePaths() });
  return importSnapshots(store, snapshots);
}

async function suggestionsOf(store: SqliteStore, ref: string) {
  return (await store.getItemDetail('api', ref))?.suggestions;
}

describe.skipIf(!sharedFixturesAvailable)(needsFixture('CODEOWNERS rules, against GitHub\'s documented example'), () => {
  it('when the example is read, then every line is a rule and the inline comment is not an owner', () => {
    const { rules, skipped } = parseCodeowners(fixtureText());
    expect(skipped).toEqual([]);
    expect(rules.map((r) => r.line)).toEqual([8, 14, 19, 25, 30, 35, 39, 44, 48, 53, 58, 59, 64, 65]);
    expect(rules.find((r) => r.line === 14)?.owners).toEqual(['@js-owner']);
  });

  // The whole file, as GitHub evaluates it: the last matching line wins, so later examples override earlier ones.
  it.each([
    ['README.md', 8, ['@global-owner1', '@global-owner2']],
    ['src/index.js', 14, ['@js-owner']],
    ['cmd/server/main.go', 19, ['docs@example.com']],
    ['notes/todo.txt', 25, ['@octo-org/octocats']],
    ['build/logs/today.log', 53, ['@octocat']], // `**/logs` (line 53) comes after `/build/logs/` (line 30)
    ['docs/getting-started.md', 44, ['@doctocat']], // `/docs/` comes after `docs/*`
    ['docs/build-app/troubleshooting.md', 44, ['@doctocat']],
    ['src/apps/main.rb', 39, ['@octocat']], // `apps/` at any depth; the later `/apps/` lines are anchored to the root
    ['src/docs/guide.md', 8, ['@global-owner1', '@global-owner2']], // `/docs/` is anchored to the root
    ['scripts/deploy.sh', 48, ['@doctocat', '@octocat']],
    ['scripts/logs/run.log', 53, ['@octocat']],
    ['deeply/nested/logs/trace.txt', 53, ['@octocat']], // `**/logs` comes after `*.txt`
    ['apps/web/index.js', 64, ['@octocat']],
    ['apps/github/README.md', 65, ['@doctocat']],
    ['Docs/getting-started.md', 8, ['@global-owner1', '@global-owner2']], // paths are case-sensitive
    ['lib/README.JS', 8, ['@global-owner1', '@global-owner2']],
  ] as const)('when the whole file is read, then %s is owned by line %i', (file, line, owners) => {
    const rule = parseCodeowners(fixtureText()).ownersOf(file);
    expect({ line: rule?.line, owners: rule?.owners }).toEqual({ line, owners });
  });

  // Each example on its own (the file up to that example), checking what its comment says it owns.
  it.each([
    [14, 'src/index.js', 14, ['@js-owner']], // "only @js-owner and not the global owner(s)"
    [14, 'README.md', 8, ['@global-owner1', '@global-owner2']],
    [30, 'build/logs/today.log', 30, ['@doctocat']], // "build/logs … and any of its subdirectories"
    [30, 'build/logs/2026/01/today.log', 30, ['@doctocat']],
    [30, 'src/build/logs/today.log', 8, ['@global-owner1', '@global-owner2']],
    [35, 'docs/getting-started.md', 35, ['docs@example.com']], // "docs/* will match docs/getting-started.md"
    [35, 'docs/build-app/troubleshooting.md', 8, ['@global-owner1', '@global-owner2']], // "but not further nested files"
    [39, 'apps/main.rb', 39, ['@octocat']], // "any file in an apps directory anywhere"
    [39, 'src/apps/main.rb', 39, ['@octocat']],
    [44, 'docs/build-app/troubleshooting.md', 44, ['@doctocat']], // "/docs … and any of its subdirectories"
    [53, 'build/logs/today.log', 53, ['@octocat']], // "/build/logs, /scripts/logs, and /deeply/nested/logs"
    [53, 'scripts/logs/run.log', 53, ['@octocat']],
    [53, 'deeply/nested/logs/trace.txt', 53, ['@octocat']],
    [59, 'apps/web/index.js', 58, ['@octocat']], // "@octocat owns any file in the /apps directory …
    [59, 'apps/github/README.md', 59, []], // … except for the /apps/github subdirectory, as its owners are left empty"
    [65, 'apps/github/README.md', 65, ['@doctocat']], // "this subdirectory has its own owner @doctocat"
  ] as const)('when the file is read up to line %i, then %s is owned by line %i', (upTo, file, line, owners) => {
    const rule = parseCodeowners(fixtureUpTo(upTo)).ownersOf(file);
    expect({ line: rule?.line, owners: rule?.owners }).toEqual({ line, owners });
  });
});

describe('CODEOWNERS rules, patterns beyond the example', () => {
  it.each([
    ['/*', 'Makefile', true], // a leading slash with a lone `*`: top-level files only
    ['/*', 'src/Makefile', false],
    ['src/*/test', 'src/api/test/unit.ts', true],
    ['src/*/test', 'src/api/v1/test/unit.ts', false],
    ['src/**/test', 'src/api/v1/test/unit.ts', true],
    ['src/**/test', 'lib/src/test/unit.ts', false], // a slash in the middle anchors to the root
    ['v?.yaml', 'api/v1.yaml', true],
    ['v?.yaml', 'api/v10.yaml', false],
    ['/', 'anything', false], // the root itself is not a file
  ])('when the only line is "%s @x", then %s matches: %s', (pattern, file, matches) => {
    expect(parseCodeowners(`${pattern} @x`).ownersOf(file) !== undefined).toBe(matches);
  });
});

describe('CODEOWNERS rules, syntax GitHub does not support', () => {
  it.each([
    ['!services/petstore/ @acme/nobody', '"!" negation'],
    ['services/[pq]etstore/ @acme/nobody', '"[ ]" character ranges'],
    ['\\#services/ @acme/nobody', '"\\" escapes'],
    ['services/petstore/ nobody', '"nobody" is not an @user, an @org/team or an email address'],
  ])('when a line reads %s, then it is skipped and the earlier rule still decides', (line, why) => {
    const parsed = parseCodeowners(`/services/ @acme/platform\n${line}\n`);
    expect(parsed.skipped).toEqual([{ line: 2, reason: expect.stringContaining(why) as string }]);
    expect(parsed.ownersOf('services/petstore/api.yaml')?.owners).toEqual(['@acme/platform']);
  });

  it('when a line has only a comment or is blank, then it is neither a rule nor skipped', () => {
    const parsed = parseCodeowners('# heading\n\n   \r\n*.js @js-owner # trailing\r\n');
    expect(parsed.rules.map((r) => [r.line, r.pattern, r.owners])).toEqual([[4, '*.js', ['@js-owner']]]);
    expect(parsed.skipped).toEqual([]);
  });
});

describe.skipIf(!sharedFixturesAvailable)(needsFixture('codeowners import, into a real store'), () => {
  it('when APIs have code paths, then each API shows the suggestion of the last matching line', async () => {
    const store = await storeWithApis({ petstore: 'apps/petstore/', 'github-app': 'apps/github/', notes: 'services/notes/openapi.txt' });
    const report = await importCodeowners(store, [fixtureFile]);

    expect(report.applied).toBe(true);
    expect(report.sources).toMatchObject([{ source: `codeowners:${fixtureFile}`, format: 'codeowners', suggestions: 3, findings: [] }]);
    const source = `codeowners:${fixtureFile}`;
    expect(await suggestionsOf(store, 'petstore')).toEqual([{ source, owners: ['@octocat'], team: null, reason: 'CODEOWNERS line 64: /apps/' }]);
    expect(await suggestionsOf(store, 'github-app')).toEqual([{ source, owners: ['@doctocat'], team: null, reason: 'CODEOWNERS line 65: /apps/github' }]);
    expect(await suggestionsOf(store, 'notes')).toEqual([{ source, owners: ['@octo-org/octocats'], team: 'octocats', reason: 'CODEOWNERS line 25: *.txt' }]);
  });

  it('when APIs have code paths, then their owners are left as they were (CODEOWNERS only suggests)', async () => {
    const store = await storeWithApis({ notes: 'services/notes/openapi.txt' });
    await importCodeowners(store, [fixtureFile]);

    const detail = await store.getItemDetail('api', 'notes');
    expect(detail?.item.owner.team).toBeNull();
    expect(detail?.history).toEqual([]);
  });

  it('when the last matching line names no owners, then the suggestion is empty and says the path is explicitly unowned', async () => {
    const file = writeFile('CODEOWNERS', fixtureUpTo(59));
    const store = await storeWithApis({ 'github-app': 'apps/github/' });
    await importCodeowners(store, [file]);

    expect(await suggestionsOf(store, 'github-app')).toEqual([
      {
        source: `codeowners:${file}`,
        owners: [],
        team: null,
        reason: 'CODEOWNERS line 59: /apps/github (no owners: the path is explicitly unowned at line 59)',
      },
    ]);
  });
});

describe('codeowners import, into a real store', () => {
  it('when the format list is consulted, then codeowners is registered and asks for the APIs\' code paths', () => {
    expect(sourceFormats.get('codeowners')).toBe(codeowners);
    expect(codeowners.needsApiCodePaths).toBe(true);
  });

  it('when an API\'s code path matches no line, then it gets no suggestion', async () => {
    const file = writeFile('CODEOWNERS', '/services/ @acme/platform\n');
    const store = await storeWithApis({ petstore: 'services/petstore/', legacy: 'legacy/billing/' });
    const report = await importCodeowners(store, [file]);

    expect(report.sources[0]?.suggestions).toBe(1);
    expect(await suggestionsOf(store, 'legacy')).toEqual([]);
  });

  it('when a line names one team among other owners, then that team is suggested, lower-cased', async () => {
    const file = writeFile('CODEOWNERS', '/services/ @alice @Acme/Pet-Owners bob@example.com\n/services/billing/ @acme/payments @acme/finance\n');
    const store = await storeWithApis({ petstore: 'services/petstore/', billing: 'services/billing/' });
    await importCodeowners(store, [file]);

    expect((await suggestionsOf(store, 'petstore'))?.[0]).toMatchObject({ owners: ['@alice', '@Acme/Pet-Owners', 'bob@example.com'], team: 'pet-owners' });
    expect((await suggestionsOf(store, 'billing'))?.[0]).toMatchObject({ owners: ['@acme/payments', '@acme/finance'], team: null });
  });

  it('when a code path is a directory, then a file-type pattern does not claim it but a file path does', async () => {
    const file = writeFile('CODEOWNERS', '* @default\n*.yaml @spec-owners\n');
    const store = await storeWithApis({ dir: 'services/petstore/', spec: '/services/petstore/openapi.yaml' });
    await importCodeowners(store, [file]);

    expect((await suggestionsOf(store, 'dir'))?.[0]?.owners).toEqual(['@default']);
    expect((await suggestionsOf(store, 'spec'))?.[0]?.owners).toEqual(['@spec-owners']);
  });

  it('when the file changes and is imported again, then its suggestions are replaced and stale ones removed', async () => {
    const file = writeFile('CODEOWNERS', '/services/petstore/ @acme/pets\n/services/billing/ @acme/billing\n');
    const store = await storeWithApis({ petstore: 'services/petstore/', billing: 'services/billing/' });
    await importCodeowners(store, [file]);
    fs.writeFileSync(file, '# billing lost its line\n/services/petstore/ @acme/pet-platform @alice\n');
    const report = await importCodeowners(store, [file]);

    expect(report.sources[0]?.suggestions).toBe(1);
    expect(await suggestionsOf(store, 'petstore')).toEqual([
      { source: `codeowners:${file}`, owners: ['@acme/pet-platform', '@alice'], team: 'pet-platform', reason: 'CODEOWNERS line 2: /services/petstore/' },
    ]);
    expect(await suggestionsOf(store, 'billing')).toEqual([]);
  });

  it('when a line uses negation, a range or an escape, then it is skipped and reported as a warning finding', async () => {
    const file = writeFile('CODEOWNERS', '/services/ @acme/platform\n!/services/petstore/ @acme/nobody\n/services/[a-z]*/ @acme/nobody\n\\#services @acme/nobody\n');
    const store = await storeWithApis({ petstore: 'services/petstore/' });
    const report = await importCodeowners(store, [file]);

    expect(report.applied).toBe(true);
    expect(report.sources[0]?.findings).toEqual(
      [2, 3, 4].map((line) => ({
        severity: 'warning',
        code: 'codeowners_invalid_line',
        subject: `${file}:${line}`,
        message: expect.stringContaining('GitHub skips this line') as string,
        at: { file, line },
      })),
    );
    expect((await suggestionsOf(store, 'petstore'))?.[0]?.owners).toEqual(['@acme/platform']);
  });

  it.each([
    [['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'], '.github/CODEOWNERS'],
    [['CODEOWNERS', 'docs/CODEOWNERS'], 'CODEOWNERS'],
    [['docs/CODEOWNERS'], 'docs/CODEOWNERS'],
  ])('when a directory holding %j is given, then %s is used', async (present, used) => {
    for (const location of present) writeFile(location, `* @owner-from-${location.replaceAll(/[./]/g, '-')}\n`);
    const store = await storeWithApis({ petstore: 'services/petstore/' });
    await importCodeowners(store, [tmp.path]);

    expect(await suggestionsOf(store, 'petstore')).toEqual([
      { source: `codeowners:${tmp.path}`, owners: [`@owner-from-${used.replaceAll(/[./]/g, '-')}`], team: null, reason: 'CODEOWNERS line 1: *' },
    ]);
  });

  it('when a directory holds no CODEOWNERS file, then it is refused naming the directory', () => {
    writeFile('src/CODEOWNERS/readme.md', 'a directory named CODEOWNERS is not the file');
    expect(() => codeowners.read([tmp.path], {}, { apiCodePaths: [] })).toThrow(new InputError(`${tmp.path}: no CODEOWNERS file (looked for .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS)`));
  });

  it('when the file is over 3 MB, then it is refused naming the file, and a file of exactly 3 MB is read', () => {
    const limit = 3 * 1024 * 1024;
    const large = writeFile('large/CODEOWNERS', '');
    fs.truncateSync(large, limit + 1);
    const atLimit = writeFile('at-limit/CODEOWNERS', `${'#'.repeat(limit - 1)}\n`);

    expect(() => codeowners.read([large], {}, { apiCodePaths: [] })).toThrow(InputError);
    expect(() => codeowners.read([large], {}, { apiCodePaths: [] })).toThrow(`${large}: larger than 3 MB`);
    expect([...(codeowners.read([atLimit], {}, { apiCodePaths: [] })[0]?.entries ?? [])]).toEqual([]);
  });

  it('when the file is not UTF-8 text, then the import fails with an InputError and writes nothing', async () => {
    const file = path.join(tmp.path, 'CODEOWNERS');
    fs.writeFileSync(file, Buffer.from([0x2a, 0x20, 0x40, 0xff, 0xfe, 0x0a]));
    const store = await storeWithApis({ petstore: 'services/petstore/' });

    expect(() => codeowners.read([file], {}, { apiCodePaths: [] })).toThrow(new InputError(`${file}: cannot read the file (not UTF-8 text)`));
    await expect(importCodeowners(store, [file])).rejects.toThrow(new InputError(`${file}: cannot read the file (not UTF-8 text)`));
    expect(await suggestionsOf(store, 'petstore')).toEqual([]);
  });

  it('when one snapshot is imported as a dry run and then for real, then the suggestions are made both times', async () => {
    const file = writeFile('CODEOWNERS', '/services/ @acme/platform\n');
    const store = await storeWithApis({ petstore: 'services/petstore/' });
    const snapshots = codeowners.read([file], {}, { apiCodePaths: await store.listApiCodePaths() });

    const dry = await importSnapshots(store, snapshots, { dryRun: true });
    const real = await importSnapshots(store, snapshots);

    expect([dry.sources[0]?.suggestions, real.sources[0]?.suggestions]).toEqual([1, 1]);
    expect((await suggestionsOf(store, 'petstore'))?.[0]?.team).toBe('platform');
  });

  it('when several files are given, then each is its own snapshot named after its path', () => {
    const a = writeFile('a/CODEOWNERS', '* @a\n');
    const b = writeFile('b/CODEOWNERS', '* @b\n');
    const snapshots = codeowners.read([a, b], {}, { apiCodePaths: [] });
    expect(snapshots.map((s) => [s.source, s.format])).toEqual([
      [`codeowners:${a}`, 'codeowners'],
      [`codeowners:${b}`, 'codeowners'],
    ]);
  });

  it('when a source name is given, then it names the snapshot, and it is refused for several files', () => {
    const a = writeFile('a/CODEOWNERS', '* @a\n');
    const b = writeFile('b/CODEOWNERS', '* @b\n');
    expect(codeowners.read([a], { source: 'github:acme/monorepo' }, { apiCodePaths: [] }).map((s) => s.source)).toEqual(['github:acme/monorepo']);
    expect(() => codeowners.read([a, b], { source: 'github:acme/monorepo' }, { apiCodePaths: [] })).toThrow(InputError);
  });
});
