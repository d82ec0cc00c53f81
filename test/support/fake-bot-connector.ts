import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Activity } from 'botbuilder';
import type { TeamsAuthOverrides } from '../../adapters/teams/teams-auth.js';
import { fakeLoginOrigin, msalCredentialsFactory } from './bot-framework-auth.js';

/*
 * A local stand-in for the Bot Framework, over real HTTP on port 0, playing its three parts:
 * - the channel's signing keys: an OpenID metadata document and a JWKS (one RSA key, endorsed for `msteams`), which
 *   botbuilder fetches to verify the token on every activity POSTed to /api/messages; `authorizationFor` signs that
 *   token as the channel does (iss https://api.botframework.com, aud = the app id, serviceurl = the activity's);
 * - Entra ID for the bot's own client-credentials request (`/{tenant}/v2.0/.well-known/openid-configuration` and
 *   `/{tenant}/oauth2/v2.0/token`), reached through MSAL at https://login.fake.test (see bot-framework-auth.ts);
 * - the Connector REST API under `serviceUrl`: every activity sent or updated is recorded with the Authorization
 *   header it carried; conversations are created; members and paged members answered from what the test set;
 *   and a conversation can be told to answer 403 or 429 (with Retry-After) with the bodies Teams sends.
 */

export interface FakeTeamsMember {
  /** The member's Teams user id in this bot's conversations (`29:…`). */
  readonly id: string;
  readonly name: string;
  readonly aadObjectId: string;
  readonly email?: string;
  readonly userPrincipalName?: string;
  /** `user`, or `guest` for a guest account (the roster's userRole). */
  readonly userRole?: 'user' | 'guest' | 'anonymous';
  readonly tenantId?: string;
  readonly givenName?: string;
  readonly surname?: string;
}

/** One request to the Connector REST API, as the fake received it. */
export interface ConnectorCall {
  readonly method: string;
  /** The path after the service URL's own prefix: `/v3/conversations/a:1/activities`. */
  readonly path: string;
  readonly conversationId: string | null;
  readonly authorization: string | null;
  readonly body: unknown;
  /** The status the fake answered. */
  readonly status: number;
}

/**
 * An activity the bot sent (POST) or updated (PUT), answered with success. botbuilder sends a turn's replies, and
 * continueConversationAsync's sends too, as replies: POST …/activities/{replyToId}, the id being the incoming
 * activity's, or a fresh UUID for a proactive turn (its continuation event's id).
 */
export interface SentActivity {
  readonly kind: 'send' | 'reply' | 'update';
  readonly conversationId: string;
  /** The id the fake gave it (send, reply), or the one updated. */
  readonly activityId: string;
  /** The id in the path of a reply. */
  readonly replyToId: string | null;
  readonly activity: Partial<Activity>;
  readonly authorization: string | null;
}

export interface CreatedConversation {
  readonly id: string;
  readonly parameters: Record<string, unknown>;
  readonly authorization: string | null;
}

/** A client-credentials request to the fake token endpoint. */
export interface TokenRequest {
  readonly tenant: string;
  readonly clientId: string | null;
  readonly scope: string | null;
  readonly grantType: string | null;
  /** True when the client id and secret were the bot's. */
  readonly granted: boolean;
}

/** What a conversation answers instead of success: Teams' error bodies (msteams-docs, "Status codes"). */
export type ConnectorFailure =
  | { readonly status: 403; readonly code?: 'BotNotInConversationRoster' | 'ConversationBlockedByUser' | 'BotDisabledByAdmin' | 'ForbiddenOperationException'; readonly message?: string }
  | { readonly status: 429; readonly retryAfterSeconds?: number }
  | { readonly status: 400 | 404 | 412 | 413 | 500 | 502 | 503; readonly code?: string; readonly message?: string };

export interface ChannelTokenOptions {
  /** `aud`: the app id by default. */
  readonly audience?: string;
  /** `iss`: https://api.botframework.com by default. */
  readonly issuer?: string;
  /** `serviceurl`: the activity's by default. */
  readonly serviceUrl?: string;
  /** `exp`, in seconds since the epoch: an hour from now by default. */
  readonly expiresAt?: number;
  /** Signed with a key the JWKS does not hold, under the JWKS key's kid (a forgery). */
  readonly forged?: boolean;
  /** The JWT header's kid: the JWKS key's by default. */
  readonly kid?: string;
  /** Claims to add or replace. */
  readonly claims?: Record<string, unknown>;
}

