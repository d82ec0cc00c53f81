import type { webApi } from '@slack/bolt';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import type { ChatIdentityStore } from '../../src/ports/chat-identity-store.js';
import type { Logger } from '../logging/logger.js';

/** What users.info says of a Slack user that matters to Steward. */
interface SlackProfile {
  readonly email: string | null;
  /** A multi- or single-channel guest: not a member of the organisation, so shown nothing of the inventory. */
  readonly guest: boolean;
}

/** Someone acting in Slack: who the store knows them as, and whether they are a member of the workspace. */
export interface SlackSpeaker {
  readonly actor: ActorKey;
  /** `unknown`: Slack could not say (users.info failed) and the store does not know their Slack id. */
  readonly member: 'yes' | 'guest' | 'unknown';
}

/**
 * The person behind a Slack user. By Slack user id when the store has it linked (the dispatcher links each person
 * when it first DMs them); otherwise by the email on their Slack account (users.info, the join key every
 * source shares), linking the id then, so the next action of theirs needs no call to Slack. Slack verified the
 * user id (the request is signed); the email is Slack's, never typed by the user.
 */
export class SlackPeople {
  private readonly profiles = new Map<string, SlackProfile>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly store: ChatIdentityStore,
    private readonly logger: Logger,
  ) {}

  /** The key to act as, resolved before the use case runs, so an unknown person is refused (and audited) once. */
  async actor(slackUserId: string): Promise<ActorKey> {
    if (await this.store.chatPersonBy({ slackUserId })) return { slackUserId };
    return this.byEmail(slackUserId, await this.profileOrNull(slackUserId));
  }

  /** Who typed a command: as `actor`, and whether they are a member (commands are for members, not guests). */
  async speaker(slackUserId: string): Promise<SlackSpeaker> {
    const profile = await this.profileOrNull(slackUserId);
    const linked = (await this.store.chatPersonBy({ slackUserId })) !== null;
    // A person in the inventory is taken as a member when Slack cannot say; a stranger is not (fail closed).
    const member = profile === null ? (linked ? 'yes' : 'unknown') : profile.guest ? 'guest' : 'yes';
    if (linked) return { actor: { slackUserId }, member };
    return { actor: await this.byEmail(slackUserId, profile), member };
  }

  /**
   * By the email Slack has for the account, linking the Slack id to the person it names. When Slack cannot say (a
   * missing `users:read.email` scope, an outage), the Slack id alone: an unlinked person is then refused as
   * unknown rather than taken for someone else.
   */
  private async byEmail(slackUserId: string, profile: SlackProfile | null): Promise<ActorKey> {
    if (profile?.email == null) return { slackUserId };
    const person = await this.store.chatPersonBy({ email: profile.email });
    if (person !== null) await this.store.linkSlackUser(person.personId, slackUserId, null);
    return { email: profile.email };
  }

  private async profileOrNull(slackUserId: string): Promise<SlackProfile | null> {
    try {
      return await this.profile(slackUserId);
    } catch (error) {
      this.logger.warn({ err: error, slackUserId }, 'users.info failed; acting on the Slack user id alone');
      return null;
    }
  }

  /** users.info, remembered for the life of the process (a guest's status or an email rarely changes under us). */
  private async profile(slackUserId: string): Promise<SlackProfile> {
    const known = this.profiles.get(slackUserId);
    if (known) return known;
    const { user } = await this.client.users.info({ user: slackUserId });
    const profile = { email: user?.profile?.email?.toLowerCase() ?? null, guest: user?.is_restricted === true || user?.is_ultra_restricted === true };
    this.profiles.set(slackUserId, profile);
    return profile;
  }
}
