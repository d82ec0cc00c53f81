import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { projectFixture, projectRoot } from '../../support/fixtures.js';
import { cleanEnv, finished, removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * The real binary, run as a user runs it: `node bin/steward.js …` in a child process, a temporary database per
 * group, and assertions on standard output, standard error and the exit code (DESIGN.md: 0 ok, 1 findings,
 * 2 bad input or configuration). Each spawn costs about a second, so read-only runs go concurrently.
 */

const dayMs = 86_400_000;
const checkFixture = (name: string) => projectFixture('cli/check', name);

/** The Acme catalog, copied with its one relative date filled in, so "expiring soon" holds on any day. */
function acmeCatalog(dir: string): string {
  const in30Days = new Date(Date.now() + 30 * dayMs).toISOString().slice(0, 10);
  const file = path.join(dir, 'catalog.yaml');
  fs.writeFileSync(file, fs.readFileSync(projectFixture('cli/inventory/catalog.yaml'), 'utf8').replace('EXPIRES_IN_30_DAYS', in30Days));
  return file;
}

function refsOf(json: string): string[] {
  return (JSON.parse(json) as { items: Array<{ ref: string }> }).items.map((item) => item.ref);
}

describe('steward, with an imported Backstage catalog', () => {
  let dir: string;
  let db: string;

  beforeAll(async () => {
    dir = tempDir();
    db = path.join(dir, 'steward.db');
    const imported = await runSteward(['import', 'backstage', acmeCatalog(dir), '--db', db]);
    expect(imported).toMatchObject({ code: 0, stderr: '' });
    expect(imported.stdout).toMatch(/APIs: +4 created, 0 updated, 0 unchanged, 0 vanished\n {2}Identities: +4 created/);
    expect(imported.stdout.trimEnd().split('\n').at(-1)).toBe('Imported.');
  });

  describe.concurrent('who and list', () => {
    test('when `who <ref>` is asked (database from STEWARD_DB), then the owner and every fact is printed, exit 0', async ({ expect }) => {
      const { code, stdout, stderr } = await runSteward(['who', 'invoices-api'], { env: { STEWARD_DB: db } });

      expect([code, stderr]).toEqual([0, '']);
      expect(stdout.split('\n')[0]).toBe('invoices-api (API) — Invoices API');
      for (const line of [
        /Owning team: +billing \(Billing\), #billing/,
        /Accountable: +Grace Hopper <grace\.hopper@acme\.example>/,
        /Backup: +Ada Lovelace <ada\.lovelace@acme\.example>/,
        /Approver: +Ada Lovelace <ada\.lovelace@acme\.example> \(team lead, by policy\)/,
        /Purpose: +Issues and stores customer invoices\./,
        /Sensitivity: +confidential/,
        /Exposure: +partner/,
        /Revocation path: +https:\/\/runbooks\.acme\.example\/billing\/revoke/,
        /Linked: +served by identity billing-ci-token/,
        /Last attested: +never/,
      ])
        expect(stdout).toMatch(line);
    });

    test('when `who --json` is asked, and --db overrides STEWARD_DB, then the answer is data', async ({ expect }) => {
      const elsewhere = path.join(dir, 'not-this.db');

      const { code, stdout } = await runSteward(['who', 'billing-ci-token', '--json', '--db', db], { env: { STEWARD_DB: elsewhere } });

      expect(code).toBe(0);
      const answer = JSON.parse(stdout) as { kind: string; detail: { item: Record<string, unknown> } };
      expect(answer.kind).toBe('found');
      expect(answer.detail.item).toMatchObject({
        kind: 'identity',
        ref: 'billing-ci-token',
        identityKind: 'token',
        scopes: ['contents:read', 'deployments:write'],
        owner: { team: { slug: 'billing' }, accountable: { email: 'grace.hopper@acme.example' } },
      });
      expect(fs.existsSync(elsewhere)).toBe(false);
    });

    test('when `who` matches several items, then it lists the candidates and exits 1', async ({ expect }) => {
      const { code, stdout } = await runSteward(['who', 'invoices', '--db', db]);

      expect(code).toBe(1);
      expect(stdout).toContain('"invoices" matches 3 items; say which:');
      expect(stdout).toContain('  api:invoices-api — Invoices API');
      expect(stdout).toContain('  api:invoices-archive-api — Invoices Archive API');
    });

    test('when `who` matches nothing, then it suggests the nearest and exits 1', async ({ expect }) => {
      const { code, stdout } = await runSteward(['who', 'invoice-api', '--db', db]);

      expect(code).toBe(1);
      expect(stdout).toBe('Nothing matches "invoice-api". Did you mean:\n  api:invoices-api — Invoices API\n');
    });

    test('when `list` is asked, then every item is a row of the table', async ({ expect }) => {
      const { code, stdout } = await runSteward(['list', '--db', db]);

      expect(code).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^KIND +REF +TEAM +ACCOUNTABLE +EXPIRES$/);
      expect(lines.slice(1, -1).map((line) => line.split(/ +/).slice(0, 2).join(':'))).toEqual([
        'api:fax-gateway',
        'api:invoices-api',
        'api:invoices-archive-api',
        'api:metrics-api',
        'identity:billing-ci-token',
        'identity:billing-tls-cert',
        'identity:fax-sftp-key',
        'identity:metrics-scraper-sa',
      ]);
      expect(stdout).toMatch(/fax-sftp-key +— +— +2020-01-01 expired/);
      expect(lines.at(-1)).toBe('8 items');
    });

    test('when `list --unowned` is asked, then only items lacking a team or an accountable person are listed', async ({ expect }) => {
      const { code, stdout } = await runSteward(['list', '--unowned', '--json', '--db', db]);

      expect(code).toBe(0);
      expect(refsOf(stdout)).toEqual(['fax-gateway', 'metrics-api', 'fax-sftp-key', 'metrics-scraper-sa']);
    });

    test('when `list --team` is asked, then only that team’s items are listed', async ({ expect }) => {
      const { stdout } = await runSteward(['list', '--team', 'platform', '--db', db]);

      expect(stdout).toMatch(/^api +metrics-api +platform +—\nidentity +metrics-scraper-sa +platform +—\n2 items\n$/m);
    });

    test('when `list --owner` is asked, then the items the person is accountable for or backs up are listed', async ({ expect }) => {
      const { stdout } = await runSteward(['list', '--owner', 'ada.lovelace@acme.example', '--json', '--db', db]);

      expect(refsOf(stdout)).toEqual(['invoices-api', 'billing-tls-cert']);
    });

    test('when `list --kind identity --expiring 60 --json` is asked, then credentials expiring within 60 days or expired are listed', async ({ expect }) => {
      const { code, stdout } = await runSteward(['list', '--kind', 'identity', '--expiring', '60', '--json', '--db', db]);

      expect(code).toBe(0);
      const list = JSON.parse(stdout) as { items: Array<{ kind: string; ref: string; expiresAt: string }>; total: number };
      expect(list.items.map((i) => [i.kind, i.ref])).toEqual([
        ['identity', 'fax-sftp-key'],
        ['identity', 'billing-ci-token'],
      ]);
      expect(list.total).toBe(2);
    });
  });

  test('when imports are refused (a malformed CSV, a pasted secret) or dry runs, then exit 2 naming where, and the database is unchanged', async () => {
    const copy = path.join(tempDir(), 'copy.db');
    fs.copyFileSync(db, copy);
    const fileBytes = () => createHash('sha256').update(fs.readFileSync(copy)).digest('hex');
    const before = (await runSteward(['list', '--json', '--db', copy])).stdout;
    const unchanged = fileBytes();

    const malformed = projectFixture('cli/bad/malformed.csv');
    const refused = await runSteward(['import', 'csv', malformed, '--db', copy]);
    expect([refused.code, refused.stdout]).toEqual([2, '']);
    expect(refused.stderr).toContain(`${malformed}:3: expires_at: is not an ISO 8601 date or time`);
    expect(refused.stderr).toContain('Refused: 1 invalid entry (1 problem); nothing was written.');
    expect(refused.stderr).not.toContain('created');
    expect(fileBytes()).toBe(unchanged);

    const token = `ghp_${randomBytes(27).toString('base64').replace(/[+/]/g, 'x')}`;
    const leaky = path.join(tempDir(), 'leaky.csv');
    fs.writeFileSync(leaky, `ref,name,kind,provider,purpose\nci-token,CI token,token,github,Deploys with ${token}\n`);
    const secret = await runSteward(['import', 'csv', leaky, '--db', copy]);
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain(`${leaky}:2: purpose: looks like a GitHub token; refused and not stored (value withheld)`);
    expect(`${secret.stdout}${secret.stderr}`).not.toContain(token.slice(4));
    expect(fileBytes()).toBe(unchanged);

    const dryRun = await runSteward(['import', 'csv', projectFixture('cli/inventory/more-identities.csv'), '--dry-run', '--db', copy]);
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(/Identities: +1 to create, 0 to update, 0 unchanged, 0 to flag vanished/);
    expect(dryRun.stdout).toContain('Dry run: the import is valid; nothing was written.');
    expect(fileBytes()).toBe(unchanged);

    expect((await runSteward(['list', '--json', '--db', copy])).stdout).toBe(before);
  });
});

