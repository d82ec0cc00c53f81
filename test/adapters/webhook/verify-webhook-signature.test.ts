import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, webhookSignature } from '../../../adapters/webhook/sign-webhook.js';
import { verifyWebhookSignature } from '../../../adapters/webhook/verify-webhook-signature.js';

const secret = 'a'.repeat(16) + 'b'.repeat(16) + 'c'.repeat(16);
const body = JSON.stringify({ type: 'approval.decided', id: 'approval-12', request: { id: 12, status: 'approved' } });
const sentAt = new Date('2026-11-09T09:00:00.000Z');
const t = sentAt.getTime() / 1000;
const header = signWebhook({ body, secret, now: sentAt });
const verify = (overrides: Partial<Parameters<typeof verifyWebhookSignature>[0]> = {}) => verifyWebhookSignature({ body, header, secret, now: sentAt, ...overrides });
const seconds = (n: number) => new Date(sentAt.getTime() + n * 1000);

describe('signWebhook', () => {
  it('when a body is signed, then the header is t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">, as a receiver computes it by hand', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');

    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(webhookSignature(secret, t, Buffer.from(body))).toBe(expected);
  });

  it('when the same body is signed a second later, then the signature differs (each attempt is signed afresh)', () => {
    expect(signWebhook({ body, secret, now: seconds(1) })).not.toBe(header);
  });
});

describe('verifyWebhookSignature', () => {
  it('when the request is as signed, then it is accepted with its time', () => {
    expect(verify()).toEqual({ ok: true, timestamp: t });
    expect(verify({ body: Buffer.from(body) })).toEqual({ ok: true, timestamp: t });
  });

  it.each([
    ['a body changed after signing', { body: body.replace('approved', 'rejected') }, 'bad_signature'],
    ['a body with one more space', { body: `${body} ` }, 'bad_signature'],
    ['the wrong secret', { secret: 'x'.repeat(48) }, 'bad_signature'],
    ['a time signed 301 s ago (a replay)', { now: seconds(301) }, 'stale_timestamp'],
    ['a time more than 5 minutes ahead', { now: seconds(-301) }, 'future_timestamp'],
    ['a one-minute window, 61 s on', { now: seconds(61), toleranceSeconds: 60 }, 'stale_timestamp'],
    ['no header', { header: undefined }, 'malformed_header'],
    ['an empty header', { header: '' }, 'malformed_header'],
    ['no time', { header: header.replace(/^t=\d+,/, '') }, 'malformed_header'],
    ['no v1 signature', { header: `t=${t}` }, 'malformed_header'],
    ['a time that is not a number', { header: header.replace(/^t=\d+/, 't=soon') }, 'malformed_header'],
    ['a signature that is not 64 hex digits', { header: `t=${t},v1=abc` }, 'malformed_header'],
    ['two times', { header: `t=${t},${header}` }, 'malformed_header'],
    ['a signed time moved on (the signature was for the old one)', { header: header.replace(`t=${t}`, `t=${t + 10}`) }, 'bad_signature'],
  ] as const)('when %s, then it is refused: %s', (_, overrides, reason) => {
    expect(verify(overrides)).toEqual({ ok: false, reason });
  });

  it('when the time is at the edge of the window either way, then it is accepted', () => {
    expect(verify({ now: seconds(300) }).ok).toBe(true);
    expect(verify({ now: seconds(-300) }).ok).toBe(true);
  });

  it('when the header carries an unknown scheme and a second v1 (a secret rolled over), then the matching v1 is enough', () => {
    const old = webhookSignature('o'.repeat(48), t, body);

    expect(verify({ header: `${header.replace(/,v1=.*/, '')},v0=zzz,v1=${old},${header.split(',')[1]}` })).toEqual({ ok: true, timestamp: t });
  });
});
