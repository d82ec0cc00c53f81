import fs from 'node:fs';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { auditEvents, outbox } from '../../storage/support/loop-state.js';
import { startFakeBotConnector, type FakeBotConnector, type FakeTeamsMember } from '../../support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack, type FakeSlackUser } from '../../support/fake-slack.js';
import { apiEntry, personEntry, snapshot, teamEntry } from '../../support/entries.js';
import { importSnapshots } from '../../support/import-into-memory.js';
import { finished, removeTempDirs, spawnSteward, tempDir, waitForOutput, type RunResult } from '../../support/run-steward.js';
import { SlackSender, slashCommand } from '../../support/sign-slack.js';

/*
 * `steward serve` with Slack and Teams configured together, as the real binary runs: the Web API at a local fake
 * Slack, the Bot Connector at a local fake (Teams in development mode: TEAMS_ALLOW_UNAUTHENTICATED=1 and no
 * MICROSOFT_APP_ID, so no token either way), `POST /slack/events`, `POST /api/messages` and `GET /healthz` on one
 * PORT, one database. People meet Steward in chat first (a serve that takes their installs and a command), then
 * the inventory arrives and the next serve's start-up tick asks its owners: each once, on their own platform.
 *
 * The tick runs at the real time, not at a fixed --at: the outbox routes only messages created by then (created_at
 * <= now), and every serve's start-up tick records the real time, after which an earlier tick is refused. It does
 * not depend on the hour: the policy asks a new item at once (firstWithinDays: 0), a reminder is two days away,
 * the inventory holds APIs only (no credential to warn of), and the yearly cron keeps the scheduler from ticking
 * again while a test runs.
 */

afterAll(removeTempDirs);

let slack: FakeSlack | undefined;
let connector: FakeBotConnector | undefined;
const running: Array<ReturnType<typeof spawnSteward>> = [];
afterEach(async () => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await slack?.close();
  await connector?.close();
  slack = undefined;
  connector = undefined;
});

const botToken = 'xoxb-slack-and-teams-test-51c8';
const signingSecret = 'slack-and-teams-signing-secret-0d4e';
const otherTenant = 'c0ffee00-0000-4000-8000-0000000000bb';

/** Sam is on Slack only, Tess on Teams only (not in the Slack workspace), Bea on both. */
const samOnSlack: FakeSlackUser = { id: 'U0SAM', email: 'sam@acme.example', name: 'sam' };
const beaOnSlack: FakeSlackUser = { id: 'U0BEA', email: 'bea@acme.example', name: 'bea' };
const tessOnTeams = teamsMember('tess', '0000000e');
const beaOnTeams = teamsMember('bea', '0000000b');

function teamsMember(name: string, suffix: string): FakeTeamsMember {
  return { id: `29:${name}`, name, aadObjectId: `6b1f3c1e-0000-4000-8000-0000${suffix}`, email: `${name}@acme.example`, userPrincipalName: `${name}@acme.example`, userRole: 'user' };
}

const personalChat = (member: FakeTeamsMember) => `a:1-${member.id}`;

const slackConnected = /Slack: connected to Steward Test \(T0STEWARD\) as bot user U0STEWARD, over POST \/slack\/events and GET \/healthz on port (\d+)\./;
const teamsServing = /Teams: POST \/api\/messages and GET \/healthz on port (\d+) \(development mode: requests are NOT verified\)\.\n/;
const devWarning = 'WARNING: Teams DEVELOPMENT MODE (TEAMS_ALLOW_UNAUTHENTICATED=1): requests to /api/messages are not verified; anyone who can reach this port can act as anyone. Never expose it.\n';
const cardType = 'application/vnd.microsoft.card.adaptive';

/** Bea prefers Teams (the default order is Slack first); every item is asked at once; the cron never fires in a test. */
function writePolicy(dir: string): string {
  const file = path.join(dir, 'policy.yaml');
  fs.writeFileSync(file, ['attestation:', '  firstWithinDays: 0', 'delivery:', '  preferPlatforms: [teams, slack]', '  paceMs: { slack: 0, teams: 0 }', 'tick:', "  cron: '0 0 1 1 *'"].join('\n'));
  return file;
}

/** A database holding the directory alone (one team, its three people), as of a fixed day: nothing to ask yet. */
async function directoryDatabase(dir: string): Promise<string> {
  const db = path.join(dir, 'steward.db');
  const store = openSqliteStore(db);
  try {
    const people = ['sam', 'tess', 'bea'].map((name) => `${name}@acme.example`);
    const report = await importSnapshots(store, [snapshot('directory', [teamEntry('payments', { members: people }), ...people.map((email) => personEntry(email))])], { at: '2026-11-02T09:00:00.000Z' });
    expect(report.applied).toBe(true);
  } finally {
    await store.close();
  }
  return db;
}

