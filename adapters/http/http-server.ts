import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A path a chat adapter serves on the same port (`/slack/events`, `/api/messages`), any method. */
export interface HttpRoute {
  readonly path: string;
  readonly listener: (req: http.IncomingMessage, res: http.ServerResponse) => void;
}

/** What a part of the process says of itself: ok, or degraded with the reason an operator acts on. */
export type Health = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface HttpServer {
  readonly port: number;
  close(): Promise<void>;
}

const notFound = (res: http.ServerResponse) => res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not found' }));

/** `GET /healthz`'s answer: 200 when healthy; 503 otherwise, with the reason when there is one. */
function healthAnswer(health: boolean | Health): { readonly status: number; readonly body: Record<string, string> } {
  if (health === true || (typeof health === 'object' && health.ok)) return { status: 200, body: { status: 'ok' } };
  if (health === false) return { status: 503, body: { status: 'unavailable' } };
  return { status: 503, body: { status: 'degraded', reason: health.reason } };
}

/**
 * The one HTTP listener `serve` keeps on PORT: every surface's routes (`POST /slack/events`, later
 * `POST /api/messages`) and `GET /healthz` for load balancers and service managers, answering 503 with the reason
 * when `health` reports one (Slack revoked the bot token).
 */
export async function startHttpServer(port: number, health: () => boolean | Health = () => true, routes: readonly HttpRoute[] = []): Promise<HttpServer> {
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = routes.find((r) => r.path === pathname);
    if (route) {
      try {
        route.listener(req, res);
      } catch {
        // A route's listener throws for what it does not serve (Bolt's, for anything but a POST).
        if (!res.headersSent) notFound(res);
      }
      return;
    }
    if (req.method === 'GET' && (req.url === '/healthz' || req.url?.startsWith('/healthz?'))) {
      const answer = healthAnswer(health());
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }
    notFound(res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
