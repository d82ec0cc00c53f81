import { webApi } from '@slack/bolt';
import type { Addressee, OutgoingMessage } from '../../src/messages/outgoing-message.js';
import type { OutboxDelivery } from '../../src/ports/attestation-store.js';
import type { ChatDelivery, ChatPort, PlatformReach } from '../../src/ports/chat.js';
import { accountOn, type ChatIdentityStore } from '../../src/ports/chat-identity-store.js';
import type { Logger } from '../logging/logger.js';
import { chartMissingBlock } from './blocks/digest-blocks.js';
import { boltLogger } from './bolt-logger.js';
import { ChannelIds } from './channel-ids.js';
import { postDigest, type DrawChart } from './post-digest.js';
import { slackPlatform } from './slack-account.js';
import type { SlackAccess } from './slack-access.js';
import { deliveryFailure, refusedTokenCodes, slackErrorCode } from './web-api-failure.js';

export type RenderedMessage = { readonly text: string; readonly blocks: readonly unknown[] };

export interface SlackChatOptions {
  /** The dispatcher's own client (`deliveryClient`): never Bolt's, which answers interactive requests. */
  readonly client: webApi.WebClient;
  readonly store: ChatIdentityStore;
  /** SLACK_SECURITY_CHANNEL; the message's own (the policy's securityChannel) when null. */
  readonly securityChannel: string | null;
  /** The policy's securityChannel: with SLACK_SECURITY_CHANNEL unset, whether Slack has a security channel at all. */
  readonly policySecurityChannel: string | null;
  /** Block Kit for a message, with the Slack user ids of the people it mentions who have one. */
  readonly render: (message: OutgoingMessage, mentionIds: ReadonlyMap<number, string>) => RenderedMessage;
  /** Least time between two posts (default 200 ms: Slack allows short bursts and answers 429 beyond them). */
  readonly minIntervalMs?: number;
  /** Whether Slack still takes the bot token: told when a call is refused for it, asked before each delivery. */
  readonly access: SlackAccess;
  /** Draws a digest's chart as a PNG off the event loop (adapters/charts); without one, digests go without their chart. */
  readonly drawChart?: DrawChart;
  /** The longest a digest's chart may take before the digest goes without it (10 s unless a test says less). */
  readonly chartTimeoutMs?: number;
  readonly logger?: Logger;
}

/** How long one Web API call (and a file's upload) may take before the delivery is tried again later. */
const deliveryTimeoutMs = 15_000;

/**
 * The Web API client the outbox dispatcher delivers with: a 429 is handed back at once as `rate_limited` with its
 * Retry-After (no retries, no paused queue inside the client), so the dispatcher decides when to try again and
 * the client that answers clicks and commands is never held up behind a bulk delivery.
 */
export function deliveryClient(token: string, apiUrl: string | null, logger: Logger): webApi.WebClient {
  return new webApi.WebClient(token, {
    ...(apiUrl === null ? {} : { slackApiUrl: apiUrl }),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: deliveryTimeoutMs,
    logger: boltLogger(logger),
  });
}

type Target = { readonly channel: string } | Exclude<ChatDelivery, { status: 'sent' }>;

/** The message metadata event type Steward posts its deliveries with (see `alreadyPosted`). */
const deliveryEventType = 'steward_delivery';

/** "Not now": handed back without spending an attempt, as a throttled delivery is, to wait in the outbox. */
const notNow = { status: 'rate_limited', retryAfterMs: 0 } as const satisfies ChatDelivery;

/**
 * Slack as the core's chat platform: a person's messages go to their DM with the bot (found by email with
 * users.lookupByEmail, opened with conversations.open, both remembered in the store), a team's to its channel,
 * the security queue to SLACK_SECURITY_CHANNEL or the policy's channel. A message that replaces one delivered
 * before is applied with chat.update, so a resolved item keeps no live button.
 */
export class SlackChat implements ChatPort {
  readonly platform = slackPlatform;
  readonly minIntervalMs: number;
  readonly reach: PlatformReach;
  private readonly channelIds: ChannelIds;

  constructor(private readonly options: SlackChatOptions) {
    this.channelIds = new ChannelIds(options.client);
    this.minIntervalMs = options.minIntervalMs ?? 200;
    // Anyone: a person is found by email. Team channels where the inventory names one; the security channel
    // when SLACK_SECURITY_CHANNEL or the policy names one.
    this.reach = { platform: slackPlatform, people: 'anyone', teamChannels: 'named', securityChannel: options.securityChannel !== null || options.policySecurityChannel !== null };
  }

