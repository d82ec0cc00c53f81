import type { Policy } from '../policy/policy.js';
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
  return store.answerAttestations({
    now: clock.now().toISOString(),
    actor: input.actor,
    attestationIds: [...new Set(input.attestationIds)],
    decide: (state) => decideAnswer(state, input.action, input.note ?? null, policy),
  });
}
