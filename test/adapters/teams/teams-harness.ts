import type { Activity } from 'botbuilder';
import { startHttpServer, type HttpServer } from '../../../adapters/http/http-server.js';
import { startOutboxPump, type OutboxPump } from '../../../adapters/scheduler/outbox-pump.js';
import { startTeamsApp, type TeamsApp, type TeamsAppOptions } from '../../../adapters/teams/teams-app.js';
import type { RawEntry } from '../../../src/inventory/import-entry.js';
import type { Policy } from '../../../src/policy/policy.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { startFakeBotConnector, type FakeBotConnector, type FakeTeamsMember } from '../../support/fake-bot-connector.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { directoryEntries, importLoop, loopPolicy } from '../../support/loop.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { TestClock } from '../slack/slack-harness.js';

/*
 * Steward's Teams app as it runs under `serve`, over real HTTP on port 0: botbuilder's CloudAdapter behind
 * `POST /api/messages`, every activity signed as the Bot Framework signs it and verified against the fake Bot
 * Connector's keys, replies and proactive messages sent to the fake (with a token from its Entra ID), a fresh
 * in-memory database with the loop scenarios' people and teams, and the outbox pump delivering through Teams.
 */

export const importedAt = '2026-11-02T09:00:00.000Z';

/** The loop directory's people as Teams users: `ana` is 29:ana, ana@acme.example, with an Entra object id of her own. */
export function member(name: string, extra: Partial<FakeTeamsMember> = {}): FakeTeamsMember {
  const index = [...name].reduce((sum, c) => sum + c.charCodeAt(0), 0).toString(16).padStart(4, '0');
  return { id: `29:${name}`, name, aadObjectId: `00000000-0000-4000-8000-00000000${index}`, email: `${name}@acme.example`, userPrincipalName: `${name}@acme.example`, userRole: 'user', ...extra };
}

export const personalConversation = (name: string) => `a:1-29:${name}`;
export const channelOf = (slug: string) => `19:${slug}@thread.tacv2`;
export const teamOf = '19:acme-general@thread.tacv2';

export interface TeamsHarnessOptions {
  readonly items?: RawEntry[];
  readonly policy?: Policy;
  readonly clock?: string;
  /** The people Teams knows (their 1:1 chats answer getMember); the loop directory's eight by default. */
  readonly members?: readonly FakeTeamsMember[];
  /** Draws a digest's chart (none by default: digests go without it). */
  readonly drawChart?: TeamsAppOptions['drawChart'];
  readonly chartTimeoutMs?: number;
}

