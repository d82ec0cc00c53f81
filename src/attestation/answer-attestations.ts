import type { Policy } from '../policy/policy.js';
import { recordPolicyVersion } from '../evidence/record-policy-version.js';
import type { ActorKey } from '../ports/attestation-store.js';
import type { Clock } from '../ports/clock.js';
import type { Store } from '../ports/store.js';
import { decideAnswer, type AnswerAction, type AnswerPlan } from './decide-answer.js';

export interface AnswerInput {
  readonly actor: ActorKey;
  readonly attestationIds: readonly number[];
  readonly action: AnswerAction;
  readonly note?: string | null;
}

/** An owner's answer to one or more attestations (a button, Confirm all, `steward attest`), applied exactly once. */
export async function answerAttestations(store: Store, clock: Clock, policy: Policy, input: AnswerInput): Promise<AnswerPlan> {
  const { action } = input;
  const now = clock.now().toISOString();
  // The answers that raise an approval request: the store reads what deciding it needs in the same transaction.
  const raises =
    action.type === 'decommission' || (action.type === 'dispute' && action.suggestedOwner !== null) || (action.type === 'update' && action.changes['scopes'] !== undefined)
      ? { raises: { proposedEmail: action.type === 'dispute' ? action.suggestedOwner : null, adminEmails: policy.admins, policyVersion: await recordPolicyVersion(store, policy, now) } }
      : {};
  return store.answerAttestations({
    now,
    actor: input.actor,
    attestationIds: [...new Set(input.attestationIds)],
    ...raises,
    decide: (state) => decideAnswer(state, action, input.note ?? null, policy),
  });
}
