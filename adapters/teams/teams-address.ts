import type { Activity, ConversationReference } from 'botbuilder';
import { z } from 'zod';

/**
 * Where Steward reaches someone or a channel in Teams, kept in the store as JSON (a chat account's address, a
 * channel binding): the Bot Connector's base URL for the tenant's region, the tenant, and the conversation when
 * one exists. A member found in a team's roster has no conversation with the bot yet: `conversationId` is null and
 * the first delivery creates the 1:1 chat with their `userId` (and remembers it).
 */
export interface TeamsAddress {
  readonly serviceUrl: string;
  readonly tenantId: string;
  readonly conversationId: string | null;
  /** The person's Teams user id (`29:…`) in this bot's conversations; null for a channel. */
  readonly userId: string | null;
}

const TeamsAddressJson = z.strictObject({
  serviceUrl: z.url({ protocol: /^https?$/ }),
  tenantId: z.string().min(1),
  conversationId: z.string().min(1).nullable(),
  userId: z.string().min(1).nullable(),
});

export function serializeAddress(address: TeamsAddress): string {
  return JSON.stringify({ serviceUrl: address.serviceUrl, tenantId: address.tenantId, conversationId: address.conversationId, userId: address.userId });
}

/** The address kept in the store, or null when it is none of Steward's (another platform's, or damaged). */
export function parseAddress(text: string | null): TeamsAddress | null {
  if (text === null) return null;
  try {
    const parsed = TeamsAddressJson.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The tenant an activity comes from: Teams puts it on the conversation and in channelData. */
export function tenantOf(activity: Partial<Activity>): string | null {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const fromChannelData = typeof channelData?.tenant?.id === 'string' ? channelData.tenant.id : null;
  return activity.conversation?.tenantId ?? fromChannelData;
}

/** Where this activity's conversation is, to reach it again later; null without a service URL or tenant. */
export function addressOf(activity: Partial<Activity>, userId: string | null): TeamsAddress | null {
  const tenantId = tenantOf(activity);
  if (!activity.serviceUrl || tenantId === null || !activity.conversation?.id) return null;
  return { serviceUrl: activity.serviceUrl, tenantId, conversationId: activity.conversation.id, userId };
}

/**
 * The channel (or group chat) an activity was typed in, to post to it later as a new conversation: in a channel,
 * the channel's own id (a reply in a thread carries `;messageid=…` on the conversation id, which would post into
 * that thread). Null in a personal chat, which is no channel.
 */
export function channelAddress(activity: Partial<Activity>): TeamsAddress | null {
  const type = activity.conversation?.conversationType;
  if (type !== 'channel' && type !== 'groupChat') return null;
  const channelData = activity.channelData as { channel?: { id?: unknown } } | undefined;
  const channelId = typeof channelData?.channel?.id === 'string' ? channelData.channel.id : (activity.conversation?.id ?? '').split(';')[0];
  const address = addressOf(activity, null);
  return address === null || !channelId ? null : { ...address, conversationId: channelId };
}

/** The conversation reference botbuilder continues a conversation from. */
export function referenceTo(address: TeamsAddress & { readonly conversationId: string }, botId: string): Partial<ConversationReference> {
  return {
    channelId: 'msteams',
    serviceUrl: address.serviceUrl,
    conversation: { id: address.conversationId, tenantId: address.tenantId, isGroup: address.userId === null, conversationType: address.userId === null ? 'channel' : 'personal', name: '' },
    bot: { id: botId, name: 'Steward' },
    ...(address.userId === null ? {} : { user: { id: address.userId, name: '' } }),
  };
}
