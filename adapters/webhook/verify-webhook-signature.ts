import { timingSafeEqual } from 'node:crypto';
import { signatureScheme, webhookSignature } from './sign-webhook.js';

/** Why a receiver refuses a request: its header unreadable, its time outside the window (a replay), or a wrong signature. */
export type WebhookRefusal = 'malformed_header' | 'stale_timestamp' | 'future_timestamp' | 'bad_signature';

export type WebhookVerification = { readonly ok: true; readonly timestamp: number } | { readonly ok: false; readonly reason: WebhookRefusal };

export interface WebhookVerificationRequest {
  /** The raw body, exactly as received (parsing and re-serialising it changes the bytes signed). */
  readonly body: string | Buffer;
  /** The `Steward-Signature` header; undefined when it is missing. */
  readonly header: string | undefined;
  readonly secret: string;
  /** The receiver's clock. */
  readonly now: Date;
  /** How far the signed time may stand from `now`, either way: five minutes, as Slack's and Stripe's. */
  readonly toleranceSeconds?: number;
}

const hexSignature = /^[0-9a-f]{64}$/;

/** `t=…,v1=…` into its timestamp and its v1 signatures (several while a secret is being rolled over); null if unreadable. */
function parseHeader(header: string): { timestamp: number; signatures: string[] } | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) return null;
    const [key, value] = [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === signatureScheme) {
      if (!hexSignature.test(value)) return null;
      signatures.push(value);
    }
    // Other keys are schemes this receiver does not know: skipped, as Stripe's are.
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks a decision webhook request as a receiver should (and as Steward's tests do): the header is read, its time
 * must lie within `toleranceSeconds` of `now` (older is a replay, later a clock gone wrong), and one of its v1
 * signatures must equal the HMAC-SHA256 of `<t>.<raw body>`, compared in constant time. Receivers also keep the
 * Steward-Event-Id of what they accepted and ignore one seen before: a retry, or a replay inside the window.
 */
export function verifyWebhookSignature(request: WebhookVerificationRequest): WebhookVerification {
  const parsed = request.header === undefined ? null : parseHeader(request.header);
  if (parsed === null) return { ok: false, reason: 'malformed_header' };
  const tolerance = request.toleranceSeconds ?? 300;
  const nowSeconds = Math.floor(request.now.getTime() / 1000);
  if (parsed.timestamp < nowSeconds - tolerance) return { ok: false, reason: 'stale_timestamp' };
  if (parsed.timestamp > nowSeconds + tolerance) return { ok: false, reason: 'future_timestamp' };
  const expected = Buffer.from(webhookSignature(request.secret, parsed.timestamp, request.body), 'hex');
  const matches = parsed.signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  return matches ? { ok: true, timestamp: parsed.timestamp } : { ok: false, reason: 'bad_signature' };
}
