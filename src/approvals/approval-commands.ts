import type { Policy } from '../policy/policy.js';
import { recordPolicyVersion } from '../evidence/record-policy-version.js';
import type { ActorKey } from '../ports/attestation-store.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { decideDecision, type DecisionPlan } from './decide-decision.js';
import { decideDelegation, type DelegationInput, type DelegationPlan } from './decide-delegation.js';
import { decideRequest, type RequestPlan } from './decide-request.js';
import type { DecisionInput } from './decision-input.js';
import type { RequestInput } from './request-input.js';

/** Asks for a change to an item (`request`, `transfer`, a warning's Request rotation): decided and written at once. */
export async function requestApproval(store: Store, clock: Clock, policy: Policy, input: { readonly actor: ActorKey; readonly itemId: number | null; readonly request: RequestInput }): Promise<RequestPlan> {
  const now = clock.now().toISOString();
  return store.requestApproval({
    now,
    policyVersion: await recordPolicyVersion(store, policy, now),
    actor: input.actor,
    itemId: input.itemId,
    proposedEmail: input.request.kind === 'ownership_transfer' ? input.request.to : null,
    adminEmails: policy.admins,
    decide: (state) => decideRequest(state, input.request, policy),
  });
}

/** Approve, Reject, Accept or Decline (a button, a form, `decide`): applied exactly once. */
export async function decideApproval(store: Store, clock: Clock, policy: Policy, input: { readonly actor: ActorKey; readonly requestId: number; readonly decision: DecisionInput }): Promise<DecisionPlan> {
  const now = clock.now().toISOString();
  return store.decideApproval({
    now,
    policyVersion: await recordPolicyVersion(store, policy, now),
    actor: input.actor,
    requestId: input.requestId,
    adminEmails: policy.admins,
    decide: (state) => decideDecision(state, input.decision, policy),
  });
}

/** `delegate --to EMAIL --until DATE` (or `--end`): out of office, resolved when each message is sent or decided. */
export async function delegateWork(
  store: Store,
  clock: Clock,
  policy: Policy,
  input: { readonly actor: ActorKey; readonly forEmail: string | null; readonly toEmail: string | null; readonly delegation: DelegationInput },
): Promise<DelegationPlan> {
  const named = { forEmail: input.forEmail, toEmail: input.toEmail };
  return store.delegate({ now: clock.now().toISOString(), actor: input.actor, ...named, adminEmails: policy.admins, decide: (state) => decideDelegation(state, input.delegation, policy, named) });
}