describe.concurrent('steward, given bad input or configuration (exit 2)', () => {
  test('when the command is unknown, then it says so and points to help', async ({ expect }) => {
    expect(await runSteward(['frobnicate'])).toEqual({
      code: 2,
      signal: null,
      stdout: '',
      stderr: 'steward: frobnicate is not a command here. Run `steward help` for the commands.\n',
    });
  });

  test('when an option is unknown, then it names it and shows the usage', async ({ expect }) => {
    const { code, stderr } = await runSteward(['list', '--colour']);

    expect(code).toBe(2);
    expect(stderr).toMatch(/^steward: `--colour` is not an option of list; its options: --unowned, /);
    expect(stderr).toContain('Usage: steward list [--unowned]');
  });

  test('when the import format is unknown, then it lists the formats and creates no database', async ({ expect }) => {
    const db = path.join(tempDir(), 'steward.db');

    const { code, stderr } = await runSteward(['import', 'spreadsheet', 'x.xlsx', '--db', db]);

    expect(code).toBe(2);
    expect(stderr).toContain('spreadsheet is not an import format. Formats: backstage, csv, aws-credential-report');
    expect(fs.existsSync(db)).toBe(false);
  });

  test('when a file is missing, then it is named', async ({ expect }) => {
    const missing = path.join(tempDir(), 'nope.yaml');

    const { code, stderr } = await runSteward(['import', 'backstage', missing, '--db', path.join(tempDir(), 'steward.db')]);

    expect(code).toBe(2);
    expect(stderr).toBe(`steward: ${missing}: cannot read the file (ENOENT)\n`);
  });

  test('when the policy file is bad (--policy), then it is refused naming the field and the line', async ({ expect }) => {
    const policy = projectFixture('cli/bad/bad-policy.yaml');

    const { code, stdout, stderr } = await runSteward(['check', checkFixture('clean.yaml'), '--policy', policy]);

    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toContain(`steward: ${policy}: the policy file has 1 problem\n  ${policy}:5: gate.api.1: Invalid option`);
  });

  test('when an environment value `serve` uses is bad, then `serve` names the variable and not its value', async ({ expect }) => {
    const { code, stderr } = await runSteward(['serve', '--db', path.join(tempDir(), 'steward.db')], { env: { PORT: 'abc' } });

    expect(code).toBe(2);
    expect(stderr).toBe('steward: bad configuration in the environment:\n  PORT: must be a port number from 0 to 65535 (0 picks a free one)\n');
  });

  test('when PORT is bad but the command does not listen, then the command works: settings are checked where they are used', async ({ expect }) => {
    const { code, stderr } = await runSteward(['check', checkFixture('clean.yaml')], { env: { PORT: 'abc', SLACK_BOT_TOKEN: 'not-a-bot-token' } });

    expect(code).toBe(0);
    expect(stderr).not.toMatch(/environment|PORT|SLACK_BOT_TOKEN/);
  });

  test('when --db points at something that is not a database, then it is named, with no stack trace', async ({ expect }) => {
    const notADatabase = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(notADatabase, 'remember the milk\n'.repeat(200));

    const { code, stderr } = await runSteward(['list', '--db', notADatabase]);

    expect(code).toBe(2);
    expect(stderr).toBe(`steward: ${notADatabase}: cannot open the database: it is not a SQLite database (set --db or STEWARD_DB to another path)\n`);
  });
});