export interface FakeBotConnectorOptions {
  readonly appId?: string;
  readonly appPassword?: string;
  readonly tenantId?: string;
  /** The JWKS key's endorsements: the channels it may sign for. */
  readonly endorsements?: readonly string[];
  /** False for a bot in development mode: connector calls without a bearer token are answered. */
  readonly requireBotToken?: boolean;
  /** Members by conversation id (a 1:1 chat, a group chat, or a team's id for its roster). */
  readonly members?: Readonly<Record<string, readonly FakeTeamsMember[]>>;
}

export interface FakeBotConnector {
  /** http://127.0.0.1:{port} */
  readonly url: string;
  /** The service URL activities carry (a region's prefix, ending in /, as Teams' do). */
  readonly serviceUrl: string;
  readonly appId: string;
  readonly appPassword: string;
  readonly tenantId: string;
  /** What points botbuilder at this fake: pass to `teamsAuthentication(settings, fake.overrides)`. */
  readonly overrides: TeamsAuthOverrides;
  /** `Bearer <token>` for this activity, signed as the channel signs it. */
  authorizationFor(activity: Partial<Activity>, options?: ChannelTokenOptions): string;
  /** A message in a personal chat from `from`, as Teams posts it (channelId msteams, tenant, aadObjectId). */
  personalMessage(text: string, from?: FakeTeamsMember, conversationId?: string): Partial<Activity>;
  readonly calls: readonly ConnectorCall[];
  readonly sent: readonly SentActivity[];
  readonly created: readonly CreatedConversation[];
  readonly tokenRequests: readonly TokenRequest[];
  /** Whether this is a bearer token the fake's token endpoint issued. */
  issued(authorization: string | null): boolean;
  setMembers(conversationId: string, members: readonly FakeTeamsMember[]): void;
  /** Every request about this conversation answers `failure`, `times` times (always by default). */
  failConversation(conversationId: string, failure: ConnectorFailure, times?: number): void;
  /** Creating a conversation answers `failure`, `times` times. */
  failCreateConversation(failure: ConnectorFailure, times?: number): void;
  close(): Promise<void>;
}

