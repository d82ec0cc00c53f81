import type { ChatDelivery, FailureReason } from '../../src/ports/chat.js';

/** What the Bot Connector's client (@azure/core-rest-pipeline's RestError) carries of a failed call. */
interface ConnectorError {
  readonly statusCode?: number;
  readonly code?: string;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

/**
 * A Retry-After in seconds, or as an HTTP date; a second when it is missing or unreadable (still "slow down").
 * Checked by shape: Number('') is 0 and Date.parse('-5') a date in 2001, and a 0 would have the pump ask again at once.
 */
function retryAfterMs(header: string | undefined, nowMs: number): number {
  const text = header?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(at) ? 1000 : Math.max(0, at - nowMs);
}

/**
 * A failed Connector call in the core's terms. 403 means Steward may not write there: for a person, the app is not
 * installed for them, they blocked it, or it is not in the chat's roster (unreachable, and the core escalates);
 * for a channel, Steward was removed from the team. 404: the conversation, or the message to update, is gone. 400
 * and 413: the message itself was refused, a bug of ours. 429: its Retry-After. Anything else (5xx, the network)
 * may pass, and is tried again.
 */
export function teamsFailure(error: unknown, what: string, to: 'person' | 'channel', nowMs = Date.now()): Exclude<ChatDelivery, { status: 'sent' }> {
  const { statusCode, code, response } = (typeof error === 'object' && error !== null ? error : {}) as ConnectorError;
  const said = `Teams ${what}: ${statusCode ?? 'no answer'}${code ? ` ${code}` : ''}`;
  if (statusCode === 429) return { status: 'rate_limited', retryAfterMs: retryAfterMs(response?.headers?.get('retry-after'), nowMs) };
  const permanent = (reason: FailureReason) => ({ status: 'permanent_error', reason, error: said }) as const;
  // Steward's own token refused (a rotated client secret): nobody's fault but the configuration's; it waits for it.
  if (statusCode === 401) return { status: 'transient_error', error: `${said}: the Bot Framework refused Steward's token (check MICROSOFT_APP_PASSWORD)` };
  if (statusCode === 403) return permanent(to === 'person' ? 'unreachable' : 'not_in_channel');
  if (statusCode === 404) return permanent(what === 'update' ? 'gone' : to === 'person' ? 'unreachable' : 'not_in_channel');
  if (statusCode === 400 || statusCode === 413) return permanent('refused');
  return { status: 'transient_error', error: error instanceof Error && statusCode === undefined ? `Teams ${what}: ${error.message}` : said };
}
