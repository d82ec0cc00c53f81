import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature, type WebhookVerification } from '../../adapters/webhook/verify-webhook-signature.js';

/*
 * A local receiver of the decision webhook over real HTTP, written as a receiver should be: it reads the raw body,
 * verifies Steward-Signature with the verifier Steward exports (on its own clock), and remembers the event ids it
 * accepted. It records every request, can fail the first N with a 500, answer chosen requests as scripted (a 429,
 * a 302, a slow answer), and refuses a bad signature with 401.
 */

/** One answer, scripted for a request in place of the receiver's own. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Milliseconds to wait before answering (a slow receiver). */
  readonly delayMs?: number;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** What the verifier said of its signature, at the receiver's time. */
  readonly verification: WebhookVerification;
  /** The status the receiver answered. */
  readonly status: number;
  /** True when its Steward-Event-Id was accepted before (a retry that crossed, or a replay). */
  readonly duplicate: boolean;
}

export interface WebhookReceiverOptions {
  readonly secret: string;
  /** The receiver's clock, for the signature's time window. */
  readonly now: () => Date;
  /** Answer the first N requests with a 500. */
  readonly failFirst?: number;
  /** Answers for chosen requests, by their number (1 is the first); others get the receiver's own. */
  readonly script?: Readonly<Record<number, ScriptedAnswer>>;
}

export interface WebhookReceiver {
  /** Its URL: http://127.0.0.1:<port>/hooks/steward. */
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The requests it accepted (verified, answered 2xx, not seen before). */
  accepted(): ReceivedRequest[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const seen = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const n = requests.length + 1;
      const raw = Buffer.concat(chunks);
      const header = req.headers['steward-signature'];
      const verification = verifyWebhookSignature({ body: raw, header: Array.isArray(header) ? header.join(',') : header, secret: options.secret, now: options.now() });
      const eventId = String(req.headers['steward-event-id'] ?? '');
      const scripted = options.script?.[n] ?? (n <= (options.failFirst ?? 0) ? { status: 500, body: 'the receiver is down' } : undefined);
      const answer: ScriptedAnswer = scripted ?? (verification.ok ? { status: 200, body: 'ok' } : { status: 401, body: verification.reason });
      const duplicate = scripted === undefined && verification.ok && seen.has(eventId);
      if (scripted === undefined && verification.ok) seen.add(eventId);
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: raw.toString('utf8'), verification, status: answer.status, duplicate });
      const send = () => res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body ?? '');
      if (answer.delayMs === undefined) send();
      else {
        const timer = setTimeout(() => {
          timers.delete(timer);
          send();
        }, answer.delayMs);
        timers.add(timer);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/steward`,
    requests,
    accepted: () => requests.filter((r) => r.verification.ok && r.status >= 200 && r.status < 300 && !r.duplicate),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
