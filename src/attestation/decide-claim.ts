import type { TickAttestedItem, TickPerson } from './tick-state.js';

export interface ClaimState {
  readonly now: string;
  readonly actor: TickPerson | null;
  /** The teams the actor belongs to, by slug. */
  readonly actorTeams: ReadonlyArray<{ readonly id: number; readonly slug: string }>;
  readonly item: (TickAttestedItem & { readonly vanished: boolean }) | null;
  readonly openQueue: { readonly queue: 'security' | 'team'; readonly reason: string } | null;
}

export type ClaimResult =
  | { readonly ok: true; readonly ref: string; readonly teamId: number; readonly team: string; readonly text: string }
  | { readonly ok: false; readonly code: 'unknown_person' | 'not_found' | 'not_queued' | 'not_in_team'; readonly text: string }
  /** The claimer is in several teams (or none) and named none: a surface with buttons says how to name one. */
  | { readonly ok: false; readonly code: 'needs_team'; readonly ref: string; readonly teams: readonly string[]; readonly text: string };

/**
 * Decides a claim from a queue: "Take it" on a team-owned item (only members of that team), or "Claim" on an
 * item nobody owns (any active person; it joins one of their teams, or the team they name). The claimer becomes
 * the accountable person and is asked to attest at once.
 */
export function decideClaim(state: ClaimState, requestedTeam: string | null): ClaimResult {
  const { actor, item } = state;
  if (actor === null || !actor.active) return { ok: false, code: 'unknown_person', text: 'Steward does not know you as an active person, so you cannot claim items.' };
  if (item === null || item.vanished) return { ok: false, code: 'not_found', text: 'That item is not in the inventory any more.' };
  if (state.openQueue === null)
    return { ok: false, code: 'not_queued', text: `${item.ref} is not waiting for an owner${item.owner.accountable ? ` (${item.owner.accountable.email} is accountable)` : ''}; nothing changed.` };
  const ownTeam = item.owner.team;
  if (ownTeam) {
    const member = state.actorTeams.find((t) => t.id === ownTeam.id);
    if (!member) return { ok: false, code: 'not_in_team', text: `${item.ref} belongs to ${ownTeam.slug}; only its members can take it.` };
    return { ok: true, ref: item.ref, teamId: ownTeam.id, team: ownTeam.slug, text: `${item.ref} is yours now; you will be asked to confirm it.` };
  }
  const team = requestedTeam === null ? (state.actorTeams.length === 1 ? state.actorTeams[0] : undefined) : state.actorTeams.find((t) => t.slug === requestedTeam.toLowerCase());
  if (!team)
    return {
      ok: false,
      code: 'needs_team',
      ref: item.ref,
      teams: state.actorTeams.map((t) => t.slug),
      text:
        state.actorTeams.length === 0
          ? `${item.ref} needs an owning team, and you are in none that Steward knows.`
          : `${item.ref} needs an owning team: say which of yours (${state.actorTeams.map((t) => t.slug).join(', ')}).`,
    };
  return { ok: true, ref: item.ref, teamId: team.id, team: team.slug, text: `${item.ref} is yours now, owned by ${team.slug}; you will be asked to confirm it.` };
}
