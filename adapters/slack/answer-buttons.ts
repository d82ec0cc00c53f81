import { answerAttestations } from '../../src/attestation/answer-attestations.js';
import type { AnswerAction, AnswerPlan } from '../../src/attestation/decide-answer.js';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import { publishHome } from './home.js';
import { clickTarget, reply, type ReplyTarget } from './reply.js';
import { attestationIdsOf, type ButtonHandler, type SlackDeps } from './slack-deps.js';

const unknownPerson = (plan: AnswerPlan) => plan.results.length > 0 && plan.results.every((r) => !r.ok && r.code === 'unknown_person');

/**
 * Records a Slack user's answer through the core (which checks they may give it and applies it once), then
 * says what happened, lets the dispatcher rewrite the prompts it resolved, and refreshes their Home tab.
 */
export async function answerAsSlackUser(
  deps: SlackDeps,
  target: ReplyTarget,
  attestationIds: readonly number[],
  action: AnswerAction,
  note: string | null = null,
): Promise<AnswerPlan> {
  const answer = (actor: ActorKey) => answerAttestations(deps.store, deps.clock, deps.policy, { actor, attestationIds, action, note });
  const plan = await deps.people.as(target.slackUserId, answer, unknownPerson);
  const changed = plan.decisions.length > 0;
  if (changed) deps.changed();
  const text = plan.results.map((r) => r.text).join('\n') || 'Nothing to answer: that button carries no attestation.';
  // From Home, a recorded answer shows in the refreshed tab; only a refusal needs words.
  await reply(target, text, { fromHome: plan.results.every((r) => r.ok) ? 'skip' : 'say' });
  if (changed) await publishHome(deps, target.client, target.slackUserId);
  return plan;
}

/** Confirm, Confirm all and Decommission: answered at once, no questions asked (Decommission's button confirms first). */
export function answerButton(deps: SlackDeps, action: AnswerAction): ButtonHandler {
  return async (args) => {
    await args.ack();
    await answerAsSlackUser(deps, clickTarget(args), attestationIdsOf(args.action.value), action);
  };
}