  async deliver(delivery: OutboxDelivery): Promise<ChatDelivery> {
    if (this.options.access.lost() !== null) return notNow;
    const { text, blocks } = this.options.render(delivery.message, await this.mentionIds(delivery.message));
    const { client } = this.options;
    const delivered = delivery.delivered;
    if (delivered !== null && delivered.channel !== null) {
      try {
        await client.chat.update({ channel: delivered.channel, ts: delivered.messageId, text, blocks: [...blocks] as never });
        return { status: 'sent', messageId: delivered.messageId, channel: delivered.channel };
      } catch (error) {
        return this.failure(error, 'chat.update');
      }
    }
    const target = await this.target(delivery.addressee);
    if (!('channel' in target)) return target;
    if (delivery.inDoubtSince !== null) {
      const found = await this.alreadyPosted(target.channel, delivery);
      if (found !== null) return { status: 'sent', messageId: found, channel: target.channel };
    }
    const digest = delivery.message.kind === 'digest' ? delivery.message.digest : undefined;
    let shown = blocks;
    if (digest !== undefined) {
      const { drawChart, logger, chartTimeoutMs } = this.options;
      const post = await postDigest(
        { client, channelIds: this.channelIds, drawChart: drawChart ?? null, timeoutMs: deliveryTimeoutMs, ...(chartTimeoutMs === undefined ? {} : { chartTimeoutMs }), ...(logger === undefined ? {} : { logger }) },
        delivery.id,
        target.channel,
        blocks as never,
        digest,
      );
      if (post.status === 'posted') return { status: 'sent', messageId: post.messageId, channel: post.channel };
      if (post.status === 'failed') return this.failure(post.error, post.what);
      if (post.status === 'retry') return { status: 'transient_error', error: post.error };
      // The chart cannot go with it: the digest alone, saying why, by the same single call as any message.
      shown = [...blocks, chartMissingBlock(post.line)];
    }
    try {
      const posted = await client.chat.postMessage({
        channel: target.channel,
        text,
        blocks: [...shown] as never,
        unfurl_links: false,
        unfurl_media: false,
        // Which delivery this is, read back by `alreadyPosted` after a dispatcher died between posting and recording.
        metadata: { event_type: deliveryEventType, event_payload: { delivery: delivery.id } },
      });
      if (posted.ts === undefined) return { status: 'transient_error', error: 'chat.postMessage: no ts in the answer' };
      // Slack answers with the channel's id, which chat.update needs even when the post named the channel.
      return { status: 'sent', messageId: posted.ts, channel: posted.channel ?? target.channel };
    } catch (error) {
      return this.failure(error, 'chat.postMessage');
    }
  }

