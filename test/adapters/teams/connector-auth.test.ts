import {
  type Activity,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConversationReference,
  TeamsInfo,
  type TurnContext,
} from 'botbuilder';
import type { BotFrameworkAuthentication } from 'botframework-connector';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import type { TeamsSettings } from '../../../adapters/config/environment.js';
import { type HttpServer, startHttpServer } from '../../../adapters/http/http-server.js';
import { botRoute } from '../../../adapters/teams/bot-route.js';
import { teamsAuthentication } from '../../../adapters/teams/teams-auth.js';
import { type ChannelTokenOptions, type FakeBotConnector, type FakeTeamsMember, startFakeBotConnector } from '../../support/fake-bot-connector.js';

/*
 * Spike: botbuilder's real CloudAdapter behind Steward's HTTP server, verifying real channel tokens against the fake
 * Bot Connector's keys and getting its own token from the fake's Entra ID through MSAL, all on 127.0.0.1.
 */

const settingsFor = (fake: FakeBotConnector): TeamsSettings => ({
  appId: fake.appId,
  appPassword: fake.appPassword,
  tenantId: fake.tenantId,
  appType: 'SingleTenant',
  unauthenticated: false,
});

interface Steward {
  readonly adapter: CloudAdapter;
  readonly auth: BotFrameworkAuthentication;
  readonly turns: Partial<Activity>[];
  readonly turnErrors: unknown[];
  /** http://127.0.0.1:{port}/api/messages */
  readonly endpoint: string;
  post(activity: Partial<Activity>, authorization?: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/** The real adapter on Steward's HTTP server; its logic records each activity and echoes a message. */
async function startSteward(auth: BotFrameworkAuthentication): Promise<Steward> {
  const adapter = new CloudAdapter(auth);
  const turns: Partial<Activity>[] = [];
  const turnErrors: unknown[] = [];
  adapter.onTurnError = async (_context, error) => void turnErrors.push(error);
  const logic = async (context: TurnContext) => {
    turns.push(context.activity);
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
  };
  const server: HttpServer = await startHttpServer(0, () => true, [botRoute(adapter, logic)]);
  const endpoint = `http://127.0.0.1:${server.port}/api/messages`;
  return {
    adapter,
    auth,
    turns,
    turnErrors,
    endpoint,
    async post(activity, authorization) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
        body: JSON.stringify(activity),
      });
      return { status: response.status, body: await response.text() };
    },
    close: () => server.close(),
  };
}

const guest: FakeTeamsMember = { id: '29:guest-gil', name: 'Gil Guest', aadObjectId: '0c0c0c0c-0000-4000-8000-00000000617c', email: 'gil@partner.example', userPrincipalName: 'gil_partner.example#EXT#@contoso.onmicrosoft.com', userRole: 'guest' };
const teamId = '19:team-general@thread.tacv2';
const roster: FakeTeamsMember[] = ['ana', 'ben', 'cai'].map((name, i) => ({ id: `29:${name}`, name, aadObjectId: `00000000-0000-4000-8000-00000000000${i}`, email: `${name}@example.com` }));

let fake: FakeBotConnector;
let steward: Steward;
beforeAll(async () => {
  fake = await startFakeBotConnector({ members: { 'a:1-guest': [guest], [teamId]: roster } });
  steward = await startSteward(teamsAuthentication(settingsFor(fake), fake.overrides));
});
afterAll(async () => {
  await steward.close();
  await fake.close();
});
// CloudAdapter and botbuilder's token check print each refusal with console.error.
beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => undefined));
afterEach(() => void vi.restoreAllMocks());

const referenceTo = (conversationId: string): Partial<ConversationReference> => ({
  channelId: 'msteams',
  serviceUrl: fake.serviceUrl,
  conversation: { id: conversationId, conversationType: 'personal', tenantId: fake.tenantId, isGroup: false, name: '' },
  bot: { id: `28:${fake.appId}`, name: 'Steward' },
});

/** Runs `logic` in a proactive turn and returns what it threw, caught inside the callback (see the swallow test). */
async function proactively(conversationId: string, logic: (context: TurnContext) => Promise<unknown>): Promise<unknown> {
  let thrown: unknown;
  await steward.adapter.continueConversationAsync(fake.appId, referenceTo(conversationId), async (context) => {
    try {
      await logic(context);
    } catch (error) {
      thrown = error;
    }
  });
  return thrown;
}

