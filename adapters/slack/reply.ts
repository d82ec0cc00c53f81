import type { webApi } from '@slack/bolt';
import { escapeSlackText } from './slack-text.js';

export interface ReplyTarget {
  readonly client: webApi.WebClient;
  readonly slackUserId: string;
  /**
   * Shows text to the clicker alone, under the message they acted on (response_url, or chat.postEphemeral in its
   * channel for a modal opened from it); undefined when they acted in the Home tab.
   */
  readonly ephemeral?: ((text: string) => Promise<unknown>) | undefined;
}

/**
 * Tells the person who acted what happened: under the message, visible to them alone; or, for an action in the
 * Home tab (no message to answer under), in their DM with Steward when there is something to say beyond the
 * refreshed Home (a refusal, a failure).
 */
export async function reply(target: ReplyTarget, text: string, options: { readonly fromHome: 'say' | 'skip' } = { fromHome: 'say' }): Promise<void> {
  // The core's words quote refs, names and notes as imported or typed: escaped, a ref like `<!channel>` or
  // `<https://evil.example|Sign in>` shows as typed rather than pinging a channel or becoming a link.
  const safe = escapeSlackText(text);
  if (target.ephemeral) await target.ephemeral(safe);
  else if (options.fromHome === 'say') await target.client.chat.postMessage({ channel: await openDm(target.client, target.slackUserId), text: safe });
}

/**
 * The person's DM with Steward, opened (conversations.open, `im:write`) as the dispatcher opens it for prompts:
 * a user id given as the channel depends on how the workspace treats it, the DM's id does not.
 */
export async function openDm(client: webApi.WebClient, slackUserId: string): Promise<string> {
  const opened = await client.conversations.open({ users: slackUserId });
  const channel = opened.channel?.id;
  if (channel === undefined) throw new Error('conversations.open answered without a channel');
  return channel;
}

/** The reply target of a click: under its message when it was on one (Slack then gives a response_url). */
export function clickTarget(args: {
  readonly client: webApi.WebClient;
  readonly body: { readonly user: { readonly id: string }; readonly response_url?: string; readonly container?: { readonly type?: string } };
  readonly respond?: ((message: { response_type: 'ephemeral'; replace_original: false; text: string }) => Promise<unknown>) | undefined;
}): ReplyTarget {
  const { respond, body } = args;
  const onMessage = body.response_url !== undefined && body.container?.type === 'message' && respond !== undefined;
  return {
    client: args.client,
    slackUserId: body.user.id,
    ephemeral: onMessage ? (text) => respond({ response_type: 'ephemeral', replace_original: false, text }) : undefined,
  };
}
