import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/*
 * A local stand-in for Slack's Web API (`SLACK_API_URL`) and for the response_url webhooks, over real HTTP:
 * it answers the methods Steward calls the way Slack documents them, records every call, and can answer a
 * chosen call with 429 and Retry-After, or with a platform error, to test what the adapter does then.
 * It is also Socket Mode's far end: `apps.connections.open` (with the app-level token) answers the URL of a
 * local WebSocket server that greets each connection with `hello` and relays the envelopes a test sends.
 */

export interface FakeSlackUser {
  readonly id: string;
  readonly email: string;
  readonly name?: string;
  readonly deleted?: boolean;
  /** A multi-channel guest (`is_restricted` in users.info). */
  readonly guest?: boolean;
  /** A single-channel guest (`is_ultra_restricted` in users.info). */
  readonly singleChannelGuest?: boolean;
}

/**
 * A file as the fake holds it: reserved by files.getUploadURLExternal, its bytes once POSTed to the upload URL, and
 * where files.completeUploadExternal shared it (with the message it posted there).
 */
export interface FakeSlackFile {
  readonly id: string;
  readonly filename: string;
  /** The length files.getUploadURLExternal was told. */
  readonly length: number;
  /** `alt_txt`, as Slack documents it (null when not sent). */
  readonly altText: string | null;
  /** The bytes uploaded; null until they are. */
  bytes: Buffer | null;
  /** Set by files.completeUploadExternal. */
  title: string | null;
  channel: string | null;
  ts: string | null;
}

/** One request the fake received: a Web API method (`chat.postMessage`), `response_url`, or `upload_url` (a file's bytes). */
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
  /** The app-level token (xapp-…) `apps.connections.open` accepts. */
  readonly appToken?: string;
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

/** The kinds of Socket Mode envelope Slack sends (https://docs.slack.dev/apis/events-api/using-socket-mode). */
export type SocketEnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

/** An acknowledgement the app sent back over the socket: the envelope's id, and a response payload if any. */
export interface SocketAck {
  readonly envelope_id: string;
  readonly payload?: Record<string, unknown>;
}

/** The fake's Socket Mode server, as a test drives it. */
export interface FakeSocketMode {
  /** WebSocket connections open now. */
  readonly connections: number;
  /** Everything apps sent over their sockets, parsed, in order. */
  readonly received: readonly Record<string, unknown>[];
  /** The close code of each connection that ended: 1000 when the app closed it cleanly, 1006 when it just dropped. */
  readonly closeCodes: readonly number[];
  /** Resolves once an app has connected and been sent `hello`, or fails after `timeoutMs`. */
  connected(timeoutMs?: number): Promise<void>;
  /** Sends an envelope with this payload to the connected app; resolves with its ack, or fails after `timeoutMs`. */
  deliver(type: SocketEnvelopeType, payload: Record<string, unknown>, options?: { readonly timeoutMs?: number; readonly envelopeId?: string }): Promise<SocketAck>;
  /** Resolves once no connection is open (the app closed its socket), or fails after `timeoutMs`. */
  disconnected(timeoutMs?: number): Promise<void>;
}

