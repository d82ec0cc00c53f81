import { webApi } from '@slack/bolt';
import type { ChatDelivery, FailureReason } from '../../src/ports/chat.js';
import { detectSecret } from '../../src/secrets/detect-secret.js';

/**
 * Slack errors that will not pass by trying again, and what each means for the core: the person is not there or
 * cannot be written to (`unreachable`: the ladder moves on), the channel is not there or not ours, the message to
 * update is gone, or the message itself is refused. Anything else (Slack's own trouble, the network) is worth
 * retrying with backoff until the dispatcher gives up.
 */
const permanent: ReadonlyMap<string, FailureReason> = new Map([
  ['users_not_found', 'unreachable'],
  ['user_not_found', 'unreachable'],
  ['user_disabled', 'unreachable'],
  ['cannot_dm_bot', 'unreachable'],
  ['channel_not_found', 'not_in_channel'],
  ['not_in_channel', 'not_in_channel'],
  ['is_archived', 'not_in_channel'],
  ['restricted_action', 'not_in_channel'],
  ['restricted_action_read_only_channel', 'not_in_channel'],
  ['msg_too_long', 'refused'],
  ['no_text', 'refused'],
  ['invalid_blocks', 'refused'],
  ['invalid_blocks_format', 'refused'],
  ['too_many_attachments', 'refused'],
  ['message_not_found', 'gone'],
  ['cant_update_message', 'gone'],
  ['edit_window_closed', 'gone'],
] as const);

/**
 * Slack errors that mean the bot token (or the app-level token) itself no longer works: refused at start-up as bad
 * configuration naming the variable, and, met while delivering, a reason to stop delivering rather than to fail
 * each message in turn. `account_inactive` is the token's: its bot or workspace was deleted (a deactivated
 * person is `user_disabled`).
 */
export const refusedTokenCodes: ReadonlySet<string> = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type']);

/** The network's error code behind a failed request (`ECONNREFUSED`), wherever fetch nested it; or a timeout. */
function networkCode(error: unknown): string | null {
  for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth += 1) {
    const { code } = cause as { code?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    if (cause.name === 'TimeoutError' || cause.name === 'AbortError') return 'ETIMEDOUT';
  }
  return null;
}

/** Why a request never got an answer from Slack, in words, with the network's code as people search for it. */
function unreachable(error: unknown): string {
  const code = networkCode(error);
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found, ${code}`;
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'no answer in time';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code !== null && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return `TLS certificate not trusted, ${code}`;
  return code ?? 'network error';
}

/**
 * What stopped auth.test at start-up, as one line naming what to check: the token (SLACK_BOT_TOKEN), the address
 * (SLACK_API_URL, when set) or the network, or Slack itself (an HTTP 5xx). Each is a configuration or environment
 * problem an operator fixes before starting again, never a bug of Steward's.
 */
export function startupFailure(error: unknown, apiUrlSet: boolean): string {
  const where = apiUrlSet ? 'at SLACK_API_URL' : 'at https://slack.com/api/';
  const check = apiUrlSet ? 'check SLACK_API_URL and the network (DNS, proxy, firewall)' : 'check the network (DNS, proxy, firewall)';
  if (error instanceof webApi.WebAPIRequestError) return `cannot reach Slack's Web API ${where} (${unreachable(error.original)}): ${check}, then start again`;
  if (error instanceof webApi.WebAPIHTTPError)
    return `Slack's Web API ${where} answered HTTP ${error.statusCode} to auth.test: ${error.statusCode >= 500 ? 'Slack may be having an outage (https://slack-status.com); try again later, or ' : ''}${check}`;
  const code = slackErrorCode(error);
  if (refusedTokenCodes.has(code)) return `SLACK_BOT_TOKEN was refused by Slack (${code}): copy the Bot User OAuth Token (xoxb-…) of the installed app`;
  if (code === notSlackAnswer) return `Slack's Web API ${where} answered auth.test with an answer that is not Slack's: ${check}`;
  return `Slack's Web API ${where} did not confirm SLACK_BOT_TOKEN (auth.test: ${code}): ${check}`;
}

/**
 * What stands for the error code of an answer that is not Slack's (an HTML page, a proxy's message, a server
 * echoing the request and with it the bot token): its body is never repeated, in a message or a log.
 */
export const notSlackAnswer = 'not_a_slack_answer';

// Slack's error codes are short snake_case words (`channel_not_found`); anything else did not come from Slack.
const slackCodeShape = /^[a-z][a-z0-9_]{0,63}$/;

/** The error field of a platform error when it looks like Slack's code and holds no secret; otherwise notSlackAnswer. */
function platformCode(data: unknown): string {
  const code: unknown = data !== null && typeof data === 'object' ? (data as { error?: unknown }).error : undefined;
  return typeof code === 'string' && slackCodeShape.test(code) && detectSecret('error', code) === null ? code : notSlackAnswer;
}

/** The Slack error code of a Web API failure (`channel_not_found`), or a short kind for HTTP and network ones. */
export function slackErrorCode(error: unknown): string {
  if (error instanceof webApi.WebAPIPlatformError) return platformCode(error.data);
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
  const reason = permanent.get(code);
  return reason === undefined ? { status: 'transient_error', error: text } : { status: 'permanent_error', reason, error: text };
}
