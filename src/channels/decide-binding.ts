import type { TickPerson } from '../attestation/tick-state.js';
import { didYouMean, nearestWord } from '../commands/did-you-mean.js';
import type { Platform } from '../ports/attestation-store.js';
import type { ChannelTarget } from '../ports/chat-identity-store.js';

/** What someone asked to bind the channel they typed in to, as typed: `here security` or `here team <slug>`. */
export type BindTarget = { readonly kind: 'security' } | { readonly kind: 'team'; readonly slug: string };

/** The rows a binding is decided on, as the store finds them inside its transaction. */
export interface BindChannelState {
  readonly now: string;
  readonly platform: Platform;
  /** The person who typed the command; null when Steward knows nobody by that account or email. */
  readonly actor: TickPerson | null;
  readonly target: BindTarget;
  /** The team the slug names, among the teams the inventory lists now; null when none (or for the security channel). */
  readonly team: { readonly id: number; readonly slug: string; readonly lead: TickPerson | null } | null;
  /** The slugs of the teams listed now, when the slug names none of them: what a mistyped slug may have meant. */
  readonly teamSlugs: readonly string[];
  /** The address bound to the target on this platform now, if any. */
  readonly current: string | null;
  /** The address of the channel the command was typed in. */
  readonly address: string;
}

export type BindChannelResult =
  /** Bound (`previous`: there was none, it was this channel already — nothing changed —, or another channel it replaces). */
  | { readonly ok: true; readonly target: ChannelTarget; readonly team: string | null; readonly previous: 'none' | 'same' | 'other'; readonly text: string }
  | { readonly ok: false; readonly code: 'unknown_person'; readonly text: string }
  | { readonly ok: false; readonly code: 'unknown_team'; readonly team: string; readonly suggestion: string | null; readonly text: string }
  | { readonly ok: false; readonly code: 'not_lead'; readonly team: string; readonly text: string }
  | { readonly ok: false; readonly code: 'not_admin'; readonly text: string };

const isAdmin = (person: TickPerson, admins: readonly string[]) => admins.some((email) => email.toLowerCase() === person.email.toLowerCase());

/**
 * Decides who may bind a channel: a team's lead (the inventory's) binds their team's channel; an admin (the
 * policy's `admins`) binds any team's and the security channel. Whoever asks must be an active person Steward knows.
 */
export function decideBinding(state: BindChannelState, admins: readonly string[]): BindChannelResult {
  const { actor, target } = state;
  if (actor === null || !actor.active) return { ok: false, code: 'unknown_person', text: 'Steward does not know you as an active person, so you cannot bind channels.' };
  const previous = state.current === null ? 'none' : state.current === state.address ? 'same' : 'other';
  if (target.kind === 'security') {
    if (!isAdmin(actor, admins)) return { ok: false, code: 'not_admin', text: 'Only a Steward admin (named in the policy’s `admins`) can bind the security channel.' };
    const text =
      previous === 'same'
        ? 'This channel is the security channel already; nothing changed.'
        : `This channel is now the security channel: unowned items and the last escalations are posted here${previous === 'other' ? ', no longer in the channel bound before' : ''}.`;
    return { ok: true, target: { kind: 'security' }, team: null, previous, text };
  }
  const slug = target.slug.trim().toLowerCase();
  const team = state.team;
  if (team === null) {
    const suggestion = nearestWord(slug, state.teamSlugs);
    return { ok: false, code: 'unknown_team', team: slug, suggestion, text: `The inventory lists no team \`${slug}\`${didYouMean(slug, state.teamSlugs)}.` };
  }
  if (team.lead?.id !== actor.id && !isAdmin(actor, admins)) {
    const who = team.lead === null ? `${team.slug} has no lead in the inventory, so only` : `Only ${team.slug}’s lead (${team.lead.email}) or`;
    return { ok: false, code: 'not_lead', team: team.slug, text: `${who} a Steward admin can bind its channel.` };
  }
  const text =
    previous === 'same'
      ? `This channel is team ${team.slug}’s channel already; nothing changed.`
      : `This channel is now team ${team.slug}’s channel: its queue and escalations are posted here${previous === 'other' ? ', no longer in the channel bound before' : ''}.`;
  return { ok: true, target: { kind: 'team', teamId: team.id }, team: team.slug, previous, text };
}