  /**
   * The ts of this delivery's message if it is already in the channel: posted by a dispatcher that died before it
   * could record it. Slack's history of the DM (`im:history`) is searched back to when that dispatcher took the
   * delivery, by the delivery id posted as message metadata. Channels are not searched (that would take reading
   * every channel Steward is in): there a message in doubt is posted again, a rare duplicate, and logged.
   */
  private async alreadyPosted(channel: string, delivery: OutboxDelivery): Promise<string | null> {
    if (!channel.startsWith('D') || delivery.inDoubtSince === null) {
      this.options.logger?.warn({ delivery: delivery.id, channel }, 'a delivery in doubt (its dispatcher died) is posted again: the channel is not searched');
      return null;
    }
    const oldest = (Date.parse(delivery.inDoubtSince) / 1000 - 1).toFixed(6);
    let cursor: string | undefined;
    try {
      for (let page = 0; page < 5; page += 1) {
        const history = await this.options.client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 100, ...(cursor === undefined ? {} : { cursor }) });
        for (const message of history.messages ?? []) {
          const payload = message.metadata?.event_type === deliveryEventType ? (message.metadata.event_payload as { delivery?: unknown } | undefined) : undefined;
          if (payload?.delivery === delivery.id && message.ts !== undefined) return message.ts;
        }
        cursor = history.response_metadata?.next_cursor || undefined;
        if (cursor === undefined) return null;
      }
    } catch (error) {
      // Without the history (no im:history scope on an older install, Slack's trouble), posting again is the lesser harm.
      this.options.logger?.warn({ err: error, delivery: delivery.id }, 'could not search the DM for a delivery in doubt; posting it again');
    }
    return null;
  }

  /**
   * The Slack user ids of the people a message mentions (an approval card's approvers), so Slack notifies them:
   * the account the store has linked, else the user their email finds (users.lookupByEmail), linked for next time.
   * Someone Slack cannot find now is named by email instead: a mention is not worth failing the card for.
   */
  private async mentionIds(message: OutgoingMessage): Promise<Map<number, string>> {
    const ids = new Map<number, string>();
    for (const mention of message.mentions ?? []) {
      const person = await this.options.store.chatPerson(mention.personId);
      if (person === null || !person.active) continue;
      const account = accountOn(person, this.platform);
      if (account !== null) {
        ids.set(mention.personId, account.accountId);
        continue;
      }
      try {
        const found = await this.options.client.users.lookupByEmail({ email: person.email || mention.email });
        if (found.user?.id === undefined) continue;
        await this.options.store.linkChatAccount(mention.personId, { platform: this.platform, accountId: found.user.id }, null);
        ids.set(mention.personId, found.user.id);
      } catch (error) {
        this.options.logger?.info({ err: error, personId: mention.personId }, 'a mentioned person was not found in Slack; named by email');
      }
    }
    return ids;
  }

  private async target(addressee: Addressee): Promise<Target> {
    switch (addressee.kind) {
      case 'person':
        return this.directMessage(addressee.personId, addressee.email);
      case 'team_channel':
        return addressee.channel === null
          ? { status: 'permanent_error', reason: 'no_destination', error: `team ${addressee.team} has no chat channel (set it in the inventory)` }
          : { channel: addressee.channel };
      case 'security_channel': {
        // A digest goes to the policy's digest channel first; everything else to the configured security channel.
        const channel = addressee.digestChannel ?? this.options.securityChannel ?? addressee.channel;
        return channel === null
          ? { status: 'permanent_error', reason: 'no_destination', error: 'no security channel: set SLACK_SECURITY_CHANNEL or securityChannel in the policy' }
          : { channel };
      }
      case 'webhook': {
        // Routing never sends the webhook's messages to a chat platform; one that arrives here is a bug, refused.
        return { status: 'permanent_error', reason: 'refused', error: 'the decision webhook’s messages are not for Slack' };
      }
    }
  }

  /** The person's DM channel with the bot, finding their Slack user by email the first time; each step is remembered. */
  private async directMessage(personId: number, email: string): Promise<Target> {
    const { client, store } = this.options;
    const person = await store.chatPerson(personId);
    if (person === null) return { status: 'permanent_error', reason: 'unreachable', error: `person ${personId} is not in the directory` };
    const account = accountOn(person, this.platform);
    if (account?.address) return { channel: account.address };
    let userId = account?.accountId ?? null;
    if (userId === null) {
      try {
        const found = await client.users.lookupByEmail({ email: person.email || email });
        userId = found.user?.id ?? null;
      } catch (error) {
        return this.failure(error, `users.lookupByEmail ${person.email || email}`);
      }
      if (userId === null) return { status: 'permanent_error', reason: 'unreachable', error: `users.lookupByEmail ${email}: no user` };
      await store.linkChatAccount(personId, { platform: this.platform, accountId: userId }, null);
    }
    try {
      const opened = await client.conversations.open({ users: userId });
      const channel = opened.channel?.id;
      if (channel === undefined) return { status: 'transient_error', error: 'conversations.open: no channel in the answer' };
      await store.linkChatAccount(personId, { platform: this.platform, accountId: userId }, channel);
      return { channel };
    } catch (error) {
      return this.failure(error, 'conversations.open');
    }
  }

  /** A failed call: a token Slack no longer takes stops delivery (the message is not spent); anything else as usual. */
  private failure(error: unknown, what: string): Exclude<ChatDelivery, { status: 'sent' }> {
    const code = slackErrorCode(error);
    if (!refusedTokenCodes.has(code)) return deliveryFailure(error, what);
    // The method alone names the call: the reason is shown on /healthz, and an email is not for it.
    const method = what.split(' ')[0];
    this.options.access.lose(`Slack refused the bot token (${code}) on ${method}`, { slackError: code });
    return notNow;
  }
}
