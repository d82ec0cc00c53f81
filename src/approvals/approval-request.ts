import type { TickItem, TickPerson } from '../attestation/tick-state.js';
import type { ItemKind } from '../model/vocabulary.js';

/** What can be asked for (DESIGN.md, ApprovalRequest). */
export const approvalKinds = ['scope_change', 'rotation', 'decommission', 'ownership_transfer', 'exception'] as const;
export type ApprovalKind = (typeof approvalKinds)[number];

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';

/** A transfer's handshake with the proposed owner. */
export type OfferState = 'offered' | 'accepted' | 'declined';

/** How each kind is named to people. */
export const kindWords: Readonly<Record<ApprovalKind, string>> = {
  scope_change: 'scope change',
  rotation: 'rotation',
  decommission: 'decommission',
  ownership_transfer: 'ownership transfer',
  exception: 'exception',
};

/** Where a rotation request came from: an owner asking, or one click on a warning. */
export type RotationTrigger = 'owner' | 'expiry_warning' | 'past_lifetime';

/** What an exception grants until its end date: a later due date, or a gate rule waived for the item. */
export type ExceptionGrant = { readonly what: 'extend_due' } | { readonly what: 'waive_gate'; readonly rule: string };

/** Each kind's own part of a request, stored as JSON beside it. */
export type ApprovalPayload =
  | { readonly kind: 'scope_change'; readonly scopes: readonly string[]; readonly previous: readonly string[] }
  | { readonly kind: 'rotation'; readonly trigger: RotationTrigger }
  | { readonly kind: 'decommission' }
  | {
      readonly kind: 'ownership_transfer';
      readonly toPersonId: number;
      readonly to: string;
      readonly toTeamId: number;
      readonly toTeam: string;
      readonly fromPersonId: number | null;
      readonly from: string | null;
      readonly fromTeam: string | null;
    }
  | ({ readonly kind: 'exception'; readonly until: string } & ExceptionGrant);

/** What a request is about, with what deciding it needs: the tick's view of the item, its revocation path and its approver. */
export interface ApprovalItem extends Pick<TickItem, 'id' | 'kind' | 'ref' | 'name' | 'sensitivity' | 'exposure' | 'identityKind' | 'status' | 'lifecycle' | 'scopes' | 'owner' | 'vanished'> {
  readonly revocationPath: string | null;
  readonly recoveryProcedure: string | null;
  /** The approver named on the item (its own, not the policy's default). */
  readonly approver: TickPerson | null;
}

/** Something that depends on an item, with its owner: a decommission's blast radius. */
export interface Dependent {
  readonly kind: ItemKind;
  readonly ref: string;
  readonly name: string;
  /** How it depends: `depends on it`, `is served by it`, `calls it`, `uses it`. */
  readonly how: string;
  readonly accountable: TickPerson | null;
  readonly team: string | null;
}

export interface ApprovalVote {
  readonly person: TickPerson;
  /** The approver the voter decided for, when they decided as a delegate. */
  readonly onBehalfOf: TickPerson | null;
  readonly vote: 'approve' | 'reject';
  readonly at: string;
  readonly reason: string | null;
}

/** A request as it is stored, with its item and the people it names. */
export interface StoredApproval {
  readonly id: number;
  readonly kind: ApprovalKind;
  readonly item: ApprovalItem;
  readonly requester: TickPerson;
  /** The person the requester asked for, when they asked as a delegate. */
  readonly onBehalfOf: TickPerson | null;
  readonly requestedAt: string;
  readonly justification: string | null;
  readonly payload: ApprovalPayload;
  /** A transfer's proposed owner as they are now (they may have left since). */
  readonly proposed?: TickPerson | null;
  readonly status: ApprovalStatus;
  readonly approvers: readonly TickPerson[];
  readonly needed: number;
  readonly offer: OfferState | null;
  readonly wherePosted: 'team' | 'security' | null;
  readonly policyVersion: string;
  readonly votes: readonly ApprovalVote[];
  readonly decidedAt: string | null;
  readonly decidedBy: TickPerson | null;
  readonly decisionReason: string | null;
  readonly remindersSent: number;
  readonly escalationLevel: number;
  readonly offerRemindersSent: number;
  readonly offerEscalationLevel: number;
}

/**
 * Why a pending request no longer stands, or null: its item vanished or was retired, or what it was asked against
 * changed since (a transfer's owner, a scope change's scopes), or a transfer's proposed owner left. Such a request is
 * cancelled rather than decided: approving it would apply a change nobody asked for about the item as it is now.
 */
export function staleness(request: Pick<StoredApproval, 'kind' | 'item' | 'payload' | 'proposed'>): string | null {
  const { item, payload } = request;
  const retired = item.kind === 'api' ? item.lifecycle === 'decommissioned' : item.status === 'decommissioned' || item.status === 'revoked';
  if (item.vanished) return `${item.ref} vanished from its source`;
  if (retired) return request.kind === 'decommission' ? `${item.ref} is retired already (nothing is left to decommission)` : `${item.ref} was retired`;
  if (payload.kind === 'ownership_transfer') {
    if (item.owner.accountable?.id !== (payload.fromPersonId ?? undefined))
      return `${item.ref}'s accountable person changed since it was offered (${item.owner.accountable?.email ?? 'nobody'} now)`;
    if (request.proposed !== undefined && request.proposed !== null && !request.proposed.active) return `${payload.to} has left`;
  }
  if (payload.kind === 'scope_change') {
    const now = [...item.scopes].sort().join(' ');
    if (now !== [...payload.previous].sort().join(' ')) return `${item.ref}'s scopes changed since it was asked (${item.scopes.join(' ') || 'none'} now)`;
  }
  return null;
}

/** Kinds whose approval destroys something: the approver types the item's ref to confirm. */
export function isDestructive(kind: ApprovalKind): boolean {
  return kind === 'decommission';
}

/** A request's one-line description: `#12 scope change of identity ci-deployer`. */
export function describeRequest(request: { readonly id: number; readonly kind: ApprovalKind; readonly item: { readonly kind: ItemKind; readonly ref: string } }): string {
  return `#${request.id} ${kindWords[request.kind]} of ${request.item.kind === 'api' ? 'API' : 'identity'} ${request.item.ref}`;
}

/** What a request asks, in words: the change it would make. */
export function askedChange(payload: ApprovalPayload, item: Pick<ApprovalItem, 'kind'>): string {
  switch (payload.kind) {
    case 'scope_change':
      return `scopes ${payload.previous.length > 0 ? payload.previous.join(' ') : '(none)'} → ${payload.scopes.join(' ')}`;
    case 'rotation':
      return payload.trigger === 'owner' ? 'rotate the credential' : `rotate the credential (${payload.trigger === 'expiry_warning' ? 'it expires soon' : 'it is past the policy’s lifetime'})`;
    case 'decommission':
      return item.kind === 'api' ? 'retire the API (lifecycle: decommissioned)' : 'revoke and retire the identity (status: decommissioned)';
    case 'ownership_transfer':
      return `accountable ${payload.from ?? 'nobody'}${payload.fromTeam ? ` (${payload.fromTeam})` : ''} → ${payload.to} (${payload.toTeam})`;
    case 'exception':
      return payload.what === 'extend_due' ? `next attestation due ${payload.until.slice(0, 10)} instead` : `gate rule ${payload.rule} waived until ${payload.until.slice(0, 10)}`;
  }
}
