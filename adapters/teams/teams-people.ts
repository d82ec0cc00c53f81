import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import { accountOn, type ChatIdentityStore } from '../../src/ports/chat-identity-store.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Logger } from '../logging/logger.js';
import { teamsAccount, teamsPlatform } from './teams-account.js';
import { addressOf, serializeAddress, tenantOf } from './teams-address.js';

/** What Steward answers a guest in Teams, wherever they ask (a message, a card). */
export const teamsGuestAnswer = 'Steward answers members of this organisation; guest accounts cannot use it.';

/** What Teams says of a user that matters to Steward. */
interface TeamsProfile {
  readonly email: string | null;
  /**
   * Not a member of the organisation, shown nothing of the inventory: a B2B guest (`userRole: guest`), an anonymous
   * meeting participant, or a user of another tenant in one of this tenant's conversations (a shared channel,
   * external access), whose email is whatever their own tenant wrote in it.
   */
  readonly guest: boolean;
}

/** Someone acting in Teams: who the store knows them as, and whether they are a member of the organisation. */
export interface TeamsSpeaker {
  readonly actor: ActorKey;
  /** `unknown`: Teams could not say (getMember failed) and the store does not know them. */
  readonly member: 'yes' | 'guest' | 'unknown';
}

/** How long a profile is trusted: Teams sends no event when a member becomes a guest or changes their email. */
const profileTtlMs = 10 * 60_000;

function profileOf(member: TeamsChannelAccount, tenantId: string | null): TeamsProfile {
  const email = member.email ?? member.userPrincipalName ?? null;
  const outsider = member.tenantId !== undefined && member.tenantId !== null && tenantId !== null && member.tenantId.toLowerCase() !== tenantId.toLowerCase();
  const guest = (member.userRole !== undefined && member.userRole !== 'user') || outsider;
  return { email: email === null || !email.includes('@') ? null : email.toLowerCase(), guest };
}

/**
 * The person behind a Teams user. By their Entra object id (carried on every activity, checked by the Bot
 * Framework's signature) when the store has it linked; otherwise by the email or UPN Teams has for them
 * (`TeamsInfo.getMember`, the join key every source shares), linking the object id then. Whether they are a guest
 * always comes from Teams (remembered ten minutes), as Slack's profile does.
 */
export class TeamsPeople {
  private readonly profiles = new Map<string, { readonly profile: TeamsProfile; readonly atMs: number }>();

  constructor(
    private readonly store: ChatIdentityStore,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {}

  /** Who sent this activity, remembering how to reach them when it came from their 1:1 chat with Steward. */
  async speaker(context: TurnContext): Promise<TeamsSpeaker> {
    const { from } = context.activity;
    const aadObjectId = from.aadObjectId?.toLowerCase() ?? null;
    const profile = await this.profileOrNull(context, from.id);
    const linked = aadObjectId === null ? null : await this.store.chatPersonBy(teamsAccount(aadObjectId));
    // A person in the inventory is taken as a member when Teams cannot say; a stranger is not (fail closed).
    const member = profile === null ? (linked !== null ? 'yes' : 'unknown') : profile.guest ? 'guest' : 'yes';
    const personal = context.activity.conversation.conversationType === 'personal';
    const here = addressOf(context.activity, from.id);
    // Outside their 1:1 chat, their Teams user id alone (as a roster gives it): enough to open that chat later.
    const address = here === null || personal ? here : { ...here, conversationId: null };
    if (linked !== null && aadObjectId !== null) {
      const known = accountOn(linked, teamsPlatform)?.address ?? null;
      const now = address === null ? null : serializeAddress(address);
      if (now !== null && now !== known && (personal || known === null)) await this.store.linkChatAccount(linked.personId, teamsAccount(aadObjectId), now);
      return { actor: teamsAccount(aadObjectId), member };
    }
    // Only a member is linked by email: a refused user (a guest, another tenant's) must not take over the account.
    if (profile?.email == null || aadObjectId === null || member !== 'yes') return { actor: teamsAccount(aadObjectId ?? from.id), member };
    const person = await this.store.chatPersonBy({ email: profile.email });
    if (person !== null) await this.store.linkChatAccount(person.personId, teamsAccount(aadObjectId), address === null ? null : serializeAddress(address));
    return { actor: { email: profile.email }, member };
  }

  /**
   * Steward was added to a team: its members who are in the inventory are linked, so the owners among them can be
   * written to before they ever write to Steward (the first delivery opens the 1:1 chat). Returns how many.
   */
  async linkRoster(context: TurnContext): Promise<number> {
    const tenantId = tenantOf(context.activity);
    if (tenantId === null) return 0;
    let linked = 0;
    let continuationToken: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, 500, continuationToken);
      for (const member of page.members) {
        const profile = profileOf(member, tenantId);
        const aad = member.aadObjectId?.toLowerCase();
        if (profile.email === null || aad === undefined || profile.guest) continue;
        const person = await this.store.chatPersonBy({ email: profile.email });
        // One who already has a Teams chat with Steward keeps its address; the roster knows no conversation.
        if (person === null || accountOn(person, teamsPlatform)?.address) continue;
        await this.store.linkChatAccount(person.personId, teamsAccount(aad), serializeAddress({ serviceUrl: context.activity.serviceUrl, tenantId, conversationId: null, userId: member.id }));
        linked += 1;
      }
      continuationToken = page.continuationToken || undefined;
    } while (continuationToken !== undefined);
    return linked;
  }

  private async profileOrNull(context: TurnContext, userId: string): Promise<TeamsProfile | null> {
    const nowMs = this.clock.now().getTime();
    const known = this.profiles.get(userId);
    if (known && nowMs - known.atMs < profileTtlMs) return known.profile;
    try {
      const profile = profileOf(await TeamsInfo.getMember(context, userId), tenantOf(context.activity));
      this.profiles.set(userId, { profile, atMs: nowMs });
      return profile;
    } catch (error) {
      this.logger.warn({ err: error, teamsUserId: userId }, 'TeamsInfo.getMember failed; acting on the Entra object id alone');
      return null;
    }
  }
}
