import { webApi } from '@slack/bolt';
import type { ChatDelivery } from '../../src/ports/chat.js';

/**
 * Slack errors that will not pass by trying again: the person or channel is not there (or not reachable by the
 * bot), or the message itself is refused. Anything else (Slack's own trouble, the network, a revoked token an
 * operator can fix) is worth retrying with backoff until the dispatcher gives up.
 */
const permanent = new Set([
  'users_not_found',
  'user_not_found',
  'user_disabled',
  'account_inactive',
  'cannot_dm_bot',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'restricted_action',
  'restricted_action_read_only_channel',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_blocks_format',
  'too_many_attachments',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
]);

/** The Slack error code of a Web API failure (`channel_not_found`), or a short kind for HTTP and network ones. */
export function slackErrorCode(error: unknown): string {
  if (error instanceof webApi.WebAPIPlatformError) return error.data.error;
  if (error instanceof webApi.WebAPIRateLimitedError) return 'ratelimited';
  if (error instanceof webApi.WebAPIHTTPError) return `http_${error.statusCode}`;
  if (error instanceof webApi.WebAPIRequestError) return 'network_error';
  return error instanceof Error ? error.name : 'unknown_error';
}

/** What a failed Web API call means for a delivery: slow down, try again later, or give this message up. */
export function deliveryFailure(error: unknown, what: string): Exclude<ChatDelivery, { status: 'sent' }> {
  if (error instanceof webApi.WebAPIRateLimitedError) return { status: 'rate_limited', retryAfterMs: Math.max(0, error.retryAfter) * 1000 };
  const code = slackErrorCode(error);
  // A 429 without a usable Retry-After still means "slow down"; a second is Slack's smallest unit.
  if (code === 'ratelimited' || code === 'http_429') return { status: 'rate_limited', retryAfterMs: 1000 };
  const text = `${what}: ${code}`;
  return permanent.has(code) ? { status: 'permanent_error', error: text } : { status: 'transient_error', error: text };
}
