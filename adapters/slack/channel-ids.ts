import type { webApi } from '@slack/bolt';
import { channelIdShape } from './chart-upload.js';

/** The most pages of users.conversations read for one name: 2,000 channels Steward is in. */
const maxPages = 10;

/**
 * A channel's id from the name the policy or SLACK_SECURITY_CHANNEL gives (`#security-ownership`), for the calls
 * that take ids only (files.completeUploadExternal); chat.postMessage takes either. Found among the channels
 * Steward is in (users.conversations: the `channels:read` and `groups:read` scopes), which is where it can post
 * anyway, and remembered: a channel keeps its id when it is renamed, and a name that moves to another channel is
 * looked up again once the old id stops working (this cache lives as long as the process).
 */
export class ChannelIds {
  private readonly known = new Map<string, string>();

  constructor(private readonly client: webApi.WebClient) {}

  /** The id for `channel` (itself when it is one); null when Steward is in no channel of that name. Web API failures throw. */
  async idOf(channel: string): Promise<string | null> {
    if (channelIdShape.test(channel)) return channel;
    const name = channel.replace(/^#/, '');
    const cached = this.known.get(name);
    if (cached !== undefined) return cached;
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      const listed = await this.client.users.conversations({ types: 'public_channel,private_channel', exclude_archived: true, limit: 200, ...(cursor === undefined ? {} : { cursor }) });
      for (const c of listed.channels ?? []) if (c.id !== undefined && c.name !== undefined) this.known.set(c.name, c.id);
      const found = this.known.get(name);
      if (found !== undefined) return found;
      cursor = listed.response_metadata?.next_cursor || undefined;
      if (cursor === undefined) return null;
    }
    return null;
  }

  /** Forgets a name whose remembered id Slack no longer knows (the channel was deleted, or the name moved). */
  forget(channel: string): void {
    this.known.delete(channel.replace(/^#/, ''));
  }
}
