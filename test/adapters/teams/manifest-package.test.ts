import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { defaultOutput, placeholderAppId, placeholderHost, runTeamsPackage, type PackagePaths } from '../../../adapters/teams/package-app.js';
import { projectRoot } from '../../support/fixtures.js';
import { useTempDir } from '../../support/temp-dir.js';

const manifestDir = path.join(projectRoot, 'adapters/teams/manifest');
const committed = JSON.parse(readFileSync(path.join(manifestDir, 'manifest.json'), 'utf8')) as Record<string, unknown> & { bots: Array<Record<string, unknown>> };

const appId = '3f2b8c4e-91d7-4a6b-b0c2-7e5d1f9a6c83';
const host = 'steward.corp.example';
const env = { MICROSOFT_APP_ID: appId, STEWARD_PUBLIC_HOST: host };

const schemaPath = path.resolve(projectRoot, '../shared/schemas/teams-manifest.schema.v1.19.json');
const haveSchema = existsSync(schemaPath);

/** As in manifest.test.ts: the draft-04 `$schema` dropped, compiled under Ajv's draft-07 rules so `const` holds. */
function manifestValidator() {
  const { $schema: _draft04, ...schema } = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strictTypes: false, strictRequired: false });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  return ajv.compile(schema);
}

/** Runs the command in process; what it printed, and its exit code. */
function run(argv: string[], environment: Record<string, string | undefined>, paths: PackagePaths) {
  let stdout = '';
  let stderr = '';
  const code = runTeamsPackage(argv, environment, paths, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** The environment of the test process without anything the packager reads. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { MICROSOFT_APP_ID: _id, STEWARD_PUBLIC_HOST: _host, ...rest } = process.env;
  return { ...rest, ...extra };
}

describe('npm run teams:package', () => {
  const temp = useTempDir('teams-package');

  test('when MICROSOFT_APP_ID and STEWARD_PUBLIC_HOST are set, then the zip holds exactly manifest.json and the two icons at its root, the manifest with the app id and the host', () => {
    const out = path.join(temp.path, 'steward-teams.zip');

    const result = run(['--out', out], env, { root: projectRoot, cwd: temp.path });

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('wrote steward-teams.zip for steward.corp.example');
    const files = unzipSync(new Uint8Array(readFileSync(out)));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    for (const icon of ['color.png', 'outline.png']) expect(Buffer.from(files[icon] as Uint8Array).equals(readFileSync(path.join(manifestDir, icon)))).toBe(true);
    const manifest = JSON.parse(new TextDecoder().decode(files['manifest.json'])) as typeof committed;
    expect(manifest.id).toBe(appId);
    expect(manifest.bots[0]?.botId).toBe(appId);
    expect(manifest.validDomains).toEqual([host]);
    // Nothing else changes: the rest is the committed manifest as it is.
    expect({ ...manifest, id: placeholderAppId, bots: [{ ...manifest.bots[0], botId: placeholderAppId }], validDomains: [placeholderHost] }).toEqual(committed);
  });

  test.skipIf(!haveSchema)(`when the packaged manifest is validated against schema v1.19 under draft-07 rules${haveSchema ? '' : ' — SKIPPED: ../shared/schemas is absent'}, then it is valid`, () => {
    const out = path.join(temp.path, 'app.zip');
    expect(run(['--out', out], env, { root: projectRoot, cwd: temp.path }).code).toBe(0);
    const manifest = JSON.parse(new TextDecoder().decode(unzipSync(new Uint8Array(readFileSync(out)))['manifest.json'])) as unknown;
    const validate = manifestValidator();

    const valid = validate(manifest);

    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('when no --out is given, then the zip is written to steward-teams.zip in Steward’s folder (outside dist/, which a build replaces), whatever the working directory', () => {
    const root = path.join(temp.path, 'steward');
    cpSync(manifestDir, path.join(root, 'adapters/teams/manifest'), { recursive: true });

    const result = run([], env, { root, cwd: temp.path });

    expect(result.code).toBe(0);
    expect(defaultOutput).toBe('steward-teams.zip');
    expect(existsSync(path.join(root, 'steward-teams.zip'))).toBe(true);
  });

  test('when the same settings are packaged twice, then the two zips are the same bytes', () => {
    const [first, second] = ['a.zip', 'b.zip'].map((name) => path.join(temp.path, name)) as [string, string];
    run(['--out', first], env, { root: projectRoot, cwd: temp.path });
    run([`--out=${second}`], env, { root: projectRoot, cwd: temp.path });
    expect(readFileSync(first).equals(readFileSync(second))).toBe(true);
  });

  test.each([
    ['MICROSOFT_APP_ID is missing', { STEWARD_PUBLIC_HOST: host }, /^steward teams:package: MICROSOFT_APP_ID is not set: /],
    ['MICROSOFT_APP_ID is empty', { MICROSOFT_APP_ID: ' ', STEWARD_PUBLIC_HOST: host }, /^steward teams:package: MICROSOFT_APP_ID is not set: /],
    ['MICROSOFT_APP_ID is the all-zero placeholder', { MICROSOFT_APP_ID: placeholderAppId, STEWARD_PUBLIC_HOST: host }, /MICROSOFT_APP_ID is the all-zero placeholder/],
    ['STEWARD_PUBLIC_HOST is missing', { MICROSOFT_APP_ID: appId }, /^steward teams:package: STEWARD_PUBLIC_HOST is not set: /],
    ['STEWARD_PUBLIC_HOST is a URL', { MICROSOFT_APP_ID: appId, STEWARD_PUBLIC_HOST: 'https://steward.corp.example/api/messages' }, /STEWARD_PUBLIC_HOST is not a host name/],
    ['STEWARD_PUBLIC_HOST is the placeholder', { MICROSOFT_APP_ID: appId, STEWARD_PUBLIC_HOST: placeholderHost }, /STEWARD_PUBLIC_HOST is the manifest's placeholder/],
  ])('when %s, then it refuses in one line naming the variable, exits 2 and writes nothing', (_case, environment, message) => {
    const out = path.join(temp.path, 'refused.zip');

    const result = run(['--out', out], environment, { root: projectRoot, cwd: temp.path });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  test('when MICROSOFT_APP_ID is not a GUID (the password pasted by mistake), then the one line names the variable and repeats no value of either variable', () => {
    const pasted = 'Xq8~kT.3vZ_secretLike-Value~0123456789';
    const badHost = 'https://internal-name-nobody-should-see.corp.example';

    const result = run(['--out', path.join(temp.path, 'x.zip')], { MICROSOFT_APP_ID: pasted, STEWARD_PUBLIC_HOST: badHost }, { root: projectRoot, cwd: temp.path });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^steward teams:package: MICROSOFT_APP_ID is not a GUID .*; STEWARD_PUBLIC_HOST is not a host name: .*\n$/);
    expect(result.stderr).not.toContain(pasted);
    expect(result.stderr).not.toContain('internal-name-nobody-should-see');
  });

  test('when an option is unknown or --out lacks its file, then it says so in one line and exits 2', () => {
    for (const argv of [['--output', 'x.zip'], ['--out'], ['extra']]) {
      const result = run(argv, env, { root: projectRoot, cwd: temp.path });
      expect(result.code).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  test('when --out names a file that cannot be written, then it names the file and exits 2', () => {
    const blocker = temp.write('not-a-folder', 'a file');

    const result = run(['--out', path.join(blocker, 'app.zip')], env, { root: projectRoot, cwd: temp.path });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^steward teams:package: cannot write .*not-a-folder\/app\.zip: E[A-Z]+\n$/);
  });

  test('when asked for --help, then the usage says which variables it reads and where the zip goes', () => {
    const result = run(['--help'], {}, { root: projectRoot, cwd: temp.path });

    expect(result.code).toBe(0);
    for (const word of ['MICROSOFT_APP_ID', 'STEWARD_PUBLIC_HOST', '--out FILE', defaultOutput, '/api/messages']) expect(result.stdout).toContain(word);
  });

  test('when the developer pages are still the placeholders, then the packager says so after writing', () => {
    const result = run(['--out', path.join(temp.path, 'x.zip')], env, { root: projectRoot, cwd: temp.path });
    expect(result.stdout).toMatch(/note: the developer website and privacy URLs are still steward\.example\.com placeholders/);
  });

  test('when run as `npm run teams:package` from Steward’s folder, then the script runs the build and writes the zip', () => {
    const out = path.join(temp.path, 'from-npm.zip');

    const npm = spawnSync('npm', ['run', '--silent', 'teams:package', '--', '--out', out], { cwd: projectRoot, env: cleanEnv(env), encoding: 'utf8' });

    expect(npm.stderr).toBe('');
    expect(npm.status).toBe(0);
    expect(Object.keys(unzipSync(new Uint8Array(readFileSync(out)))).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  test('when scripts/teams-package.js runs without MICROSOFT_APP_ID, then it prints one line on stderr and exits 2', () => {
    const script = spawnSync(process.execPath, [path.join(projectRoot, 'scripts/teams-package.js'), '--out', path.join(temp.path, 'x.zip')], {
      cwd: temp.path,
      env: cleanEnv({ STEWARD_PUBLIC_HOST: host }),
      encoding: 'utf8',
    });

    expect(script.status).toBe(2);
    expect(script.stdout).toBe('');
    expect(script.stderr).toMatch(/^steward teams:package: MICROSOFT_APP_ID is not set: [^\n]*\n$/);
  });
});