const channelIssuer = 'https://api.botframework.com';
const defaultMember: FakeTeamsMember = {
  id: '29:1a2b3c-dana',
  name: 'Dana Owner',
  aadObjectId: '6b1f3c1e-0000-4000-8000-00000000da7a',
  email: 'dana@example.com',
  userPrincipalName: 'dana@example.com',
  userRole: 'user',
};

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signJwt(key: KeyObject, kid: string, payload: Record<string, unknown>): string {
  const unsigned = `${base64url(JSON.stringify({ alg: 'RS256', kid, typ: 'JWT' }))}.${base64url(JSON.stringify(payload))}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

function errorBody(failure: ConnectorFailure): { code: string; message: string } {
  switch (failure.status) {
    case 403: {
      const code = failure.code ?? 'BotNotInConversationRoster';
      const messages: Record<typeof code, string> = {
        BotNotInConversationRoster: 'The bot is not part of the conversation roster.',
        ConversationBlockedByUser: 'User blocked the conversation with the bot.',
        BotDisabledByAdmin: 'The tenant admin disabled this bot',
        ForbiddenOperationException: "Bot isn't installed in user's personal scope",
      };
      return { code, message: failure.message ?? messages[code] };
    }
    case 429:
      return { code: 'Throttled', message: 'Too many requests.' };
    default:
      return { code: failure.code ?? 'ServiceError', message: failure.message ?? 'Service error.' };
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeBotConnector(options: FakeBotConnectorOptions = {}): Promise<FakeBotConnector> {
  const appId = options.appId ?? '2f0c5a4e-8d7b-4c3a-9e1f-0a1b2c3d4e5f';
  const appPassword = options.appPassword ?? 'fake-client-secret';
  const tenantId = options.tenantId ?? '72f988bf-0000-4000-8000-0000000000aa';
  const requireBotToken = options.requireBotToken ?? true;
  const channelKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const entraKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `fake-${randomUUID()}`;
  const endorsements = options.endorsements ?? ['msteams'];

  const calls: ConnectorCall[] = [];
  const sent: SentActivity[] = [];
  const created: CreatedConversation[] = [];
  const tokenRequests: TokenRequest[] = [];
  const issuedTokens = new Set<string>();
  const members = new Map<string, readonly FakeTeamsMember[]>(Object.entries(options.members ?? {}));
  const failures = new Map<string, { failure: ConnectorFailure; left: number }>();
  let nextId = 1;

  const server = http.createServer((req, res) => {
    void answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const serviceUrl = `${url}/amer/`;
  // Unique per fake: botbuilder caches the bot's tokens process-wide by app id and scope.
  const oauthScope = url;

  const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));

  async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', url);
    const path = requestUrl.pathname;
    const raw = await readBody(req);

    // The channel's keys, as login.botframework.com publishes them.
    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      json(res, 200, { issuer: channelIssuer, authorization_endpoint: 'https://invalid.botframework.com', jwks_uri: `${url}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
      return;
    }
    if (req.method === 'GET' && path === '/v1/.well-known/keys') {
      json(res, 200, { keys: [{ ...channelKey.publicKey.export({ format: 'jwk' }), kid, use: 'sig', endorsements }] });
      return;
    }

    // Entra ID, for the bot's client-credentials grant (MSAL reads the tenant's metadata, then posts the form).
    const entra = /^\/([^/]+)\/(v2\.0\/\.well-known\/openid-configuration|oauth2\/v2\.0\/token)$/.exec(path);
    if (entra) {
      const tenant = entra[1] ?? '';
      const authority = `${fakeLoginOrigin}/${tenant}`;
      if (req.method === 'GET') {
        json(res, 200, {
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
          issuer: `${fakeLoginOrigin}/${tenantId}/v2.0`,
          jwks_uri: `${authority}/discovery/v2.0/keys`,
        });
        return;
      }
      const form = new URLSearchParams(raw);
      const granted = form.get('client_id') === appId && form.get('client_secret') === appPassword;
      tokenRequests.push({ tenant, clientId: form.get('client_id'), scope: form.get('scope'), grantType: form.get('grant_type'), granted });
      if (!granted) {
        json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.', error_codes: [7000215] });
        return;
      }
      const now = Math.floor(Date.now() / 1000);
      const scope = (form.get('scope') ?? '').replace(/\/\.default$/, '');
      const token = signJwt(entraKey.privateKey, 'entra', { aud: scope, iss: `https://sts.windows.net/${tenantId}/`, appid: appId, tid: tenantId, iat: now, nbf: now, exp: now + 3600, jti: randomUUID() });
      issuedTokens.add(token);
      json(res, 200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: token });
      return;
    }

    // The Connector REST API, under the service URL's region prefix.
    const connector = /^(?:\/[^/]+)*?(\/v3\/conversations(?:\/([^/]+)(\/.*)?)?)$/.exec(path);
    if (!connector) {
      json(res, 404, { error: { code: 'NotFound', message: `no route for ${req.method} ${path}` } });
      return;
    }
    const apiPath = connector[1] ?? '';
    const conversationId = connector[2] === undefined ? null : decodeURIComponent(connector[2]);
    const rest = connector[3] ?? '';
    const authorization = req.headers.authorization ?? null;
    const body: unknown = raw === '' ? null : JSON.parse(raw);
    const record = (status: number) => calls.push({ method: req.method ?? '', path: apiPath, conversationId, authorization, body, status });

    if (requireBotToken && !(authorization !== null && issuedTokens.has(authorization.replace(/^Bearer /, '')))) {
      record(401);
      json(res, 401, { message: 'Authorization has been denied for this request.' });
      return;
    }
    const failureKey = conversationId ?? (req.method === 'POST' && rest === '' ? ':create' : null);
    const planned = failureKey === null ? undefined : failures.get(failureKey);
    if (planned && planned.left > 0) {
      planned.left -= 1;
      const { failure } = planned;
      record(failure.status);
      json(res, failure.status, { error: errorBody(failure) }, failure.status === 429 ? { 'retry-after': String(failure.retryAfterSeconds ?? 1) } : {});
      return;
    }

    if (conversationId === null && req.method === 'POST') {
      const id = `a:fake-${nextId++}`;
      created.push({ id, parameters: body as Record<string, unknown>, authorization });
      record(201);
      json(res, 201, { id, serviceUrl });
      return;
    }
    if (conversationId !== null) {
      const activityMatch = /^\/activities(?:\/([^/]+))?$/.exec(rest);
      if (activityMatch && (req.method === 'POST' || req.method === 'PUT')) {
        const inPath = activityMatch[1] === undefined ? null : decodeURIComponent(activityMatch[1]);
        const kind = req.method === 'PUT' ? 'update' : inPath === null ? 'send' : 'reply';
        const activityId = kind === 'update' && inPath !== null ? inPath : `${nextId++}`;
        sent.push({ kind, conversationId, activityId, replyToId: kind === 'reply' ? inPath : null, activity: body as Partial<Activity>, authorization });
        record(kind === 'update' ? 200 : 201);
        json(res, kind === 'update' ? 200 : 201, { id: activityId });
        return;
      }
      if (activityMatch && req.method === 'DELETE') {
        record(200);
        res.writeHead(200).end();
        return;
      }
      const roster = members.get(conversationId) ?? [];
      const memberMatch = /^\/members\/([^/]+)$/.exec(rest);
      if (req.method === 'GET' && memberMatch) {
        const member = roster.find((m) => m.id === decodeURIComponent(memberMatch[1] ?? '') || m.aadObjectId === decodeURIComponent(memberMatch[1] ?? ''));
        record(member ? 200 : 404);
        if (member) json(res, 200, { tenantId, userRole: 'user', ...member });
        else json(res, 404, { error: { code: 'NotFound', message: 'The member was not found in the conversation.' } });
        return;
      }
      if (req.method === 'GET' && rest === '/members') {
        record(200);
        json(res, 200, roster.map((m) => ({ tenantId, userRole: 'user', ...m })));
        return;
      }
      if (req.method === 'GET' && rest === '/pagedmembers') {
        const pageSize = Number(requestUrl.searchParams.get('pageSize') ?? '200');
        const start = Number(requestUrl.searchParams.get('continuationToken') ?? '0');
        const page = roster.slice(start, start + pageSize).map((m) => ({ tenantId, userRole: 'user', ...m }));
        const next = start + pageSize < roster.length ? String(start + pageSize) : undefined;
        record(200);
        json(res, 200, next === undefined ? { members: page } : { members: page, continuationToken: next });
        return;
      }
    }
    record(404);
    json(res, 404, { error: { code: 'NotFound', message: `no route for ${req.method} ${path}` } });
  }

  return {
    url,
    serviceUrl,
    appId,
    appPassword,
    tenantId,
    overrides: {
      configuration: {
        ToBotFromChannelOpenIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
        // Skill and emulator tokens are checked against this one; pointed here so nothing leaves the machine.
        ToBotFromEmulatorOpenIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
        ToBotFromChannelTokenIssuer: channelIssuer,
        ToChannelFromBotLoginUrl: `${fakeLoginOrigin}/${tenantId}`,
        ToChannelFromBotOAuthScope: oauthScope,
        OAuthUrl: url,
      },
      credentialsFactory: msalCredentialsFactory({ appId, appPassword, loginTo: url }),
    },
    authorizationFor(activity, token = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        serviceurl: token.serviceUrl ?? activity.serviceUrl,
        nbf: now - 60,
        exp: token.expiresAt ?? now + 3600,
        iss: token.issuer ?? channelIssuer,
        aud: token.audience ?? appId,
        ...token.claims,
      };
      return `Bearer ${signJwt(token.forged ? strangerKey.privateKey : channelKey.privateKey, token.kid ?? kid, payload)}`;
    },
    personalMessage(text, from = defaultMember, conversationId = `a:1-${from.id}`) {
      return {
        type: 'message',
        id: `1${nextId++}`,
        timestamp: new Date(),
        channelId: 'msteams',
        serviceUrl,
        from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
        conversation: { conversationType: 'personal', tenantId, id: conversationId, isGroup: false, name: '' },
        recipient: { id: `28:${appId}`, name: 'Steward' },
        text,
        textFormat: 'plain',
        locale: 'en-US',
        channelData: { tenant: { id: tenantId } },
      };
    },
    get calls() {
      return calls;
    },
    get sent() {
      return sent;
    },
    get created() {
      return created;
    },
    get tokenRequests() {
      return tokenRequests;
    },
    issued: (authorization) => authorization !== null && issuedTokens.has(authorization.replace(/^Bearer /, '')),
    setMembers: (conversationId, list) => void members.set(conversationId, list),
    failConversation: (conversationId, failure, times = Number.POSITIVE_INFINITY) => void failures.set(conversationId, { failure, left: times }),
    failCreateConversation: (failure, times = Number.POSITIVE_INFINITY) => void failures.set(':create', { failure, left: times }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
