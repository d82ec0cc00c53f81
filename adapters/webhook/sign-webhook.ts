import { createHmac } from 'node:crypto';

/** The headers a decision is sent with; a receiver reads them by these names (HTTP header names are case-blind). */
export const webhookHeaders = { signature: 'Steward-Signature', eventId: 'Steward-Event-Id' } as const;

/** The version of the signing scheme, as the header names it (`v1=`): a new scheme adds a key, receivers keep theirs. */
export const signatureScheme = 'v1';

/**
 * The hex HMAC-SHA256, keyed with the secret, of `<timestamp>.<raw body>`: the timestamp is signed with the body,
 * so a captured request cannot be replayed later under a fresh timestamp.
 */
export function webhookSignature(secret: string, timestamp: number, body: string | Buffer): string {
  // In two parts, so a receiver's raw bytes are signed as they came (a string is taken as UTF-8).
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(body).digest('hex');
}

/**
 * The `Steward-Signature` header for a body sent at `now`: `t=<unix seconds>,v1=<hex HMAC-SHA256>` (Stripe's form).
 * Each attempt signs afresh, so a retry is not refused as stale by its receiver.
 */
export function signWebhook(options: { readonly body: string; readonly secret: string; readonly now: Date }): string {
  const timestamp = Math.floor(options.now.getTime() / 1000);
  return `t=${timestamp},${signatureScheme}=${webhookSignature(options.secret, timestamp, options.body)}`;
}
