import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { deliveries } from '../../storage/support/loop-state.js';
import { startFakeSlack, type FakeSlack, type FakeSlackUser } from '../../support/fake-slack.js';
import { finished, removeTempDirs, runSteward, spawnSteward, tempDir, waitForOutput } from '../../support/run-steward.js';

/*
 * Two `steward serve` processes on one database file, both delivering to the same Slack (a local fake): the
 * start-up tick queues 2,000 DMs, each delivered exactly once in all — also when one process is killed with SIGKILL
 * part-way, its leases running out and the other taking the rest over (checking the DM first for what the dead one
 * may have posted just before it died).
 */

afterAll(removeTempDirs);

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const people = 2_000;
const botToken = 'xoxb-two-dispatchers-test-7c2e';
const users: FakeSlackUser[] = Array.from({ length: people }, (_, i) => ({ id: `U${String(i).padStart(5, '0')}`, email: `owner-${i}@acme.example` }));
const connected = /Slack: connected to .* on port (\d+)\./;

/** A database with one API per owner, and a policy that asks every new item at once and takes leases back after 5 s. */
async function setUp(dir: string) {
  const csv = path.join(dir, 'apis.csv');
  fs.writeFileSync(csv, ['ref,name,owner_team,accountable', ...users.map((u, i) => `api-${i},API ${i},team-${i % 20},${u.email}`)].join('\n'));
  const policy = path.join(dir, 'policy.yaml');
  fs.writeFileSync(policy, ['attestation:', '  firstWithinDays: 0', 'tick:', "  cron: '0 0 1 1 *'", 'delivery:', '  leaseSeconds: 5', '  paceMs: { slack: 0 }'].join('\n'));
  const db = path.join(dir, 'steward.db');
  expect((await runSteward(['import', 'csv', csv, '--db', db])).code).toBe(0);
  return { db, policy };
}

function serve(db: string, policy: string, apiUrl: string) {
  const child = spawnSteward(['serve', '--db', db, '--policy', policy], {
    env: { PORT: '0', SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: 'two-dispatchers-secret', SLACK_API_URL: apiUrl, LOG_LEVEL: 'warn' },
  });
  return { child, exit: finished(child, 120_000), ready: waitForOutput(child.stdout!, connected, 30_000) };
}

const posts = (slack: FakeSlack) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 200);

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('two steward serve processes on one database', () => {
  test('when one is killed with SIGKILL part-way through 2,000 DMs, then the other finishes, and every DM is posted exactly once', async () => {
    const dir = tempDir();
    const { db, policy } = await setUp(dir);
    fake = await startFakeSlack({ token: botToken, users });
    const slack = fake;

    const first = serve(db, policy, slack.apiUrl);
    const second = serve(db, policy, slack.apiUrl);
    await Promise.all([first.ready, second.ready]);
    await until(() => posts(slack).length >= people / 4, 60_000);
    first.child.kill('SIGKILL');
    await first.exit;

    await until(() => new Set(posts(slack).map((c) => c.args.channel)).size >= people, 60_000);
    // Anything still in flight or about to be re-sent would show within a lease or two.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    second.child.kill('SIGTERM');
    expect((await second.exit).code).toBe(0);

    const perChannel = new Map<string, number>();
    for (const call of posts(slack)) perChannel.set(String(call.args.channel), (perChannel.get(String(call.args.channel)) ?? 0) + 1);
    expect(perChannel.size).toBe(people);
    expect([...perChannel.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const store = openSqliteStore(db);
    const all = deliveries(store);
    expect(all).toHaveLength(people);
    expect(all.filter((d) => d.status !== 'sent')).toEqual([]);
    await store.close();
  }, 180_000);
});
