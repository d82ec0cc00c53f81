import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test, vi } from 'vitest';
import { startFakeSlack, type FakeSlack, type FakeSlackUser } from '../../support/fake-slack.js';
import { finished, removeTempDirs, runSteward, spawnSteward, tempDir, waitForOutput } from '../../support/run-steward.js';
import { eventCallback, SlackSender, slashCommand } from '../../support/sign-slack.js';

/*
 * `steward serve` with Slack, as the real binary runs under a service manager (no terminal): the Web API at a
 * local fake Slack (SLACK_API_URL), Bolt's `POST /slack/events` beside `/healthz` on PORT=0, the tick at start-up
 * delivering through the fake, SIGTERM stopping it; and a refused token or a missing secret stopping it at once.
 */

afterAll(removeTempDirs);

let fake: FakeSlack | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

const botToken = 'xoxb-steward-serve-test-4b1d';
const signingSecret = 'serve-test-signing-secret-6e0a';
const ana: FakeSlackUser = { id: 'U0ANA', email: 'ana@acme.example', name: 'ana' };
const ben: FakeSlackUser = { id: 'U0BEN', email: 'ben@acme.example', name: 'ben' };
const connectedLine = /Slack: connected to Steward Test \(T0STEWARD\) as bot user U0STEWARD, over (.+) on port (\d+)\. Stop with SIGTERM or Ctrl-C\.\n/;

const isoDay = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 86_400_000).toISOString().slice(0, 10);
/** When ana's token expires: taken once, so a run across midnight UTC still agrees with itself. */
const expiresOn = isoDay(10);

/** A database holding one credential of ana's that expires in ten days: the start-up tick warns her. */
async function databaseWithInventory(dir: string): Promise<string> {
  const db = path.join(dir, 'steward.db');
  const csv = path.join(dir, 'identities.csv');
  fs.writeFileSync(
    csv,
    [
      'ref,kind,provider,purpose,scopes,created_at,expires_at,last_used_at,recovery_procedure,owner_team,accountable,backup',
      `ledger-deploy-token,token,github,Deploys the ledger service,contents:read,${isoDay(-20)},${expiresOn},${isoDay(-1)},Regenerate in GitHub settings,payments,ana@acme.example,ben@acme.example`,
    ].join('\n'),
  );
  const imported = await runSteward(['import', 'csv', csv, '--db', db]);
  expect(imported).toMatchObject({ code: 0 });
  return db;
}