/** The inventory: one API per owner, imported now (after the first serve), so the next start-up tick asks each at once. */
async function importInventory(db: string): Promise<void> {
  const store = openSqliteStore(db);
  try {
    const items = ['sam', 'tess', 'bea'].map((name) => apiEntry({ ref: `${name}-api`, purpose: `${name}'s service`, owner: { team: 'payments', accountable: `${name}@acme.example` } }));
    const report = await importSnapshots(store, [snapshot('inventory', items)], { at: new Date().toISOString() });
    expect(report.applied).toBe(true);
  } finally {
    await store.close();
  }
}

interface Served {
  readonly port: string;
  readonly said: string;
  readonly stop: () => Promise<RunResult>;
}

/** `steward serve` on PORT=0 with the environment given; resolves once the last surface has said where it listens. */
async function serve(db: string, policy: string, env: Record<string, string>, ready: RegExp): Promise<Served> {
  const child = spawnSteward(['serve', '--db', db, '--policy', policy], { env: { PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const exit = finished(child);
  const said = await waitForOutput(child.stdout!, ready);
  const port = ready.exec(said)?.[1] ?? '';
  return {
    port,
    said,
    stop: async () => {
      child.kill('SIGTERM');
      return exit;
    },
  };
}

function slackAndTeamsEnv(fake: FakeSlack): Record<string, string> {
  return { SLACK_BOT_TOKEN: botToken, SLACK_SIGNING_SECRET: signingSecret, SLACK_API_URL: fake.apiUrl, TEAMS_ALLOW_UNAUTHENTICATED: '1' };
}

let activities = 0;
/** An activity in `member`'s 1:1 chat with Steward, from `tenantId`, as Teams posts it. */
function personalActivity(fake: FakeBotConnector, member: FakeTeamsMember, fields: Partial<Activity>, tenantId = fake.tenantId): Partial<Activity> {
  return {
    channelId: 'msteams',
    serviceUrl: fake.serviceUrl,
    id: `${fields.type ?? 'activity'}-${member.name}-${(activities += 1)}`,
    timestamp: new Date(),
    locale: 'en-US',
    from: { id: member.id, name: member.name, aadObjectId: member.aadObjectId },
    recipient: { id: 'steward', name: 'Steward' },
    conversation: { conversationType: 'personal', tenantId, id: personalChat(member), isGroup: false, name: '' },
    channelData: { tenant: { id: tenantId } },
    ...fields,
  };
}

/** POSTs an activity to /api/messages without a token, as development mode takes it. */
async function postActivity(port: string, activity: Partial<Activity>): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  await response.text();
  return response.status;
}

describe('steward serve with Slack and Teams together, on one database', () => {
  test('when an owner is on Slack only, one on Teams only and one on both (Teams preferred), then each is asked once, on their own platform', async () => {
    const dir = tempDir();
    const policy = writePolicy(dir);
    const db = await directoryDatabase(dir);
    const fakeSlack = (slack = await startFakeSlack({ token: botToken, users: [samOnSlack, beaOnSlack] }));
    const fakeTeams = (connector = await startFakeBotConnector({ requireBotToken: false, members: { [personalChat(tessOnTeams)]: [tessOnTeams], [personalChat(beaOnTeams)]: [beaOnTeams] } }));

    // First serve: Tess and Bea install Steward in Teams; Bea also uses /steward in Slack.
    const first = await serve(db, policy, slackAndTeamsEnv(fakeSlack), teamsServing);
    const slackPort = slackConnected.exec(first.said)?.[1];

    expect(first.said).toContain(devWarning);
    expect(first.said.indexOf(devWarning)).toBeLessThan(first.said.search(teamsServing));
    expect(slackPort).toBe(first.port);
    const health = await fetch(`http://127.0.0.1:${first.port}/healthz`);
    expect({ status: health.status, body: await health.text() }).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(await postActivity(first.port, personalActivity(fakeTeams, tessOnTeams, { type: 'installationUpdate', action: 'add' }))).toBe(200);
    expect(await postActivity(first.port, personalActivity(fakeTeams, beaOnTeams, { type: 'installationUpdate', action: 'add' }))).toBe(200);
    const command = await new SlackSender(`http://127.0.0.1:${first.port}/slack/events`, signingSecret).command(slashCommand(beaOnSlack.id, 'help', fakeSlack.responseUrl('bea-help')));
    expect(command.status).toBe(200);
    expect((await fakeSlack.waitFor((c) => c.path === '/respond/bea-help')).args.text).toContain('/steward');
    const firstRun = await first.stop();
    expect(firstRun).toMatchObject({ code: 0, signal: null });
    // Nothing to ask yet: nobody was written to (the command was answered through its response_url).
    expect(fakeSlack.callsTo('chat.postMessage')).toEqual([]);
    expect(fakeTeams.sent).toEqual([]);
    // The first install made its tenant home (development mode has no MICROSOFT_APP_TENANT_ID).
    expect(logLines(firstRun.stderr, /is Steward's home/)).toEqual([`Teams development mode: tenant ${fakeTeams.tenantId} is Steward's home (the first to reach it); activities from any other are refused`]);

    // Bea has both accounts now; Tess a Teams one alone; Sam none (Slack finds him by email).
    const linked = openSqliteStore(db);
    const accounts = async (email: string) => ((await linked.chatPersonBy({ email }))?.accounts ?? []).map((a) => a.platform).sort();
    expect({ sam: await accounts(samOnSlack.email), tess: await accounts('tess@acme.example'), bea: await accounts(beaOnSlack.email) }).toEqual({ sam: [], tess: ['teams'], bea: ['slack', 'teams'] });
    await linked.close();

    // The inventory arrives; the second serve's start-up tick asks its three owners.
    await importInventory(db);
    const second = await serve(db, policy, slackAndTeamsEnv(fakeSlack), teamsServing);
    const posts = () => fakeSlack.callsTo('chat.postMessage');
    const sent = () => `Slack: ${JSON.stringify(posts().map((c) => c.args.channel))}; Teams: ${JSON.stringify(fakeTeams.sent.map((s) => s.conversationId))}`;
    await waitUntil(() => posts().length + fakeTeams.sent.length >= 3, sent);
    // Anything sent twice, or to the wrong platform after all, would show within a few pump rounds.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const secondRun = await second.stop();
    expect(secondRun).toMatchObject({ code: 0, signal: null });
    const [samDm] = posts();

    // Sam: one DM in Slack, found by his email; nothing in Teams.
    expect(posts()).toHaveLength(1);
    expect(samDm).toMatchObject({ token: botToken, args: { channel: `D${samOnSlack.id}` }, answer: { ok: true } });
    expect(JSON.stringify(samDm?.args.blocks)).toContain('sam-api');
    expect(fakeSlack.callsTo('users.lookupByEmail').map((c) => c.args.email)).toEqual([samOnSlack.email]);
    expect(fakeSlack.callsTo('conversations.open').map((c) => c.args.users)).toEqual([samOnSlack.id]);

    // Tess and Bea: one card each, in the 1:1 chat their install left, and nothing for them in Slack (Tess is not even
    // looked up there: routing takes the platform a person is linked on before one that finds people by email).
    const sentTo = fakeTeams.sent.map((s) => ({ conversation: s.conversationId, kind: s.kind, attachments: (s.activity.attachments ?? []).map((a) => a.contentType), authorization: s.authorization }));
    expect(sentTo.sort((a, b) => a.conversation.localeCompare(b.conversation))).toEqual([
      { conversation: personalChat(beaOnTeams), kind: 'reply', attachments: [cardType], authorization: null },
      { conversation: personalChat(tessOnTeams), kind: 'reply', attachments: [cardType], authorization: null },
    ]);
    const cardOf = (member: FakeTeamsMember) => JSON.stringify(fakeTeams.sent.find((s) => s.conversationId === personalChat(member))?.activity.attachments);
    expect(cardOf(tessOnTeams)).toContain('tess-api');
    expect(cardOf(beaOnTeams)).toContain('bea-api');
    expect(cardOf(beaOnTeams)).not.toContain('tess-api');
    expect(fakeTeams.created).toEqual([]);

    // The stored state agrees: three prompts, each delivered on one platform.
    const store = openSqliteStore(db);
    const messages = outbox(store).map((m) => ({ to: m.to, kind: m.kind, refs: m.refs, platforms: m.platforms, status: m.status }));
    await store.close();
    expect(messages.sort((a, b) => a.to.localeCompare(b.to))).toEqual([
      { to: beaOnSlack.email, kind: 'attestation_prompt', refs: ['bea-api'], platforms: ['teams'], status: 'sent' },
      { to: samOnSlack.email, kind: 'attestation_prompt', refs: ['sam-api'], platforms: ['slack'], status: 'sent' },
      { to: tessOnTeams.email, kind: 'attestation_prompt', refs: ['tess-api'], platforms: ['teams'], status: 'sent' },
    ]);
    expect(secondRun.stdout + secondRun.stderr).not.toContain(botToken);
    expect(secondRun.stdout + secondRun.stderr).not.toContain(signingSecret);
  });
});

describe('steward serve with Teams in development mode: the home tenant', () => {
  test('when a first tenant writes, then it becomes home (said in the log), and another tenant is not answered, also after a restart', async () => {
    const dir = tempDir();
    const policy = writePolicy(dir);
    const db = path.join(dir, 'steward.db');
    const stranger: FakeTeamsMember = { ...teamsMember('olga', '000000aa'), email: 'olga@other.example', userPrincipalName: 'olga@other.example' };
    const fakeTeams = (connector = await startFakeBotConnector({ requireBotToken: false, members: { [personalChat(tessOnTeams)]: [tessOnTeams], [personalChat(stranger)]: [stranger] } }));
    const env = { TEAMS_ALLOW_UNAUTHENTICATED: '1' };
    const repliesIn = (member: FakeTeamsMember) => fakeTeams.sent.filter((s) => s.conversationId === personalChat(member));
    const callsAbout = (member: FakeTeamsMember) => fakeTeams.calls.filter((c) => c.conversationId === personalChat(member));

    const first = await serve(db, policy, env, teamsServing);
    expect(await postActivity(first.port, personalActivity(fakeTeams, tessOnTeams, { type: 'message', text: 'help', textFormat: 'plain' }))).toBe(200);
    expect(await postActivity(first.port, personalActivity(fakeTeams, stranger, { type: 'message', text: 'help', textFormat: 'plain' }, otherTenant))).toBe(200);
    const firstRun = await first.stop();

    expect(firstRun.code).toBe(0);
    expect(first.said).toContain(devWarning);
    expect(repliesIn(tessOnTeams)).toHaveLength(1);
    expect(repliesIn(tessOnTeams)[0]?.activity.text).toContain('@Steward');
    expect(callsAbout(stranger)).toEqual([]);
    expect(logLines(firstRun.stderr, /is Steward's home/)).toEqual([`Teams development mode: tenant ${fakeTeams.tenantId} is Steward's home (the first to reach it); activities from any other are refused`]);
    expect(logRecords(firstRun.stderr, /from another tenant was refused/)).toMatchObject([{ tenant: otherTenant, type: 'message' }]);

    // Restarted on the same database: the home is the stored one, whoever writes first.
    const second = await serve(db, policy, env, teamsServing);
    expect(await postActivity(second.port, personalActivity(fakeTeams, stranger, { type: 'message', text: 'help', textFormat: 'plain' }, otherTenant))).toBe(200);
    expect(await postActivity(second.port, personalActivity(fakeTeams, tessOnTeams, { type: 'message', text: 'who tess', textFormat: 'plain' }))).toBe(200);
    const secondRun = await second.stop();

    expect(secondRun.code).toBe(0);
    expect(callsAbout(stranger)).toEqual([]);
    expect(repliesIn(tessOnTeams)).toHaveLength(2);
    expect(logRecords(secondRun.stderr, /from another tenant was refused/)).toMatchObject([{ tenant: otherTenant, type: 'message' }]);
    // Said once a process, the same home as before.
    expect(logLines(secondRun.stderr, /is Steward's home/)).toEqual([`Teams development mode: tenant ${fakeTeams.tenantId} is Steward's home (the first to reach it); activities from any other are refused`]);
    // Claimed once, in the audit trail, by the first run.
    const store = openSqliteStore(db);
    const claims = auditEvents(store, { action: 'platform.home_claimed' }).map((e) => ({ actor: e.actor, subject: e.subject, details: e.details }));
    await store.close();
    expect(claims).toEqual([{ actor: 'steward:teams', subject: 'teams', details: { home: fakeTeams.tenantId } }]);
  });
});

/** The log's JSON records (standard error) whose message matches. */
function logRecords(stderr: string, msg: RegExp): Array<Record<string, unknown>> {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((record) => typeof record.msg === 'string' && msg.test(record.msg));
}

function logLines(stderr: string, msg: RegExp): string[] {
  return logRecords(stderr, msg).map((record) => String(record.msg));
}

/** Resolves once `condition` holds; fails after `timeoutMs`, saying what `state` says then. */
async function waitUntil(condition: () => boolean, state: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms: ${state()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
