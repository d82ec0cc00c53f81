import type { webApi } from '@slack/bolt';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import type { ChatIdentityStore } from '../../src/ports/chat-identity-store.js';
import { slackAccount } from './slack-account.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Logger } from '../logging/logger.js';

/** What users.info says of a Slack user that matters to Steward. */
export interface SlackProfile {
  readonly email: string | null;
  /** A multi- or single-channel guest: not a member of the organisation, so shown nothing of the inventory. */
  readonly guest: boolean;
  /** The account is deactivated. */
  readonly deleted: boolean;
}

/** A Slack user as users.info answers it and `user_change` carries it: the fields Steward reads. */
export interface SlackUserObject {
  readonly id: string;
  readonly deleted?: boolean | undefined;
  readonly is_restricted?: boolean | undefined;
  readonly is_ultra_restricted?: boolean | undefined;
  readonly profile?: { readonly email?: string | undefined } | undefined;
}

/** What Steward answers a guest, wherever they ask (a command, a button, the Home tab). */
export const guestAnswer = 'Steward answers members of this workspace; guest accounts cannot use it.';

/**
 * How long a profile is trusted without news from Slack. `user_change` updates it at once; this bounds how long a
 * change whose event Slack dropped (app_rate_limited, an outage) goes unnoticed.
 */
const profileTtlMs = 10 * 60_000;

function profileOf(user: SlackUserObject): SlackProfile {
  return { email: user.profile?.email?.toLowerCase() ?? null, guest: user.is_restricted === true || user.is_ultra_restricted === true, deleted: user.deleted === true };
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
  private readonly profiles = new Map<string, { readonly profile: SlackProfile; readonly atMs: number }>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly store: ChatIdentityStore,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /**
   * The key to act as for a click, a modal or the Home tab, resolved before the use case runs, so an unknown person
   * is refused (and audited) once; null for a guest, who is answered `guestAnswer` and shown nothing.
   */
  async actor(slackUserId: string): Promise<ActorKey | null> {
    const speaker = await this.speaker(slackUserId);
    return speaker.member === 'guest' ? null : speaker.actor;
  }

  /**
   * Slack changed a user (`user_change` carries the whole user object): what Steward remembers of them is replaced
   * at once, so a member made a guest loses access from their next request, and a guest made a member regains it.
   * Returns what was remembered before (undefined when nothing was).
   */
  updated(user: SlackUserObject): SlackProfile | undefined {
    const profile = profileOf(user);
    const before = this.profiles.get(user.id)?.profile;
    this.profiles.set(user.id, { profile, atMs: this.clock.now().getTime() });
    this.logger.debug({ slackUserId: user.id, guest: profile.guest }, 'Slack profile updated from user_change');
    if (before !== undefined && before.guest !== profile.guest)
      this.logger.info({ slackUserId: user.id, guest: profile.guest }, profile.guest ? 'a Slack member was made a guest: Steward answers them nothing from now on' : 'a Slack guest was made a member: Steward answers them from now on');
    return before;
  }

  /** Who typed a command: as `actor`, and whether they are a member (commands are for members, not guests). */
  async speaker(slackUserId: string): Promise<SlackSpeaker> {
    const profile = await this.profileOrNull(slackUserId);
    const linked = (await this.store.chatPersonBy(slackAccount(slackUserId))) !== null;
    // A person in the inventory is taken as a member when Slack cannot say; a stranger is not (fail closed).
    const member = profile === null ? (linked ? 'yes' : 'unknown') : profile.guest ? 'guest' : 'yes';
    if (linked) return { actor: slackAccount(slackUserId), member };
    return { actor: await this.byEmail(slackUserId, profile), member };
  }

  /**
   * The email of a Slack user someone mentioned (in `/steward transfer x --to @cy`): the person the store has
   * linked to the account, else the email on the account (users.info); null when neither says.
   */
  async emailOf(slackUserId: string): Promise<string | null> {
    const linked = await this.store.chatPersonBy(slackAccount(slackUserId));
    if (linked !== null) return linked.email;
    return (await this.profileOrNull(slackUserId))?.email ?? null;
  }

  /**
   * By the email Slack has for the account, linking the Slack id to the person it names. When Slack cannot say (a
   * missing `users:read.email` scope, an outage), the Slack id alone: an unlinked person is then refused as
   * unknown rather than taken for someone else.
   */
  private async byEmail(slackUserId: string, profile: SlackProfile | null): Promise<ActorKey> {
    if (profile?.email == null) return slackAccount(slackUserId);
    const person = await this.store.chatPersonBy({ email: profile.email });
    if (person !== null) await this.store.linkChatAccount(person.personId, slackAccount(slackUserId), null);
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

  /** users.info, remembered until `user_change` replaces it or it is `profileTtlMs` old. */
  private async profile(slackUserId: string): Promise<SlackProfile> {
    const nowMs = this.clock.now().getTime();
    const known = this.profiles.get(slackUserId);
    if (known && nowMs - known.atMs < profileTtlMs) return known.profile;
    const { user } = await this.client.users.info({ user: slackUserId });
    const profile = profileOf({ ...user, id: slackUserId });
    this.profiles.set(slackUserId, { profile, atMs: nowMs });
    return profile;
  }
}
