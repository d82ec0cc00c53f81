import type { ApprovalKind } from '../approvals/approval-request.js';
import type { AttestedFacts } from '../attestation/tick-state.js';
import type { ItemSummary } from '../model/index.js';
import type { ActorKey } from '../ports/attestation-store.js';
import type { Store } from '../ports/store.js';

/** An attestation waiting for this person's answer, with the facts it shows. */
export interface PendingAttestation {
  readonly attestationId: number;
  readonly itemId: number;
  readonly kind: 'api' | 'identity';
  readonly ref: string;
  readonly name: string;
  readonly facts: AttestedFacts;
  readonly openedAt: string;
  readonly dueAt: string;
  /** True when the person is the backup, not the accountable person. */
  readonly asBackup: boolean;
}

/** A request waiting for this person's decision: as one of its approvers, or as the owner a transfer is offered to. */
export interface PendingDecision {
  readonly requestId: number;
  readonly kind: ApprovalKind;
  readonly itemKind: 'api' | 'identity';
  readonly ref: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  readonly as: 'approver' | 'proposed_owner';
}

/** "My items" (Slack App Home, `/steward mine`): what waits for me, what I own, what I back up. */
export interface MyItems {
  readonly person: { readonly email: string; readonly displayName: string | null };
  readonly pending: readonly PendingAttestation[];
  /** Requests waiting for my decision (Approve / Reject, or a transfer's Accept / Decline), oldest first. */
  readonly decisions?: readonly PendingDecision[];
  readonly owned: readonly ItemSummary[];
  readonly backing: readonly ItemSummary[];
}

/** The person's items, or null when Steward does not know them. */
export async function myItems(store: Store, actor: ActorKey): Promise<MyItems | null> {
  return store.myItems(actor);
}
