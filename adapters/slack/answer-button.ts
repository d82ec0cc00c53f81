import type { AnswerAction } from '../../src/attestation/decide-answer.js';
import { answerAsSlackUser } from './answer-as-slack-user.js';
import { clickTarget } from './reply.js';
import { attestationIdsOf, type ButtonHandler, type SlackDeps } from './slack-deps.js';

/** Confirm, Confirm all and Decommission: answered at once, no questions asked (Decommission's button confirms first). */
export function answerButton(deps: SlackDeps, action: AnswerAction): ButtonHandler {
  return async (args) => {
    await args.ack();
    await answerAsSlackUser(deps, clickTarget(args), attestationIdsOf(args.action.value), action);
  };
}