describe.concurrent('steward check (the release gate, no database)', () => {
  test('when an API has no owner, then exit 1 with one `file:line: ref: problem` line per finding on stdout', async ({ expect }) => {
    const file = checkFixture('unowned-api.yaml');

    const { code, stdout, stderr } = await runSteward(['check', file]);

    expect(code).toBe(1);
    expect(stdout).toBe([`${file}:16: stock-api: no owning team`, `${file}:16: stock-api: no accountable person`, `${file}:16: stock-api: no revocation path`, ''].join('\n'));
    expect(stderr).toBe('check: 3 findings on 1 item (of 2 APIs and 0 identities).\n');
  });

  test('when the catalog is clean, then exit 0, and no database is created (not even the default one)', async ({ expect }) => {
    const cwd = tempDir();

    const { code, stdout, stderr } = await runSteward(['check', checkFixture('clean.yaml')], { cwd });

    expect([code, stdout]).toEqual([0, '']);
    expect(stderr).toBe('check: ok — 1 API and 1 identity, each with what the policy requires.\n');
    expect(fs.readdirSync(cwd)).toEqual([]);
  });

  test('when --policy requires more, then the clean catalog fails on it', async ({ expect }) => {
    const file = checkFixture('clean.yaml');

    const { code, stdout } = await runSteward(['check', file, '--policy', checkFixture('strict-policy.yaml')]);

    expect(code).toBe(1);
    expect(stdout).toBe(`${file}:3: orders-api: no backup person\n`);
  });

  test('when STEWARD_POLICY names the policy, then it applies as --policy does', async ({ expect }) => {
    const file = checkFixture('clean.yaml');

    const { code, stdout } = await runSteward(['check', file], { env: { STEWARD_POLICY: checkFixture('strict-policy.yaml') } });

    expect(code).toBe(1);
    expect(stdout).toBe(`${file}:3: orders-api: no backup person\n`);
  });

  test('when the catalog is a CSV file, then its rows are checked by line', async ({ expect }) => {
    const file = checkFixture('identities.csv');

    const { code, stdout } = await runSteward(['check', file]);

    expect(code).toBe(1);
    expect(stdout).toBe(`${file}:3: stray-key: no lifecycle owner team\n${file}:3: stray-key: no accountable person\n`);
  });

  test('when --json is given, then the findings are data on stdout', async ({ expect }) => {
    const file = checkFixture('unowned-api.yaml');

    const { code, stdout, stderr } = await runSteward(['check', file, '--json']);

    expect([code, stderr]).toEqual([1, '']);
    expect(JSON.parse(stdout)).toEqual({
      ok: false,
      apis: 2,
      identities: 0,
      findings: [
        ['no owning team', 'owner_team'],
        ['no accountable person', 'accountable'],
        ['no revocation path', 'revocation_path'],
      ].map(([problem, rule]) => ({ at: { file, line: 16, document: 2 }, ref: 'stock-api', problem, kind: 'api', rule })),
    });
  });

  test('when a Location target is missing, then the gate fails naming it, and still checks what it could read', async ({ expect }) => {
    const file = checkFixture('with-location.yaml');

    const { code, stdout } = await runSteward(['check', file]);

    expect(code).toBe(1);
    expect(stdout).toBe(`${file}:9: location: Location target ./payments/catalog-info.yaml does not exist\n`);
  });
});

describe('npx steward', () => {
  test('when run from the project root, then the package’s own bin answers', async () => {
    // npm exec (what npx runs) finds the root package's own `bin` without a link in node_modules/.bin.
    const npx = spawn('npm', ['exec', '--offline', '--', 'steward', 'help'], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv({ npm_config_update_notifier: 'false' }),
    });

    const { code, stdout } = await finished(npx, 25_000);

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Commands:\n {2}steward who <query>/);
  });
});