/** A local port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function slackEnv(slack: FakeSlack, extra: Record<string, string> = {}): Record<string, string> {
  return { PORT: '0', SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: slack.apiUrl, ...extra };
}

describe('steward serve with Slack', () => {
  test('when the bot token and signing secret are set, then it serves /healthz and /slack/events, the start-up tick DMs the owner, and SIGTERM stops it with 0', async () => {
    fake = await startFakeSlack({ token: botToken, users: [ana, ben] });
    const db = await databaseWithInventory(tempDir());

    const child = spawnSteward(['serve', '--db', db], { env: slackEnv(fake), stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = finished(child);
    const said = await waitForOutput(child.stdout!, connectedLine);
    const [, how, port] = connectedLine.exec(said) ?? [];

    expect(how).toBe('POST /slack/events and GET /healthz');
    expect(fake.callsTo('auth.test')).toMatchObject([{ token: botToken, answer: { ok: true } }]);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect({ status: health.status, body: await health.text() }).toEqual({ status: 200, body: '{"status":"ok"}' });

    // The start-up tick's credential warning reaches ana's DM, found by her email.
    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === `D${ana.id}`);
    expect(fake.callsTo('users.lookupByEmail')[0]?.args).toMatchObject({ email: ana.email });
    expect(fake.callsTo('conversations.open')[0]?.args).toMatchObject({ users: ana.id });
    expect(dm).toMatchObject({ token: botToken, answer: { ok: true } });
    expect(Array.isArray(dm.args.blocks) && dm.args.blocks.length > 0).toBe(true);
    expect(JSON.stringify(dm.args.blocks)).toContain('ledger-deploy-token');
    expect(JSON.stringify(dm.args.blocks)).toContain(`expires on ${expiresOn}`);

    // A signed /steward who is acknowledged at once, and answered through its response_url.
    const send = new SlackSender(`http://127.0.0.1:${port}/slack/events`, signingSecret);
    const response = await send.command(slashCommand(ben.id, 'who ledger-deploy-token', fake.responseUrl('serve-who')));
    expect(response).toMatchObject({ status: 200, body: '' });
    const answer = await fake.waitFor((c) => c.path === '/respond/serve-who');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.args.text).toMatch(/ledger-deploy-token[\s\S]*ana@acme\.example/);

    // A request signed with another secret is refused, and answered nowhere.
    const forged = await send.command(slashCommand(ben.id, 'who ledger-deploy-token', fake.responseUrl('forged')), { secret: 'not-the-signing-secret' });
    expect(forged.status).toBe(401);

    child.kill('SIGTERM');
    const result = await exit;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout + result.stderr).not.toContain(botToken);
    expect(result.stdout + result.stderr).not.toContain(signingSecret);
    expect(fake.callsTo('response_url').map((c) => c.path)).toEqual(['/respond/serve-who']);
    expect(fs.existsSync(`${db}-wal`)).toBe(false);
  });

  test('when SLACK_APP_TOKEN is set too, then it connects over Socket Mode, answers an envelope, and SIGTERM closes the socket and exits 0', async () => {
    const appToken = 'xapp-1-A0STEWARD-1-serve-9c3e';
    fake = await startFakeSlack({ token: botToken, appToken, users: [ana, ben] });
    // No inventory (and no import, to keep this test quick): the route is what is under test here.
    const db = path.join(tempDir(), 'steward.db');

    const child = spawnSteward(['serve', '--db', db], { env: slackEnv(fake, { SLACK_APP_TOKEN: appToken }), stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = finished(child);
    const said = await waitForOutput(child.stdout!, connectedLine);

    expect(said).toContain(`${db} holds no inventory yet`);
    expect(connectedLine.exec(said)?.[1]).toBe('Socket Mode; GET /healthz');
    expect(fake.callsTo('apps.connections.open')).toMatchObject([{ token: appToken, answer: { ok: true } }]);
    await fake.socketMode.connected();
    const ack = await fake.socketMode.deliver('slash_commands', slashCommand(ben.id, 'help', fake.responseUrl('socket-help')), { envelopeId: 'env-serve-1' });
    expect(ack).toMatchObject({ envelope_id: 'env-serve-1' });
    const answer = await fake.waitFor((c) => c.path === '/respond/socket-help');
    expect(answer.args).toMatchObject({ response_type: 'ephemeral' });
    expect(answer.args.text).toContain('/steward who');

    child.kill('SIGTERM');
    const result = await exit;
    expect(result).toMatchObject({ code: 0, signal: null });
    await fake.socketMode.disconnected(1_000);
    expect(fake.socketMode.closeCodes).toEqual([1000]);
    expect(result.stdout + result.stderr).not.toContain(appToken);
  });

  test('when Slack revokes the bot token while it runs (tokens_revoked), then /healthz turns degraded with the reason, and the log has it as an error', async () => {
    fake = await startFakeSlack({ token: botToken, users: [ana, ben] });
    const db = path.join(tempDir(), 'steward.db');

    const child = spawnSteward(['serve', '--db', db], { env: slackEnv(fake), stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = finished(child);
    const [, , port] = connectedLine.exec(await waitForOutput(child.stdout!, connectedLine)) ?? [];
    const send = new SlackSender(`http://127.0.0.1:${port}/slack/events`, signingSecret);

    const response = await send.event(eventCallback({ type: 'tokens_revoked', tokens: { oauth: [], bot: ['U0STEWARD'] } }));
    expect(response.status).toBe(200);
    const health = await vi.waitUntil(
      async () => {
        const answer = await fetch(`http://127.0.0.1:${port}/healthz`);
        return answer.status === 200 ? false : answer;
      },
      { timeout: 3_000, interval: 20 },
    );

    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'degraded', reason: expect.stringMatching(/^Slack revoked Steward's bot token \(tokens_revoked\): .*SLACK_BOT_TOKEN/) as unknown });
    child.kill('SIGTERM');
    const result = await exit;
    expect(result).toMatchObject({ code: 0 });
    expect(result.stderr).toMatch(/"level":50.*Slack revoked Steward's bot token/);
    expect(result.stdout + result.stderr).not.toContain(botToken);
  });

  test('when Slack refuses the bot token, then it exits 2 naming SLACK_BOT_TOKEN, without printing the token or listening', async () => {
    fake = await startFakeSlack({ token: 'xoxb-the-only-token-slack-knows' });
    const refusedToken = 'xoxb-refused-by-slack-7f31a9';

    const result = await runSteward(['serve', '--db', path.join(tempDir(), 'steward.db')], { env: slackEnv(fake, { SLACK_BOT_TOKEN: refusedToken }) });

    expect(result.code).toBe(2);
    expect(fake.callsTo('auth.test')).toMatchObject([{ token: refusedToken, answer: { ok: false, error: 'invalid_auth' } }]);
    expect(result.stderr).toContain('SLACK_BOT_TOKEN was refused by Slack (invalid_auth)');
    expect(result.stdout + result.stderr).not.toContain(refusedToken);
    expect(result.stdout).not.toMatch(/on port \d+/);
  });

  test('when nothing listens at SLACK_API_URL, then it exits 2 in one line naming SLACK_API_URL and the network, without a stack trace or listening', async () => {
    const closed = await closedPort();
    const env = { PORT: '0', SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: `http://127.0.0.1:${closed}/api/` };

    const result = await runSteward(['serve', '--db', path.join(tempDir(), 'steward.db')], { env });

    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^steward: cannot reach Slack's Web API at SLACK_API_URL \(connection refused\)/);
    expect(lines[0]).toMatch(/check SLACK_API_URL and the network/);
    expect(result.stderr).not.toContain('something went wrong');
    expect(result.stdout + result.stderr).not.toContain(botToken);
    expect(result.stdout).not.toMatch(/on port \d+/);
  });

  test('when Slack answers auth.test with HTTP 503, then it exits 2 in one line saying Slack is unavailable', async () => {
    fake = await startFakeSlack({ token: botToken, fail: (method) => (method === 'auth.test' ? { status: 503 } : undefined) });

    const result = await runSteward(['serve', '--db', path.join(tempDir(), 'steward.db')], { env: slackEnv(fake) });

    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^steward: Slack's Web API at SLACK_API_URL answered HTTP 503 to auth\.test/);
    expect(result.stderr).not.toContain('something went wrong');
    expect(result.stdout + result.stderr).not.toContain(botToken);
  });

  test('when SLACK_SIGNING_SECRET is missing over HTTP, then it exits 2 naming it, before calling Slack', async () => {
    fake = await startFakeSlack({ token: botToken });
    const env = slackEnv(fake);
    delete env.SLACK_SIGNING_SECRET;

    const result = await runSteward(['serve', '--db', path.join(tempDir(), 'steward.db')], { env });

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/SLACK_SIGNING_SECRET: is required with SLACK_BOT_TOKEN/);
    expect(result.stdout + result.stderr).not.toContain(botToken);
    expect(fake.calls).toEqual([]);
  });
});
