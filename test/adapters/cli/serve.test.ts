import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { loadSampleInventoryIfEmpty } from '../../../adapters/cli/sample-inventory.js';
import { systemClock } from '../../../adapters/cli/system-clock.js';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { deliveries, outbox } from '../../storage/support/loop-state.js';
import { projectRoot } from '../../support/fixtures.js';
import { cleanEnv, finished, removeTempDirs, runSteward, spawnSteward, stewardBin, tempDir, waitForOutput } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * `steward serve` as a service manager and as a newcomer run it: headless when standard input is not a
 * terminal, the console when it is (driven through a real pseudo-terminal with util-linux `script`).
 */

async function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${urlPath}`);
  return { status: response.status, body: await response.text() };
}

/** Sends SIGTERM once the server says it is headless, and returns how long it took to exit. */
async function stopped(child: ChildProcess, exit: ReturnType<typeof finished>) {
  const sentAt = performance.now();
  child.kill('SIGTERM');
  const result = await exit;
  return { ...result, tookMs: performance.now() - sentAt };
}

const headlessLine = /No terminal on standard input: running headless\. GET \/healthz on port (\d+); stop with SIGTERM\.\n/;

describe('steward serve, headless', () => {
  test('when standard input is not a terminal, then it loads no sample, serves /healthz on PORT=0, ticks what was imported, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'steward.db');

    // First start, standard input /dev/null (as under systemd or `docker run` without -i), on a new database.
    const first = spawnSteward(['serve', '--db', db], { env: { PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const firstExit = finished(first);
    const said = await waitForOutput(first.stdout!, headlessLine);
    const port = Number(headlessLine.exec(said)?.[1]);

    // A headless run is a deployment: the demo's made-up inventory is never loaded into it.
    expect(said).not.toContain('sample');
    expect(said).toContain(`${db} holds no inventory yet: import yours`);
    expect(said).toContain('No Slack or Teams credentials found (SLACK_BOT_TOKEN, MICROSOFT_APP_ID are not set).\n');
    expect(await get(port, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect((await get(port, '/nowhere')).status).toBe(404);
    const firstStop = await stopped(first, firstExit);
    expect(firstStop).toMatchObject({ code: 0, signal: null });
    expect(firstStop.tookMs).toBeLessThan(5_000);
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
    expect(JSON.parse((await runSteward(['list', '--json', '--db', db])).stdout)).toMatchObject({ items: [], total: 0 });

    // An inventory imported (an API nobody owns), then a second start with standard input closed altogether: the
    // tick queues the security channel's post about it.
    fs.writeFileSync(path.join(dir, 'apis.csv'), 'ref,name\nlegacy-gateway,Legacy gateway\n');
    expect((await runSteward(['import', 'csv', path.join(dir, 'apis.csv'), '--db', db])).code).toBe(0);
    const second = spawn('/bin/sh', ['-c', 'exec "$0" "$@" <&-', process.execPath, stewardBin, 'serve', '--db', db], {
      cwd: projectRoot,
      env: cleanEnv({ PORT: '0' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const secondExit = finished(second);
    const ticked = waitForOutput(second.stderr!, /no chat platform is connected yet, so they wait in the outbox/);
    const saidAgain = await waitForOutput(second.stdout!, headlessLine);
    const secondPort = Number(headlessLine.exec(saidAgain)?.[1]);

    expect(saidAgain).not.toContain('holds no inventory');
    expect(await get(secondPort, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(await ticked).toMatch(/"queued":[1-9]\d*,"msg":"tick: \d+ messages queued/);
    const secondStop = await stopped(second, secondExit);
    expect(secondStop).toMatchObject({ code: 0, signal: null });
    expect(secondStop.stderr).not.toMatch(/\n\s+at /);
  });

  test('when the database holds the console demo\'s sample, then a headless start refuses it, naming the file and how to start clean, and writes nothing', async () => {
    const db = path.join(tempDir(), 'demo.db');
    const store = openSqliteStore(db);
    await loadSampleInventoryIfEmpty(store, systemClock);
    await store.close();
    const before = fs.readFileSync(db);

    const { code, stdout, stderr } = await runSteward(['serve', '--db', db], { env: { PORT: '0' } });

    expect(code).toBe(2);
    expect(stderr).toBe(
      `steward: ${db} holds the sample inventory of the console demo, whose made-up owners and queued messages must not reach a real workspace. Start clean: point STEWARD_DB (or --db) at a new file, or remove ${db} and its -wal and -shm files, then import your inventory.\n`,
    );
    expect(stdout).not.toContain('healthz');
    expect(fs.readFileSync(db).equals(before)).toBe(true);
  });

  test('when PORT is taken, then it says so and exits 2', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { code, stderr } = await runSteward(['serve', '--db', path.join(tempDir(), 'steward.db')], { env: { PORT: String(port) } });

      expect(code).toBe(2);
      expect(stderr).toContain(`steward: cannot listen on port ${port} (in use); set PORT to a free port.\n`);
    } finally {
      blocker.close();
    }
  });
});

/** The processes whose command line names `text` (a test's own database path), by pgrep. */
function processesNaming(text: string): string[] {
  return spawnSync('pgrep', ['-f', text], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
}

async function gone(text: string, withinMs: number): Promise<string[]> {
  const until = performance.now() + withinMs;
  while (processesNaming(text).length > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return processesNaming(text);
}

describe('steward serve under npm, stopped as a user stops it', () => {
  test.each([
    ['npm start', ['start', '--']],
    ['npx steward serve', ['exec', '--', 'steward', 'serve']],
  ])('when `%s` is sent SIGTERM, then Steward stops with it: no process left behind, the port closed, the database checkpointed', async (_name, npmArgs) => {
    const db = path.join(tempDir(), 'steward.db');
    const npm = spawn('npm', [...npmArgs, '--db', db], { cwd: projectRoot, env: cleanEnv({ PORT: '0' }), stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = finished(npm);
    const said = await waitForOutput(npm.stdout!, headlessLine);
    const port = Number(headlessLine.exec(said)?.[1]);
    expect((await get(port, '/healthz')).status).toBe(200);

    npm.kill('SIGTERM');
    await exit;

    expect(await gone(db, 5_000)).toEqual([]);
    await expect(get(port, '/healthz')).rejects.toThrow();
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
  });
});

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') ?? false;
if (!hasScript) console.warn('skipping the terminal test of `npm start`: util-linux `script` is not installed');

/**
 * Runs `node bin/steward.js serve` as `npm start` does (default database, ./data/steward.db) in a fresh folder,
 * inside a pseudo-terminal from util-linux `script` (-e: its exit code is the command's).
 */
function startInTerminal(dir = tempDir()) {
  const terminal = spawn('script', ['-qefc', `'${process.execPath}' '${stewardBin}' serve`, '/dev/null'], {
    cwd: dir,
    env: cleanEnv({ PORT: '0', TERM: 'dumb' }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return { dir, terminal, exit: finished(terminal, 30_000), screen: terminal.stdout!, type: (keys: string) => terminal.stdin!.write(keys) };
}

describe('steward serve, in a terminal (npm start)', () => {
  test.skipIf(!hasScript)('when standard input is a terminal, then the console answers what a Slack user would type, and quit exits 0', async () => {
    const { dir, exit, screen, type } = startInTerminal();

    let seen = await waitForOutput(screen, /steward> /);
    expect(seen).toContain('Loaded the sample inventory into ./data/steward.db');
    expect(seen).toContain('No Slack or Teams credentials found');
    expect(seen).toContain('Steward console.');
    expect(seen).not.toContain('running headless');
    // The scheduler ticked at start, and its messages were delivered to the console.
    expect(seen).toMatch(/\(The scheduler ticked at [\d-]+ [\d:]+ UTC\.\)\s+─── To /);
    expect(seen).toContain('─── To the security channel ───');

    type('who payments-api\n');
    seen += await waitForOutput(screen, /Accountable: +Alice Nguyen <alice\.nguyen@northwind\.example>[\s\S]*steward> /);
    type('list --unowned\n');
    seen += await waitForOutput(screen, /legacy-soap-gateway[\s\S]*warehouse-sftp-key[\s\S]*steward> /);
    type('help\n');
    seen += await waitForOutput(screen, /Commands:[\s\S]*steward> /);
    type('tick --at +7d\n');
    seen += await waitForOutput(screen, /items? to confirm[\s\S]*delivered above[\s\S]*steward> /);
    type('quit\n');

    expect((await exit).code).toBe(0);
    // The log goes to a file beside the database, not between the answers.
    expect(seen).not.toContain('"level"');
    expect(fs.readFileSync(path.join(dir, 'data/steward.log'), 'utf8')).toContain('"msg":"serving GET /healthz"');
    expect(fs.existsSync(path.join(dir, 'data/steward.db-wal'))).toBe(false);
  });

  test.skipIf(!hasScript)('when the database is a real one (imported, not the demo’s), then the console answers commands but leaves its messages in the outbox for Slack or Teams', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'data', 'steward.db');
    fs.mkdirSync(path.dirname(db));
    fs.writeFileSync(path.join(dir, 'apis.csv'), 'ref,name\nlegacy-gateway,Legacy gateway\n');
    expect((await runSteward(['import', 'csv', path.join(dir, 'apis.csv'), '--db', db])).code).toBe(0);
    const { exit, screen, type } = startInTerminal(dir);

    let seen = await waitForOutput(screen, /steward> /);
    expect(seen).toContain("This database is not the demo's: Steward's messages wait in its outbox for Slack or Teams");
    type('unowned\n');
    seen += await waitForOutput(screen, /legacy-gateway[\s\S]*steward> /);
    type('quit\n');

    expect((await exit).code).toBe(0);
    expect(seen).not.toContain('─── To the security channel ───');
    const stuck = await runSteward(['outbox', '--stuck', '--json', '--db', db]);
    expect(JSON.parse(stuck.stdout)).toMatchObject({ stuck: [] });
    const store = openSqliteStore(db);
    expect(deliveries(store)).toEqual([]);
    expect(outbox(store).filter((m) => m.kind === 'unowned_queue')).toHaveLength(1);
    await store.close();
  });

  test.skipIf(!hasScript)('when the user presses Ctrl-C, then the console ends and Steward exits 0', async () => {
    const { exit, screen, type } = startInTerminal();
    await waitForOutput(screen, /steward> /);

    type('\u0003');

    expect((await exit).code).toBe(0);
  });
});
