import { claimItem } from '../../src/attestation/claim-item.js';
import type { ClaimResult } from '../../src/attestation/decide-claim.js';
import { refreshHome } from './publish-home.js';
import { clickTarget, reply } from './reply.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';
import { guestAnswer } from './slack-people.js';

/** A button cannot say which team: someone in several is told how to, with the slash command. */
function explained(result: Exclude<ClaimResult, { ok: true }>): string {
  if (result.code !== 'needs_team' || result.teams.length === 0) return result.text;
  return `${result.text}\nType \`/steward claim ${result.ref} --team <team>\` to claim it for one of them.`;
}

/**
 * Claim (security queue) and Take it (a team's queue): the clicker becomes the item's accountable person if the
 * core agrees (Take it is for the team's members). The queue post is rewritten by the dispatcher; the answer is
 * shown to the clicker alone.
 */
export function claimButton(deps: SlackDeps): ButtonHandler {
  return async (args) => {
    await args.ack();
    const itemId = Number(args.action.value);
    const target = clickTarget(args);
    const { slackUserId, client } = target;
    const actor = await deps.people.actor(slackUserId);
    if (actor === null) return reply(target, guestAnswer);
    const result = await claimItem(deps.store, deps.clock, { actor, itemId, team: null });
    if (result.ok) deps.changed();
    await reply(target, result.ok ? result.text : explained(result));
    if (result.ok) await refreshHome(deps, client, slackUserId);
  };
}
