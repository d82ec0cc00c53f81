import { readAnswerForm } from '../../src/attestation/read-answer-form.js';
import { attestationIdsOf } from '../../src/messages/attestation-ids-of.js';
import { answerAsSlackUser } from './answer-as-slack-user.js';
import { clickTarget, reply } from './reply.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';

/** The answers a Slack button gives at once, asking nothing (Decommission's button confirms first). */
export type AnsweredAtOnce = 'attest.confirm' | 'attest.confirm_all' | 'attest.decommission';

/** Confirm, Confirm all and Decommission: answered at once with the core's answer for the action, no questions asked. */
export function answerButton(deps: SlackDeps, actionId: AnsweredAtOnce): ButtonHandler {
  return async (args) => {
    await args.ack();
    const target = clickTarget(args);
    const read = readAnswerForm(actionId, {}, { snoozeMaxDays: deps.policy.attestation.snoozeMaxDays });
    // Nothing typed, nothing to refuse: a rule that asks these forms for input would be said here, not hidden.
    if (!read.ok) return reply(target, read.errors.map((e) => e.message).join('\n'));
    await answerAsSlackUser(deps, target, attestationIdsOf(args.action.value), read.action, read.note);
  };
}
