import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { decisionForms, readDecisionForm, type DecisionActionId } from '../../src/approvals/decision-input.js';
import { decisionModal, readDecisionSubmission, type ParsedDecision } from './blocks/decision-modals.js';
import type { MessageSource } from './blocks/modals.js';
import { decidable, decideAsSlackUser, fromHome } from './decide-as-slack-user.js';
import { refreshHome } from './publish-home.js';
import { clickTarget, reply } from './reply.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';
import type { DecisionModalId } from './slack-registry.js';

/** The request a decision button carries (its value is the request id). */
function requestIdOf(value: string): number | null {
  return /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/** The message a click came from, for the modal to answer under once submitted; null from the Home tab. */
function sourceOf(container: unknown): MessageSource | null {
  const c = container as { type?: string; channel_id?: string; message_ts?: string } | undefined;
  return c?.type === 'message' && c.channel_id && c.message_ts ? { channel: c.channel_id, ts: c.message_ts } : null;
}

/**
 * Approve, Reject, Accept and Decline, on a channel card, an offer or the Home tab. Accept asks nothing and is
 * applied at once. The others open their modal (views.open within the click's trigger) once the core has said the
 * presser may decide; anyone else gets the core's refusal, privately (under the message, or in their DM from
 * Home), and no modal. A refusal from Home means the tab was stale (decided meanwhile): it is published again.
 */
export function decisionButton(deps: SlackDeps, id: DecisionActionId): ButtonHandler {
  return async (args) => {
    await args.ack();
    const target = clickTarget(args);
    const requestId = requestIdOf(args.action.value ?? '');
    if (requestId === null) return reply(target, 'That button carries no request.');
    if (id === 'transfer.accept') return decideAsSlackUser(deps, target, requestId, readDecisionForm(id, {}));
    const check = await decidable(deps, args.body.user.id, requestId, decisionForms[id].action);
    if (!check.ok) {
      // A request found stale was cancelled by the check: the dispatcher rewrites its card.
      deps.changed();
      await reply(target, check.text);
      if (fromHome(target)) await refreshHome(deps, args.client, target.slackUserId);
      return;
    }
    await args.client.views.open({ trigger_id: args.body.trigger_id, view: decisionModal(id, check.request, sourceOf(args.body.container)) });
  };
}

type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * A decision modal submitted: the core's decision rules read what was typed. A mistake (no reason to reject, the
 * wrong ref typed) is shown on its field and the modal stays open, nothing decided; otherwise the modal closes at
 * once and the decision is applied, the outcome said privately under the card it was opened from.
 */
export function decisionSubmission(deps: SlackDeps, id: DecisionModalId) {
  return async ({ ack, view, body, client }: ViewArgs): Promise<void> => {
    let parsed: ParsedDecision;
    try {
      parsed = readDecisionSubmission(id, view);
    } catch (error) {
      await ack();
      throw error;
    }
    if (!parsed.ok) {
      await ack({ response_action: 'errors', errors: { ...parsed.errors } });
      return;
    }
    await ack();
    const { source, requestId } = parsed.subject;
    const slackUserId = body.user.id;
    const ephemeral = source === null ? undefined : (text: string) => client.chat.postEphemeral({ channel: source.channel, user: slackUserId, text });
    await decideAsSlackUser(deps, { client, slackUserId, ephemeral }, requestId, parsed.decision);
  };
}
