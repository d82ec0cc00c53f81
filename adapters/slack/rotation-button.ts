import { requestApproval } from '../../src/approvals/approval-commands.js';
import { readRotationValue } from '../../src/messages/attestation-messages.js';
import { clickTarget, reply } from './reply.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';
import { guestAnswer } from './slack-people.js';

/**
 * Request rotation, on a credential warning: one click raises a rotation request for the item (the core decides who
 * may ask and who approves), answered privately with the core's words. Its button then goes from every message
 * that showed it: the dispatcher rewrites them.
 */
export function rotationButton(deps: SlackDeps): ButtonHandler {
  return async (args) => {
    await args.ack();
    const target = clickTarget(args);
    const asked = readRotationValue(args.action.value ?? '');
    if (asked === null) return reply(target, 'That button carries no item to rotate.');
    const actor = await deps.people.actor(target.slackUserId);
    if (actor === null) return reply(target, guestAnswer);
    const plan = await requestApproval(deps.store, deps.clock, deps.policy, { actor, itemId: asked.itemId, request: { kind: 'rotation', trigger: asked.trigger, justification: null } });
    if (plan.result.ok) deps.changed();
    await reply(target, plan.result.text);
  };
}