describe('an activity from the channel', () => {
  test('when signed as the channel signs it, then the logic runs and its reply reaches the connector with a token from the fake Entra ID', async () => {
    const message = fake.personalMessage('mine');

    const response = await steward.post(message, fake.authorizationFor(message));

    expect(response.status).toBe(200);
    expect(steward.turns.at(-1)).toMatchObject({ text: 'mine', callerId: 'urn:botframework:azure' });
    const reply = fake.sent.at(-1);
    expect(reply).toMatchObject({ kind: 'reply', conversationId: message.conversation?.id, replyToId: message.id, activity: { text: 'echo: mine' } });
    expect(fake.issued(reply?.authorization ?? null)).toBe(true);
    expect(fake.tokenRequests).toContainEqual({ tenant: fake.tenantId, clientId: fake.appId, scope: `${fake.url}/.default`, grantType: 'client_credentials', granted: true });
  });

  const now = () => Math.floor(Date.now() / 1000);
  test.each<[string, ChannelTokenOptions | null]>([
    ['no Authorization header', null],
    ['a forged signature (another key under the JWKS kid)', { forged: true }],
    ['a token that expired ten minutes ago', { expiresAt: now() - 600 }],
    ["another app's audience", { audience: '11111111-2222-4333-8444-555555555555' }],
    ['a serviceurl claim other than the activity\u2019s', { serviceUrl: 'https://smba.trafficmanager.net/emea/' }],
    ['an issuer other than the Bot Framework', { issuer: 'https://sts.windows.net/00000000-0000-0000-0000-000000000000/' }],
    ['a key id the JWKS does not hold', { kid: 'rotated-away' }],
  ])('when the request has %s, then 401 with an empty body, and the logic never runs', async (_case, token) => {
    const message = fake.personalMessage('forged?');
    const turns = steward.turns.length;
    const sent = fake.sent.length;

    const response = await steward.post(message, token === null ? undefined : fake.authorizationFor(message, token));

    expect(response).toEqual({ status: 401, body: '' });
    expect(steward.turns).toHaveLength(turns);
    expect(fake.sent).toHaveLength(sent);
  });

  test('when the token expired a minute ago, then it still passes: botbuilder allows five minutes of clock skew', async () => {
    const message = fake.personalMessage('late');

    expect((await steward.post(message, fake.authorizationFor(message, { expiresAt: now() - 60 }))).status).toBe(200);
  });

  test('when the route gets a GET, then 405 naming POST', async () => {
    const response = await fetch(steward.endpoint);

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  test.each([
    ['a body past 1 MiB', 413, 'x'.repeat(1024 * 1024 + 1)],
    ['a body that is not JSON', 400, '{"type":'],
    ['a JSON array', 400, '[]'],
    ['an object without a type (CloudAdapter alone throws: 500)', 400, '{"text":"hi"}'],
  ])('when the route gets %s, then %i before any token check', async (_case, status, body) => {
    const response = await fetch(steward.endpoint, { method: 'POST', body });

    expect(response.status).toBe(status);
  });
});

describe('proactive sends', () => {
  test('when continueConversationAsync sends, then the activity reaches the conversation with the bot token, as a reply to a fresh UUID', async () => {
    expect(await proactively('a:1-dana', (context) => context.sendActivity('reminder: 3 items due'))).toBeUndefined();

    const sent = fake.sent.at(-1);
    expect(sent).toMatchObject({ kind: 'reply', conversationId: 'a:1-dana', activity: { text: 'reminder: 3 items due' } });
    expect(sent?.replyToId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fake.issued(sent?.authorization ?? null)).toBe(true);
  });

  test('when a card is updated, then a PUT reaches the activity', async () => {
    await proactively('a:1-dana', (context) => context.updateActivity({ id: '42', type: 'message', text: 'resolved' }));

    expect(fake.sent.at(-1)).toMatchObject({ kind: 'update', conversationId: 'a:1-dana', activityId: '42', activity: { text: 'resolved' } });
  });

  test('when createConversationAsync opens a 1:1 chat, then POST /v3/conversations carries the member and tenant, and the callback sends into it', async () => {
    await steward.adapter.createConversationAsync(
      fake.appId,
      'msteams',
      fake.serviceUrl,
      steward.auth.getOriginatingAudience(),
      { isGroup: false, bot: { id: `28:${fake.appId}`, name: 'Steward' }, members: [{ id: '29:new-person', name: '' }], tenantId: fake.tenantId, channelData: { tenant: { id: fake.tenantId } } },
      async (context) => void (await context.sendActivity('hello')),
    );

    const created = fake.created.at(-1);
    expect(created?.parameters).toMatchObject({ members: [{ id: '29:new-person' }], tenantId: fake.tenantId });
    expect(fake.issued(created?.authorization ?? null)).toBe(true);
    expect(fake.sent.at(-1)).toMatchObject({ conversationId: created?.id, activity: { text: 'hello' } });
  });

  test("when a guest's member record is asked for, then the fake answers their role, email and UPN", async () => {
    let member: unknown;
    await proactively('a:1-guest', async (context) => (member = await TeamsInfo.getMember(context, guest.id)));

    expect(member).toMatchObject({ id: guest.id, aadObjectId: guest.aadObjectId, email: guest.email, userPrincipalName: guest.userPrincipalName, userRole: 'guest', tenantId: fake.tenantId });
  });

  test("when a team's roster is paged two at a time, then two pages and a continuation token", async () => {
    const pages: unknown[] = [];
    await proactively(teamId, async (context) => {
      const first = await TeamsInfo.getPagedTeamMembers(context, teamId, 2);
      pages.push(first, await TeamsInfo.getPagedTeamMembers(context, teamId, 2, first.continuationToken));
    });

    expect(pages).toMatchObject([{ members: [{ id: '29:ana' }, { id: '29:ben' }], continuationToken: '2' }, { members: [{ id: '29:cai' }] }]);
  });
});

describe('connector failures reach the caller', () => {
  test('when the conversation answers 429, then it is sent once and the RestError carries the status, code and Retry-After', async () => {
    fake.failConversation('a:1-throttled', { status: 429, retryAfterSeconds: 7 }, 1);

    const error = await proactively('a:1-throttled', (context) => context.sendActivity('due'));

    expect(error).toMatchObject({ name: 'RestError', statusCode: 429, code: 'Throttled', message: 'Too many requests.' });
    expect((error as { response: { headers: { get(name: string): string | undefined } } }).response.headers.get('retry-after')).toBe('7');
    expect(fake.calls.filter((call) => call.conversationId === 'a:1-throttled')).toHaveLength(1);
  });

  test('when the conversation answers 502, then it is sent once as well: retrying is the outbox\'s decision', async () => {
    fake.failConversation('a:1-unavailable', { status: 502 }, 1);

    const error = await proactively('a:1-unavailable', (context) => context.sendActivity('due'));

    expect(error).toMatchObject({ name: 'RestError', statusCode: 502, code: 'ServiceError' });
    expect(fake.calls.filter((call) => call.conversationId === 'a:1-unavailable')).toHaveLength(1);
  });

  test('when the bot is not in the conversation roster, then a RestError with 403 and the Teams error code', async () => {
    fake.failConversation('a:1-uninstalled', { status: 403, code: 'BotNotInConversationRoster' });

    const error = await proactively('a:1-uninstalled', (context) => context.sendActivity('due'));

    expect(error).toMatchObject({ name: 'RestError', statusCode: 403, code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' });
    expect(fake.calls.filter((call) => call.conversationId === 'a:1-uninstalled')).toHaveLength(1);
  });

  test('when creating the 1:1 chat is forbidden, then createConversationAsync itself rejects: the request precedes the callback', async () => {
    fake.failCreateConversation({ status: 403, code: 'ForbiddenOperationException' }, 1);
    const callback = vi.fn(async () => undefined);

    await expect(
      steward.adapter.createConversationAsync(fake.appId, 'msteams', fake.serviceUrl, steward.auth.getOriginatingAudience(), { isGroup: false, bot: { id: `28:${fake.appId}`, name: 'Steward' }, members: [{ id: '29:not-installed', name: '' }], tenantId: fake.tenantId, channelData: {} }, callback),
    ).rejects.toMatchObject({ statusCode: 403, code: 'ForbiddenOperationException' });
    expect(callback).not.toHaveBeenCalled();
  });

  test('when the callback lets the error escape and onTurnError is set, then continueConversationAsync resolves as if it had sent', async () => {
    fake.failConversation('a:1-swallowed', { status: 403, code: 'ConversationBlockedByUser' });
    const errors = steward.turnErrors.length;

    await expect(steward.adapter.continueConversationAsync(fake.appId, referenceTo('a:1-swallowed'), async (context) => void (await context.sendActivity('due')))).resolves.toBeUndefined();

    expect(steward.turnErrors.slice(errors)).toMatchObject([{ statusCode: 403, code: 'ConversationBlockedByUser' }]);
  });
});

describe('one endpoint overridden alone', () => {
  test('when only the metadata URL is set, then the other endpoints stay the public cloud\'s and a signed activity passes (botbuilder alone would leave the issuer undefined and refuse it)', async () => {
    const metadata = fake.overrides.configuration?.ToBotFromChannelOpenIdMetadataUrl;
    const alone = await startSteward(teamsAuthentication(settingsFor(fake), { credentialsFactory: fake.overrides.credentialsFactory, ...(metadata === undefined ? {} : { configuration: { ToBotFromChannelOpenIdMetadataUrl: metadata } }) }));
    // Not a message: the logic sends nothing, so no token is asked of the (public) login URL.
    const update = { ...fake.personalMessage(''), type: 'conversationUpdate', text: undefined };

    try {
      expect((await alone.post(update, fake.authorizationFor(update))).status).toBe(200);
      expect(alone.turns).toMatchObject([{ type: 'conversationUpdate' }]);
    } finally {
      await alone.close();
    }
  });
});

describe('development mode: no app id (TEAMS_ALLOW_UNAUTHENTICATED=1)', () => {
  let open: FakeBotConnector;
  let devSteward: Steward;
  beforeAll(async () => {
    open = await startFakeBotConnector({ requireBotToken: false });
    const settings: TeamsSettings = { appId: null, appPassword: null, tenantId: null, appType: 'SingleTenant', unauthenticated: true };
    devSteward = await startSteward(teamsAuthentication(settings));
  });
  afterAll(async () => {
    await devSteward.close();
    await open.close();
  });

  test.each([
    ['no token', undefined],
    ['a token that is not even a JWT', 'Bearer not-a-jwt'],
  ])('when an activity comes with %s, then it is accepted and the reply goes out without an Authorization header', async (_case, authorization) => {
    const message = open.personalMessage('hi');

    expect((await devSteward.post(message, authorization)).status).toBe(200);

    expect(devSteward.turns.at(-1)).toMatchObject({ text: 'hi' });
    expect(open.sent.at(-1)).toMatchObject({ activity: { text: 'echo: hi' }, authorization: null });
    expect(open.tokenRequests).toEqual([]);
  });
});

describe('botbuilder alone, without teamsAuthentication', () => {
  let bare: Steward;
  beforeAll(async () => {
    const { configuration = {}, credentialsFactory } = fake.overrides;
    const options = { MicrosoftAppId: fake.appId, MicrosoftAppPassword: fake.appPassword, MicrosoftAppTenantId: fake.tenantId, MicrosoftAppType: 'SingleTenant', CallerId: 'urn:botframework:azure', ...configuration };
    bare = await startSteward(new ConfigurationBotFrameworkAuthentication(options, credentialsFactory));
  });
  afterAll(() => bare.close());

  test('when the signature is forged, then CloudAdapter answers 500: jsonwebtoken’s error is not an AuthenticationError', async () => {
    const message = fake.personalMessage('forged');

    expect((await bare.post(message, fake.authorizationFor(message, { forged: true }))).status).toBe(500);
    expect(bare.turns).toHaveLength(0);
  });

  test('when the conversation answers 429 with Retry-After: 0, then its client sends the request 4 times (3 retries) before the error surfaces', async () => {
    fake.failConversation('a:1-bare-throttled', { status: 429, retryAfterSeconds: 0 });
    let error: unknown;

    await bare.adapter.continueConversationAsync(fake.appId, referenceTo('a:1-bare-throttled'), async (context) => {
      await context.sendActivity('due').catch((thrown: unknown) => void (error = thrown));
    });

    expect(error).toMatchObject({ statusCode: 429 });
    expect(fake.calls.filter((call) => call.conversationId === 'a:1-bare-throttled')).toHaveLength(4);
  });
});
