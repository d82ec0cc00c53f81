import type http from 'node:http';
import type { CloudAdapter, Request, Response, TurnContext } from 'botbuilder';
import type { HttpRoute } from '../http/http-server.js';

export interface BotRouteOptions {
  /** `/api/messages` by default, the messaging endpoint registered with the Azure bot. */
  readonly path?: string;
  /** Bodies above this are refused with 413 before parsing; 1 MiB by default (Teams caps a message near 100 KB). */
  readonly maxBodyBytes?: number;
  /** Told of a failure the adapter threw rather than answered (answered 500). */
  readonly onError?: (error: unknown) => void;
}

const answer = (res: http.ServerResponse, status: number, headers: Record<string, string> = {}) => {
  if (!res.headersSent) res.writeHead(status, headers).end();
};

/** The body, or null once more than `limit` bytes came (then 413 is answered and the rest is drained). */
async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const isActivityLike = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { type?: unknown }).type === 'string';

/**
 * botbuilder's Response over node's ServerResponse. CloudAdapter answers a refusal or a failure with its error's
 * message as the body ("Unauthorized. Invalid AppId passed on token: …"): an error status is sent without it, so a
 * caller learns the status alone. An invoke's answer (an object) is sent as JSON.
 */
function responseOver(res: http.ServerResponse): Response {
  let status = 200;
  let body: unknown;
  return {
    socket: res.socket,
    status: (code: number) => void (status = code),
    header: (name: string, value: unknown) => void res.setHeader(name, String(value)),
    send: (value: unknown) => void (body = value),
    end: () => {
      if (body === undefined || (status >= 400 && typeof body === 'string')) answer(res, status);
      else res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    },
  };
}

/**
 * `POST /api/messages` for the HTTP server: reads the body (413 past the limit, 400 unless a JSON object with a string `type`), then hands
 * it to CloudAdapter.process, which verifies the token (401), runs `logic` and answers (200, or an invoke's status).
 * CloudAdapter cannot take node's request and response as they are: it wants the body already parsed on `req.body`
 * and a response with status/header/send/end, as Express and Restify give it.
 */
export function botRoute(adapter: CloudAdapter, logic: (context: TurnContext) => Promise<void>, options: BotRouteOptions = {}): HttpRoute {
  const limit = options.maxBodyBytes ?? 1024 * 1024;
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'POST') return answer(res, 405, { allow: 'POST' });
    const raw = await readBody(req, limit);
    if (raw === null) {
      req.resume();
      return answer(res, 413, { connection: 'close' });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return answer(res, 400);
    }
    // CloudAdapter throws (rather than answers) for a body without a string `type`: refused here as what it is.
    if (!isActivityLike(body)) return answer(res, 400);
    const request: Request = { method: req.method, headers: req.headers, body };
    await adapter.process(request, responseOver(res), logic);
  };
  return {
    path: options.path ?? '/api/messages',
    listener: (req, res) => {
      handle(req, res).catch((error: unknown) => {
        options.onError?.(error);
        answer(res, 500);
      });
    },
  };
}
