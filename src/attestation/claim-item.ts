import type { ActorKey } from '../ports/attestation-store.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { decideClaim, type ClaimResult } from './decide-claim.js';

/** "Claim" (security queue) or "Take it" (team queue): the actor becomes the item's accountable person. */
export async function claimItem(store: Store, clock: Clock, input: { actor: ActorKey; itemId: number; team?: string | null }): Promise<ClaimResult> {
  const team = input.team ?? null;
  return store.claimItem({ now: clock.now().toISOString(), actor: input.actor, itemId: input.itemId, team, decide: (state) => decideClaim(state, team) });
}
