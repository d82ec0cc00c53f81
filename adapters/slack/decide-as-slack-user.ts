import { decideApproval } from '../../src/approvals/approval-commands.js';
import type { StoredApproval } from '../../src/approvals/approval-request.js';
import { decideDecision } from '../../src/approvals/decide-decision.js';
import type { DecisionInput } from '../../src/approvals/decision-input.js';
import { recordPolicyVersion } from '../../src/evidence/record-policy-version.js';
import { refreshHome } from './publish-home.js';
import { reply, type ReplyTarget } from './reply.js';
import type { SlackDeps } from './slack-deps.js';
import { guestAnswer } from './slack-people.js';

export type Decidable = { readonly ok: true; readonly request: StoredApproval } | { readonly ok: false; readonly text: string };

/**
 * Whether the person may give this decision now (before a modal asks them why): the core's own decision, run in
 * the store's transaction on a form that passes the field rules, with nothing applied. A refusal is the core's
 * words (not an approver, their own request, already decided, not offered to them) and is kept on the item's
 * trail like any refused decision.
 */
export async function decidable(deps: SlackDeps, slackUserId: string, requestId: number, action: DecisionInput['action']): Promise<Decidable> {
  const actor = await deps.people.actor(slackUserId);
  if (actor === null) return { ok: false, text: guestAnswer };
  // Set inside the store's transaction, by the decide function.
  const found: { value: Decidable } = { value: { ok: false, text: 'There is no such request (`approvals` lists them).' } };
  const now = deps.clock.now().toISOString();
  await deps.store.decideApproval({
    now,
    policyVersion: await recordPolicyVersion(deps.store, deps.policy, now),
    actor,
    requestId,
    adminEmails: deps.policy.admins,
    decide: (state) => {
      const { request } = state;
      const probe: DecisionInput = action === 'approve' ? { action, reason: null, confirmRef: request?.item.ref ?? null } : { action, reason: 'asked in a modal' };
      const plan = decideDecision(state, probe, deps.policy);
      // A request that no longer stands is cancelled now, as any press would, rather than asking why in a form first.
      const cancelled = plan.result.ok && plan.result.status === 'cancelled';
      found.value = plan.result.ok && !cancelled && request !== null ? { ok: true, request } : { ok: false, text: plan.result.text };
      // Opening a modal decides nothing: only a refusal is kept, for the audit trail.
      return plan.result.ok && !cancelled ? { ...plan, vote: null, offer: null, close: null, change: null, resolve: [], progress: null, messages: [] } : plan;
    },
  });
  return found.value;
}

/**
 * Applies a Slack user's decision through the core (which checks they may give it and applies it once, whatever
 * the retries), says what happened to them alone (under the card, or in their DM when they decided from the Home
 * tab: the outcome says more than the request leaving Home would), lets the dispatcher rewrite the card and the
 * offer, and refreshes their Home tab, where the request no longer waits for them. A refusal from Home (decided
 * meanwhile, by someone else) refreshes it too: the tab was stale.
 */
export async function decideAsSlackUser(deps: SlackDeps, target: ReplyTarget, requestId: number, decision: DecisionInput): Promise<void> {
  const actor = await deps.people.actor(target.slackUserId);
  if (actor === null) return reply(target, guestAnswer);
  const plan = await decideApproval(deps.store, deps.clock, deps.policy, { actor, requestId, decision });
  if (plan.result.ok) deps.changed();
  await reply(target, plan.result.text);
  if (plan.result.ok || fromHome(target)) await refreshHome(deps, target.client, target.slackUserId);
}

/** Whether the person acted in the Home tab (or a modal opened from it): there is no message to answer under. */
export function fromHome(target: ReplyTarget): boolean {
  return target.ephemeral === undefined;
}
