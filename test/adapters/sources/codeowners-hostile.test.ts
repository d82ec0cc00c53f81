import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeowners } from '../../../adapters/sources/codeowners/codeowners.js';
import { InputError } from '../../../src/errors.js';
import type { SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import { formatProblem } from '../../../src/inventory/source-location.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { importSnapshots, memoryStore } from '../../support/import-into-memory.js';
import { useTempDir } from '../../support/temp-dir.js';

/*
 * CODEOWNERS as an attacker or a careless script writes it: patterns too long for any path, patterns that
 * would make a regular expression backtrack for ever, secrets pasted as owners or on lines GitHub skips, and
 * a file that is a device or leads out of the repository. Bad input is exit 2 naming the line; nothing hangs.
 */

const tmp = useTempDir('codeowners-hostile');
const slackToken = 'xoxb-2048-1234567890-AbCdEfGhIjKlMnOpQrStUvWx';
const githubToken = `ghp_${'A1b2C3d4E5'.repeat(4)}`;

async function storeWithApis(codePaths: Record<string, string>): Promise<SqliteStore> {
  const store = memoryStore();
  const catalog: SourceSnapshot = {
    source: 'catalog',
    format: 'test',
    entries: Object.entries(codePaths).map(([ref, codePath], i) => ({ type: 'api' as const, at: { file: 'catalog.yaml', line: i + 1 }, sourceKey: ref, data: { ref, name: ref, codePath } })),
  };
  expect((await importSnapshots(store, [catalog])).applied).toBe(true);
  return store;
}

async function importFile(file: string, codePaths: Record<string, string> = { petstore: 'services/petstore/' }) {
  const store = await storeWithApis(codePaths);
  const report = await importSnapshots(store, codeowners.read([file], {}, { apiCodePaths: await store.listApiCodePaths() }));
  return { store, report, problems: report.problems.map(formatProblem) };
}

describe('CODEOWNERS: patterns no regular expression should be trusted with', () => {
  it('when a pattern is a megabyte long, then the import is refused naming its line, not a regular-expression crash', async () => {
    const file = tmp.write('CODEOWNERS', `/services/ @acme/platform\n/${'a'.repeat(1_000_000)} @acme/nobody\n`);

    const { report, problems } = await importFile(file);

    expect(report.applied).toBe(false);
    expect(problems).toEqual([`${file}:2: pattern: is longer than 4096 characters, longer than any repository path; refused`]);
  });

  it('when a pattern has many wildcards and a code path nearly matches it, then the import still finishes at once', async () => {
    // The last matching line wins, so the lines are tried from the end: the hostile one first.
    const file = tmp.write('CODEOWNERS', `/services/ @acme/platform\n${'*a'.repeat(30)}*b @acme/nobody\n`);
    const started = performance.now();

    const { store, report } = await importFile(file, { petstore: `services/${'a'.repeat(80)}` });

    expect(report.applied).toBe(true);
    expect((await store.getItemDetail('api', 'petstore'))?.suggestions.map((s) => s.owners)).toEqual([['@acme/platform']]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('when a pattern repeats ** many times, then matching stays quick and ** still spans folders', async () => {
    const file = tmp.write('CODEOWNERS', `${'**/a/'.repeat(40)}c @acme/deep\n`);

    const { store, report } = await importFile(file, { petstore: `${'a/'.repeat(39)}x/c`, inventory: `${'a/'.repeat(40)}c` });

    expect(report.applied).toBe(true);
    expect((await store.getItemDetail('api', 'petstore'))?.suggestions).toEqual([]);
    expect((await store.getItemDetail('api', 'inventory'))?.suggestions.map((s) => s.owners)).toEqual([['@acme/deep']]);
  });
});

describe('CODEOWNERS: secrets are refused on every line, skipped lines included, and never echoed', () => {
  it.each([
    ['an owner after one that is not an owner (a skipped line)', `/services/ not-an-owner ${slackToken}`, 'owners', 'a Slack token'],
    ['an owner of a line with a character range (a skipped line)', `/services/[a-z]/ ${slackToken}`, 'owners', 'a Slack token'],
    ['an owner of a usable-looking line', `/services/ @acme/platform ${slackToken}`, 'owners', 'a Slack token'],
    ['the pattern itself', `/${githubToken}/ @acme/platform`, 'pattern', 'a GitHub token'],
    ['a comment line', `# old deploy token: ${slackToken}`, 'comment', 'a Slack token'],
    ['a comment after a usable line', `/services/ @acme/platform # ${githubToken}`, 'comment', 'a GitHub token'],
    ['a comment holding a private key header', `#${['-----BEGIN RSA', 'PRIVATE KEY-----'].join(' ')}`, 'comment', 'a private key'],
  ])('when a secret is %s, then the import is refused at its line and field', async (_where, line, field, kind) => {
    const file = tmp.write('CODEOWNERS', `# owners\n${line}\n`);

    const { report, problems } = await importFile(file);

    expect(report.applied).toBe(false);
    expect(problems).toEqual([`${file}:2: ${field}: looks like ${kind}; refused and not stored (value withheld)`]);
    expect(JSON.stringify(report)).not.toContain(slackToken);
    expect(JSON.stringify(report)).not.toContain(githubToken);
  });
});

describe('CODEOWNERS: the file read is a file, inside the repository given', () => {
  it('when the path given is a device, then it is refused by name without reading it', () => {
    const link = path.join(tmp.path, 'CODEOWNERS');
    fs.symlinkSync('/dev/zero', link);

    expect(() => codeowners.read([link], {}, { apiCodePaths: [] })).toThrow(new InputError(`${link}: cannot read the file (a device or socket, not a file)`));
  });

  it("when a repository's .github/CODEOWNERS is a symlink out of the repository, then it is refused", () => {
    const repo = path.join(tmp.path, 'repo');
    const outside = tmp.write('elsewhere/CODEOWNERS', '* @someone\n');
    fs.mkdirSync(path.join(repo, '.github'), { recursive: true });
    fs.symlinkSync(outside, path.join(repo, '.github/CODEOWNERS'));

    expect(() => codeowners.read([repo], {}, { apiCodePaths: [] })).toThrow(
      new InputError(`${path.join(repo, '.github/CODEOWNERS')}: cannot read the file (it leads outside ${fs.realpathSync(repo)}; allow its folder with --allow-root DIR)`),
    );
  });
});
