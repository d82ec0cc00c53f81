import type { webApi } from '@slack/bolt';
import type { ActorKey } from '../../src/ports/attestation-store.js';

/**
 * The person behind a Slack user, as the store names them. By Slack user id first: the dispatcher links each
 * person's id when it first DMs them. Someone who clicks or opens Home before Steward ever wrote to them is not
 * linked yet; then their email (users.info) names them, remembered for the life of the process.
 */
export class SlackPeople {
  private readonly emails = new Map<string, string | null>();

  constructor(private readonly client: webApi.WebClient) {}

  /**
   * Runs `attempt` as the Slack user; when the store does not know their id (`unknown` says so of the result),
   * once more by their email. Either way nothing is changed for an unknown person, so trying twice is safe.
   */
  async as<T>(slackUserId: string, attempt: (actor: ActorKey) => Promise<T>, unknown: (result: T) => boolean): Promise<T> {
    const first = await attempt({ slackUserId });
    if (!unknown(first)) return first;
    const email = await this.emailOf(slackUserId);
    return email === null ? first : attempt({ email });
  }

  /**
   * Who typed a slash command, for the commands that act as the speaker (`mine`, `attest`, `claim`): by the email
   * on their Slack account, the join key every source shares, so it works before Steward ever wrote to them;
   * by their Slack id when Slack does not say (a missing `users:read.email` scope, an outage).
   */
  async speaker(slackUserId: string): Promise<ActorKey> {
    try {
      const email = await this.emailOf(slackUserId);
      return email === null ? { slackUserId } : { email };
    } catch {
      return { slackUserId };
    }
  }

  private async emailOf(slackUserId: string): Promise<string | null> {
    if (this.emails.has(slackUserId)) return this.emails.get(slackUserId) ?? null;
    const info = await this.client.users.info({ user: slackUserId });
    const email = info.user?.profile?.email?.toLowerCase() ?? null;
    this.emails.set(slackUserId, email);
    return email;
  }
}
