import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A local stand-in for Slack's Web API (`SLACK_API_URL`) and for the response_url webhooks, over real HTTP:
 * it answers the methods Steward calls the way Slack documents them, records every call, and can answer a
 * chosen call with 429 and Retry-After, or with a platform error, to test what the adapter does then.
 */

export interface FakeSlackUser {
  readonly id: string;
  readonly email: string;
  readonly name?: string;
  readonly deleted?: boolean;
}

/** One request the fake received: a Web API method (`chat.postMessage`) or `response_url`. */
export interface SlackCall {
  readonly method: string;
  readonly args: Record<string, unknown>;
  /** The bearer token it carried (Web API calls). */
  readonly token: string | null;
  /** The HTTP status answered: 200, or 429 when throttled. */
  readonly status: number;
  /** The body answered (`ok`, `error`, `ts` …). */
  readonly answer: Record<string, unknown>;
  readonly path: string;
}

export interface FakeSlackOptions {
  readonly token?: string;
  readonly teamId?: string;
  readonly teamName?: string;
  readonly botUserId?: string;
  readonly users?: readonly FakeSlackUser[];
  /** Public channels by name (without #), with their ids. */
  readonly channels?: Readonly<Record<string, string>>;
  /** Retry-After seconds for a call to throttle: given the method and how many calls to it came before (1 is the first). */
  readonly rateLimit?: (method: string, n: number) => number | undefined;
  /** A Slack error (`{ ok: false, error }`) or an HTTP status to answer instead of the method's result. */
  readonly fail?: (method: string, args: Record<string, unknown>) => { readonly error?: string; readonly status?: number } | undefined;
  /** Milliseconds to wait before answering a method (a slow Slack). */
  readonly delayMs?: (method: string) => number;
}

export interface FakeSlack {
  /** The Web API base URL, for SLACK_API_URL. */
  readonly apiUrl: string;
  /** A response_url for one interaction. */
  responseUrl(id: string): string;
  readonly calls: SlackCall[];
  /** The calls to one method, in order (`response_url` for the webhooks). */
  callsTo(method: string): SlackCall[];
  /** Resolves with the first call (past or future) that matches, or fails after `timeoutMs`. */
  waitFor(predicate: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** Changes the throttling from now on. */
  setRateLimit(rateLimit: FakeSlackOptions['rateLimit']): void;
  close(): Promise<void>;
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The WebClient sends form fields with objects as JSON; respond() sends JSON. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] = /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value;
  }
  return args;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-test-token';
  const teamId = options.teamId ?? 'T0STEWARD';
  const botUserId = options.botUserId ?? 'U0STEWARD';
  const usersById = new Map((options.users ?? []).map((u) => [u.id, u]));
  const usersByEmail = new Map((options.users ?? []).map((u) => [u.email.toLowerCase(), u]));
  const channelIds = new Map(Object.entries(options.channels ?? {}));
  const knownChannels = new Set(channelIds.values());
  const messages = new Map<string, Record<string, unknown>>();
  const counts = new Map<string, number>();
  const calls: SlackCall[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let rateLimit = options.rateLimit;
  let clock = 1_700_000_000_000;

  const channelOf = (name: unknown): string | null => {
    if (typeof name !== 'string') return null;
    if (knownChannels.has(name) || /^D/.test(name)) return name;
    return channelIds.get(name.replace(/^#/, '')) ?? null;
  };
  const userJson = (u: FakeSlackUser) => ({
    id: u.id,
    team_id: teamId,
    name: u.name ?? u.email.split('@')[0],
    deleted: u.deleted ?? false,
    is_bot: false,
    profile: { email: u.email, real_name: u.name ?? u.email, display_name: u.name ?? '' },
  });

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://steward-test.slack.com/', team: options.teamName ?? 'Steward Test', user: 'steward', team_id: teamId, user_id: botUserId, bot_id: 'B0STEWARD' };
      case 'users.lookupByEmail': {
        const user = usersByEmail.get(String(args.email).toLowerCase());
        return user ? { ok: true, user: userJson(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'users.info': {
        const user = usersById.get(String(args.user));
        return user ? { ok: true, user: userJson(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'conversations.open': {
        const user = usersById.get(String(args.users));
        if (!user) return { ok: false, error: 'user_not_found' };
        if (user.deleted) return { ok: false, error: 'user_disabled' };
        return { ok: true, channel: { id: `D${user.id}` } };
      }
      case 'chat.postMessage': {
        const channel = channelOf(args.channel);
        if (channel === null) return { ok: false, error: 'channel_not_found' };
        clock += 1;
        const ts = `${Math.floor(clock / 1000)}.${String(clock % 1000).padStart(3, '0')}100`;
        const message = { type: 'message', text: args.text, blocks: args.blocks, ts, bot_id: 'B0STEWARD' };
        messages.set(`${channel}/${ts}`, message);
        return { ok: true, channel, ts, message };
      }
      case 'chat.update': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        if (!messages.has(key)) return { ok: false, error: 'message_not_found' };
        messages.set(key, { ...messages.get(key), text: args.text, blocks: args.blocks });
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'chat.postEphemeral':
        return channelOf(args.channel) === null ? { ok: false, error: 'channel_not_found' } : { ok: true, message_ts: `${Math.floor(clock / 1000)}.000200` };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: `V${calls.length}`, ...(args.view as object) } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake-slack');
      const args = parseArgs(raw, req.headers['content-type']);
      const respondTo = /^\/respond\/(.+)$/.exec(url.pathname);
      const method = respondTo ? 'response_url' : url.pathname.replace(/^\/api\//, '');
      const n = (counts.get(method) ?? 0) + 1;
      counts.set(method, n);
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? (typeof args.token === 'string' ? args.token : null);
      const record = (status: number, body: Record<string, unknown>) => {
        const call: SlackCall = { method, args, token: bearer, status, answer: body, path: url.pathname };
        calls.push(call);
        events.emit('call', call);
      };
      const delay = options.delayMs?.(method) ?? 0;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));

      if (respondTo) {
        record(200, { ok: true });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      const retryAfter = rateLimit?.(method, n);
      if (retryAfter !== undefined) {
        const body = { ok: false, error: 'ratelimited' };
        record(429, body);
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter) }).end(JSON.stringify(body));
        return;
      }
      const failure = options.fail?.(method, args);
      if (failure?.status !== undefined) {
        record(failure.status, {});
        res.writeHead(failure.status, { 'content-type': 'text/plain' }).end('upstream trouble');
        return;
      }
      const body = bearer !== token ? { ok: false, error: 'invalid_auth' } : failure?.error !== undefined ? { ok: false, error: failure.error } : answer(method, args);
      record(200, body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/respond/${id}`,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    setRateLimit: (next) => {
      rateLimit = next;
    },
    waitFor: (predicate, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const found = calls.find(predicate);
        if (found) return resolve(found);
        const timer = setTimeout(() => {
          events.off('call', listener);
          reject(new Error(`fake Slack: no matching call within ${timeoutMs} ms (calls: ${calls.map((c) => c.method).join(', ')})`));
        }, timeoutMs);
        const listener = (call: SlackCall) => {
          if (!predicate(call)) return;
          clearTimeout(timer);
          events.off('call', listener);
          resolve(call);
        };
        events.on('call', listener);
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
