import { answerAttestations } from '../../src/attestation/answer-attestations.js';
import type { AnswerAction } from '../../src/attestation/decide-answer.js';
import { refreshHome } from './publish-home.js';
import { reply, type ReplyTarget } from './reply.js';
import type { SlackDeps } from './slack-deps.js';
import { guestAnswer } from './slack-people.js';

/**
 * Records a Slack user's answer through the core (which checks they may give it and applies it once), then
 * says what happened, lets the dispatcher rewrite the prompts it resolved, and refreshes their Home tab. A guest's
 * answer is not recorded (a member made a guest keeps the prompts they were sent, but not the say over them).
 */
export async function answerAsSlackUser(
  deps: SlackDeps,
  target: ReplyTarget,
  attestationIds: readonly number[],
  action: AnswerAction,
  note: string | null = null,
): Promise<void> {
  const actor = await deps.people.actor(target.slackUserId);
  if (actor === null) return reply(target, guestAnswer);
  const plan = await answerAttestations(deps.store, deps.clock, deps.policy, { actor, attestationIds, action, note });
  const changed = plan.decisions.length > 0;
  if (changed) deps.changed();
  const text = plan.results.map((r) => r.text).join('\n') || 'Nothing to answer: that button carries no attestation.';
  // From Home, a recorded answer shows in the refreshed tab; only a refusal needs words.
  await reply(target, text, { fromHome: plan.results.every((r) => r.ok) ? 'skip' : 'say' });
  if (changed) await refreshHome(deps, target.client, target.slackUserId);
}