export interface FakeSlack {
  /** The Web API base URL, for SLACK_API_URL. */
  readonly apiUrl: string;
  /** Socket Mode: the WebSocket server `apps.connections.open` points at. */
  readonly socketMode: FakeSocketMode;
  /** A response_url for one interaction. */
  responseUrl(id: string): string;
  readonly calls: SlackCall[];
  /** Files reserved, uploaded and shared, by id, in the order they were reserved. */
  readonly files: ReadonlyMap<string, FakeSlackFile>;
  /** The messages in a channel (by id), oldest first: posted with chat.postMessage or by sharing a file. */
  messagesIn(channel: string): Record<string, unknown>[];
  /** The calls to one method, in order (`response_url` for the webhooks, `upload_url` for files' bytes). */
  callsTo(method: string): SlackCall[];
  /** Resolves with the first call (past or future) that matches, or fails after `timeoutMs`. */
  waitFor(predicate: (call: SlackCall) => boolean, timeoutMs?: number): Promise<SlackCall>;
  /** Changes the throttling from now on. */
  setRateLimit(rateLimit: FakeSlackOptions['rateLimit']): void;
  /** Adds a user, or changes one (by id) as an admin would: users.info and users.lookupByEmail answer it from now on. */
  setUser(user: FakeSlackUser): void;
  /** A user as users.info answers it, and as `user_change` and `team_join` carry it. */
  userJson(id: string): Record<string, unknown>;
  close(): Promise<void>;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A file's bytes as Slack's upload URL takes them: the raw body, or the first file of a multipart form. */
async function uploadedBytes(raw: Buffer, contentType: string | undefined): Promise<Buffer> {
  if (!contentType?.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  for (const [, value] of form) if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  throw new Error('fake Slack: a multipart upload without a file');
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

/** Resolves when `done()` holds, checked now and on each of `emitter`'s `event`s; fails after `timeoutMs`. */
function when(emitter: EventEmitter, event: string, done: () => boolean, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve();
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`fake Slack: ${what} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = () => {
      if (!done()) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve();
    };
    emitter.on(event, listener);
  });
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const token = options.token ?? 'xoxb-test-token';
  const appToken = options.appToken ?? 'xapp-1-A0STEWARD-1-test';
  const teamId = options.teamId ?? 'T0STEWARD';
  const botUserId = options.botUserId ?? 'U0STEWARD';
  const usersById = new Map((options.users ?? []).map((u) => [u.id, u]));
  const usersByEmail = new Map((options.users ?? []).map((u) => [u.email.toLowerCase(), u]));
  const channelIds = new Map(Object.entries(options.channels ?? {}));
  const knownChannels = new Set(channelIds.values());
  const messages = new Map<string, Record<string, unknown>>();
  const files = new Map<string, FakeSlackFile>();
  const counts = new Map<string, number>();
  const calls: SlackCall[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let rateLimit = options.rateLimit;
  // Timestamps are the real time, as Slack's are: a `conversations.history` asked for messages since a real time finds them.
  let clock = Date.now();
  let base = '';
  const sockets = new Set<WebSocket>();
  const received: Record<string, unknown>[] = [];
  const closeCodes: number[] = [];
  let greeted = 0;

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
    is_restricted: (u.guest ?? false) || (u.singleChannelGuest ?? false),
    is_ultra_restricted: u.singleChannelGuest ?? false,
    profile: { email: u.email, real_name: u.name ?? u.email, display_name: u.name ?? '' },
  });

  /** A new message's ts: the real time, one millisecond on from the last post at least (a ts is unique in a channel). */
  const nextTs = () => {
    // Counting on from the fake's start alone fell behind the real time under load, so a search since a real time missed posts.
    clock = Math.max(clock + 1, Date.now());
    return `${Math.floor(clock / 1000)}.${String(clock % 1000).padStart(3, '0')}100`;
  };

  function answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'users.conversations':
        // The channels Steward is in: every channel of the workspace, in this fake.
        return { ok: true, channels: [...channelIds].map(([name, id]) => ({ id, name, is_channel: true, is_private: false, is_member: true })), response_metadata: { next_cursor: '' } };
      case 'files.getUploadURLExternal': {
        const length = Number(args.length);
        if (typeof args.filename !== 'string' || args.filename === '' || !Number.isInteger(length) || length <= 0) return { ok: false, error: 'missing_argument' };
        if (typeof args.alt_txt === 'string' && args.alt_txt.length > 1000) return { ok: false, error: 'alt_txt_too_large' };
        const id = `F${String(files.size + 1).padStart(9, '0')}`;
        files.set(id, { id, filename: args.filename, length, altText: typeof args.alt_txt === 'string' ? args.alt_txt : null, bytes: null, title: null, channel: null, ts: null });
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const listed = (Array.isArray(args.files) ? args.files : []) as Array<{ id?: unknown; title?: unknown }>;
        if (listed.length === 0) return { ok: false, error: 'invalid_arguments' };
        // Slack checks the channel against its id pattern: a name is refused here, as it is by Slack.
        if (args.channel_id !== undefined && !/^[CGDZ][A-Z0-9]{8,}$/.test(String(args.channel_id))) return { ok: false, error: 'invalid_arguments' };
        const channel = args.channel_id === undefined ? null : channelOf(args.channel_id);
        if (args.channel_id !== undefined && channel === null) return { ok: false, error: 'channel_not_found' };
        const shared = listed.map((f) => files.get(String(f.id)));
        // A file completed once cannot be completed again; one whose bytes never arrived is not there to share.
        if (shared.some((f) => f === undefined || f.bytes === null || f.bytes.length !== f.length || f.channel !== null)) return { ok: false, error: 'file_not_found' };
        const done = shared as FakeSlackFile[];
        const ts = channel === null ? null : nextTs();
        for (const [i, f] of done.entries()) {
          f.title = typeof listed[i]?.title === 'string' ? (listed[i]?.title as string) : f.filename;
          f.channel = channel;
          f.ts = ts;
        }
        const fileJson = (f: FakeSlackFile) => ({ id: f.id, name: f.filename, title: f.title, mimetype: 'image/png', filetype: 'png', size: f.length, ...(f.altText === null ? {} : { alt_txt: f.altText }) });
        if (channel !== null && ts !== null) {
          const blocks = typeof args.blocks === 'string' ? (JSON.parse(args.blocks) as unknown) : args.blocks;
          messages.set(`${channel}/${ts}`, { type: 'message', subtype: 'file_share', text: args.initial_comment ?? '', blocks: args.initial_comment === undefined ? blocks : undefined, files: done.map(fileJson), ts, bot_id: 'B0STEWARD' });
        }
        return { ok: true, files: done.map((f) => ({ ...fileJson(f), shares: channel === null || ts === null ? {} : { public: { [channel]: [{ ts, channel_name: channel, reply_count: 0 }] } } })) };
      }
      case 'apps.connections.open':
        return { ok: true, url: `${base.replace(/^http/, 'ws')}/link/?ticket=${randomUUID()}&app_id=A0STEWARD` };
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
        const ts = nextTs();
        const metadata = typeof args.metadata === 'string' ? (JSON.parse(args.metadata) as unknown) : args.metadata;
        const message = { type: 'message', text: args.text, blocks: args.blocks, ts, bot_id: 'B0STEWARD', ...(metadata === undefined ? {} : { metadata }) };
        messages.set(`${channel}/${ts}`, message);
        return { ok: true, channel, ts, message };
      }
      case 'chat.update': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        if (!messages.has(key)) return { ok: false, error: 'message_not_found' };
        messages.set(key, { ...messages.get(key), text: args.text, blocks: args.blocks });
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case 'conversations.history': {
        // Newest first, as Slack answers; metadata only when asked for. `oldest` is compared as Slack does, by ts.
        const channel = String(args.channel);
        const oldest = Number(args.oldest ?? 0);
        const found = [...messages.entries()]
          .filter(([key, m]) => key.startsWith(`${channel}/`) && Number(m.ts) >= oldest)
          .map(([, m]) => (String(args.include_all_metadata) === 'true' ? m : { ...m, metadata: undefined }))
          .reverse();
        return { ok: true, messages: found, has_more: false, response_metadata: { next_cursor: '' } };
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
      const requestBody = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://fake-slack');
      const uploadTo = /^\/upload\/(F\w+)$/.exec(url.pathname);
      const raw = uploadTo ? '' : requestBody.toString('utf8');
      const args = uploadTo ? { file_id: uploadTo[1], bytes: requestBody.length } : parseArgs(raw, req.headers['content-type']);
      const respondTo = /^\/respond\/(.+)$/.exec(url.pathname);
      const method = respondTo ? 'response_url' : uploadTo ? 'upload_url' : url.pathname.replace(/^\/api\//, '');
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
      if (uploadTo) {
        // The upload URL is its own authorisation, as Slack's is: no token is asked for (nor should one be sent).
        const file = files.get(uploadTo[1] ?? '');
        if (file === undefined) {
          record(404, {});
          res.writeHead(404, { 'content-type': 'text/plain' }).end('no such upload');
          return;
        }
        file.bytes = await uploadedBytes(requestBody, req.headers['content-type']);
        record(200, { ok: true });
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${file.bytes.length}`);
        return;
      }
      // Socket Mode's method takes the app-level token only; every other method the bot token.
      const expected = method === 'apps.connections.open' ? appToken : token;
      const wrongKind = method === 'apps.connections.open' && bearer === token;
      const body = wrongKind
        ? { ok: false, error: 'not_allowed_token_type' }
        : bearer !== expected
          ? { ok: false, error: 'invalid_auth' }
          : failure?.error !== undefined ? { ok: false, error: failure.error } : answer(method, args);
      record(200, body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })().catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });
  // Socket Mode: a WebSocket on /link, greeted with `hello` as Slack greets it; what the app sends back is recorded.
  const links = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (!(req.url ?? '').startsWith('/link/')) return socket.destroy();
    links.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('message', (data: Buffer) => {
        received.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
        events.emit('socket');
      });
      ws.on('close', (code: number) => {
        closeCodes.push(code);
        sockets.delete(ws);
        events.emit('socket');
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: sockets.size,
          debug_info: { host: 'applink-fake', build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: 'A0STEWARD' },
        }),
      );
      greeted += 1;
      events.emit('socket');
    });
  });
  const socketMode: FakeSocketMode = {
    get connections() {
      return sockets.size;
    },
    received,
    closeCodes,
    connected: (timeoutMs = 5_000) => when(events, 'socket', () => greeted > 0 && sockets.size > 0, timeoutMs, 'no Socket Mode connection'),
    disconnected: (timeoutMs = 5_000) => when(events, 'socket', () => sockets.size === 0, timeoutMs, `${sockets.size} Socket Mode connection(s) still open`),
    deliver: async (type, payload, deliverOptions = {}) => {
      const [ws] = sockets;
      if (ws === undefined) throw new Error('fake Slack: no Socket Mode connection to deliver to');
      const envelopeId = deliverOptions.envelopeId ?? randomUUID();
      const envelope = { envelope_id: envelopeId, type, accepts_response_payload: type !== 'events_api', payload, ...(type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}) };
      const acked = () => received.find((m) => m.envelope_id === envelopeId) as SocketAck | undefined;
      ws.send(JSON.stringify(envelope));
      await when(events, 'socket', () => acked() !== undefined, deliverOptions.timeoutMs ?? 3_000, `no ack of ${type} envelope ${envelopeId}`);
      return acked() as SocketAck;
    },
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    socketMode,
    responseUrl: (id) => `${base}/respond/${id}`,
    calls,
    files,
    messagesIn: (channel) => [...messages.entries()].filter(([key]) => key.startsWith(`${channel}/`)).map(([, m]) => m),
    callsTo: (method) => calls.filter((c) => c.method === method),
    setRateLimit: (next) => {
      rateLimit = next;
    },
    setUser: (user) => {
      const before = usersById.get(user.id);
      if (before) usersByEmail.delete(before.email.toLowerCase());
      usersById.set(user.id, user);
      usersByEmail.set(user.email.toLowerCase(), user);
    },
    userJson: (id) => {
      const user = usersById.get(id);
      if (!user) throw new Error(`fake Slack: no user ${id}`);
      return userJson(user);
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
        // An upgraded socket is no longer the HTTP server's to close: it would hold server.close() open.
        for (const ws of sockets) ws.terminate();
        links.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