export interface TeamsHarness {
  readonly store: SqliteStore;
  readonly fake: FakeBotConnector;
  readonly teams: TeamsApp;
  readonly pump: OutboxPump;
  readonly server: HttpServer;
  readonly clock: TestClock;
  readonly policy: Policy;
  readonly logs: Array<Record<string, unknown>>;
  /** POSTs a signed activity to /api/messages: the status and the parsed body (an invoke's answer). */
  post(activity: Partial<Activity>, authorization?: string | null): Promise<{ readonly status: number; readonly body: unknown }>;
  /** A message from `name` in their 1:1 chat with Steward. */
  personal(name: string, text: string): Partial<Activity>;
  /** A message mentioning Steward in a team's channel (`<at>Steward</at> …`). */
  inChannel(name: string, channel: string, text: string): Partial<Activity>;
  /** Steward installed in `name`'s personal scope. */
  installedBy(name: string): Partial<Activity>;
  /** Steward added to the team (`teamOf`) by `name`: the conversationUpdate Teams sends to its General channel. */
  addedToTeam(name: string): Partial<Activity>;
  /** A click on an Action.Execute button of a card: its verb and data, from `name` in the conversation of the card. */
  click(name: string, conversationId: string, replyToId: string, verb: string, data: Record<string, unknown>): Partial<Activity>;
  /** Delivers what the outbox holds now and waits until the pump is idle. */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

export async function startTeamsHarness(options: TeamsHarnessOptions = {}): Promise<TeamsHarness> {
  const store = memoryStore();
  if (options.items !== undefined) await importLoop(store, importedAt, options.items, directoryEntries());
  const people = options.members ?? ['ana', 'ben', 'cy', 'lena', 'leo', 'lia', 'pat', 'zed'].map((name) => member(name));
  const fake = await startFakeBotConnector({ members: Object.fromEntries(people.map((m) => [personalConversation(m.name), [m]])) });
  fake.setMembers(teamOf, people);
  const policy = options.policy ?? loopPolicy({ admins: ['pat@acme.example'] });
  const clock = new TestClock(options.clock ?? '2026-11-09T09:00:00.000Z');
  const { logger, records } = recordingLogger('debug');
  let pump: OutboxPump | undefined = undefined;
  const settings = { appId: fake.appId, appPassword: fake.appPassword, tenantId: fake.tenantId, appType: 'SingleTenant', unauthenticated: false } as const;
  const teams = await startTeamsApp({ settings, store, clock, policy, logger, changed: () => pump?.kick(), minIntervalMs: 0, authOverrides: fake.overrides, ...(options.drawChart === undefined ? {} : { drawChart: options.drawChart }), ...(options.chartTimeoutMs === undefined ? {} : { chartTimeoutMs: options.chartTimeoutMs }) });
  const server = await startHttpServer(0, () => teams.health(), [teams.route]);
  pump = startOutboxPump({ store, chat: teams.chat, clock, logger, owner: 'test:teams', platforms: [teams.chat.reach], delivery: policy.delivery, pollMs: 60_000, halted: () => null });
  const started = pump;
  const endpoint = `http://127.0.0.1:${server.port}/api/messages`;
  const byName = (name: string) => people.find((m) => m.name === name) ?? member(name);
  const from = (name: string) => {
    const m = byName(name);
    return { id: m.id, name: m.name, aadObjectId: m.aadObjectId };
  };
  const base = (conversation: { id: string; conversationType: string; isGroup: boolean }) => ({
    channelId: 'msteams',
    serviceUrl: fake.serviceUrl,
    recipient: { id: `28:${fake.appId}`, name: 'Steward' },
    conversation: { tenantId: fake.tenantId, name: '', ...conversation },
    channelData: { tenant: { id: fake.tenantId } },
    timestamp: new Date(),
    locale: 'en-US',
  });
  let nextId = 1;
  return {
    store,
    fake,
    teams,
    pump: started,
    server,
    clock,
    policy,
    logs: records,
    async post(activity, authorization) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      const signed = authorization === undefined ? fake.authorizationFor(activity) : authorization;
      if (signed !== null) headers.authorization = signed;
      const response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify(activity) });
      const text = await response.text();
      return { status: response.status, body: text === '' ? null : (JSON.parse(text) as unknown) };
    },
    personal: (name, text) => ({ ...base({ id: personalConversation(name), conversationType: 'personal', isGroup: false }), type: 'message', id: `m${nextId++}`, from: from(name), text, textFormat: 'plain' }),
    inChannel: (name, channel, text) => ({
      ...base({ id: `${channel};messageid=${nextId}`, conversationType: 'channel', isGroup: true }),
      channelData: { tenant: { id: fake.tenantId }, team: { id: teamOf }, channel: { id: channel } },
      type: 'message',
      id: `m${nextId++}`,
      from: from(name),
      text: `<at>Steward</at> ${text}`,
      textFormat: 'plain',
      entities: [{ type: 'mention', text: '<at>Steward</at>', mentioned: { id: `28:${fake.appId}`, name: 'Steward' } }],
    }),
    addedToTeam: (name) => ({
      ...base({ id: teamOf, conversationType: 'channel', isGroup: true }),
      channelData: { tenant: { id: fake.tenantId }, team: { id: teamOf }, channel: { id: teamOf } },
      type: 'conversationUpdate',
      id: `u${nextId++}`,
      from: from(name),
      membersAdded: [{ id: `28:${fake.appId}`, name: 'Steward' }],
    }),
    installedBy: (name) => ({ ...base({ id: personalConversation(name), conversationType: 'personal', isGroup: false }), type: 'installationUpdate', action: 'add', id: `i${nextId++}`, from: from(name) }),
    click: (name, conversationId, replyToId, verb, data) => ({
      ...base({ id: conversationId, conversationType: conversationId.startsWith('a:') ? 'personal' : 'channel', isGroup: !conversationId.startsWith('a:') }),
      ...(conversationId.startsWith('a:') ? {} : { channelData: { tenant: { id: fake.tenantId }, team: { id: teamOf }, channel: { id: conversationId } } }),
      type: 'invoke',
      name: 'adaptiveCard/action',
      id: `c${nextId++}`,
      replyToId,
      from: from(name),
      value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
    }),
    async deliver() {
      started.kick();
      await started.idle();
    },
    close: async () => {
      await started.stop();
      await server.close();
      await fake.close();
      await store.close();
    },
  };
}
