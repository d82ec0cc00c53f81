import { randomBytes } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Logger } from '../logging/logger.js';
import { openDm } from './reply.js';
import type { SlackAccess } from './slack-access.js';
import { refusedTokenCodes, slackErrorCode } from './web-api-failure.js';

interface FailedRequest {
  readonly error: Error & { readonly original?: unknown };
  readonly body: object;
}

/** Who to tell and how: under the message or command (response_url), else in their DM with Steward. */
function whereToTell(body: Record<string, unknown>): { readonly responseUrl: string | null; readonly user: string | null } {
  const responseUrl = typeof body.response_url === 'string' ? body.response_url : null;
  const user = typeof body.user_id === 'string' ? body.user_id : typeof (body.user as { id?: unknown } | undefined)?.id === 'string' ? (body.user as { id: string }).id : null;
  return { responseUrl, user };
}

/**
 * Bolt's `app.error`: the Slack adapter's one error boundary. A failure after the request was acknowledged (a bug,
 * the database, a Web API call) is logged with a reference, and the person who asked sees a short message
 * with the same reference, never a stack trace. Events have nobody to tell; the log has them. A call refused for
 * the bot token means Slack no longer takes it: delivery stops (`access`), and nobody can be told in Slack.
 */
export function errorBoundary(logger: Logger, client: webApi.WebClient, access: SlackAccess, fetchFn: typeof fetch = fetch) {
  return async ({ error, body: payload }: FailedRequest): Promise<void> => {
    const body = payload as Record<string, unknown>;
    const reference = randomBytes(4).toString('hex');
    const cause = error.original ?? error;
    const slackCode = slackErrorCode(cause);
    logger.error({ err: cause, reference, type: body.type ?? null, slackError: slackCode }, 'Slack request failed');
    if (refusedTokenCodes.has(slackCode)) return access.lose(`Slack refused the bot token (${slackCode})`, { reference });
    const text =
      slackCode === 'ratelimited'
        ? `Slack asked Steward to slow down; try again in a minute (reference ${reference}).`
        : `Something went wrong on our side (reference ${reference}); the details are in Steward's log.`;
    const { responseUrl, user } = whereToTell(body);
    try {
      if (responseUrl !== null)
        await fetchFn(responseUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }) });
      else if (user !== null && body.type !== 'event_callback') await client.chat.postMessage({ channel: await openDm(client, user), text });
    } catch (telling) {
      logger.warn({ err: telling, reference }, 'could not tell the user about a failed Slack request');
    }
  };
}
