import type { DigestView } from '../digest/digest-view.js';
import { recountConfirmAll } from './confirm-all.js';

/**
 * The platform-neutral messages the core sends. Each chat adapter renders them (Block Kit, Adaptive Cards,
 * plain text on the console); none of them decides what is said.
 */

/** Who a message is for. Adapters resolve people to DMs and the logical channels to their configured ids. */
export type Addressee =
  | { readonly kind: 'person'; readonly personId: number; readonly email: string; readonly displayName: string | null }
  | { readonly kind: 'team_channel'; readonly teamId: number; readonly team: string; readonly channel: string | null }
  /** `digestChannel`: the policy's `digest.channel`, which a digest goes to first, before the platform's own security channel. */
  | { readonly kind: 'security_channel'; readonly channel: string | null; readonly digestChannel?: string }
  /** The decision webhook (STEWARD_WEBHOOK_URL): machines, not people, read these; only a webhook surface takes them. */
  | { readonly kind: 'webhook' };

export type MessageKind =
  | 'attestation_prompt'
  | 'reminder'
  | 'escalation'
  | 'credential_warning'
  | 'unowned_queue'
  | 'team_queue'
  | 'owner_left'
  | 'answer_receipt'
  /** A request for approval, posted in the owning team's channel (or the security channel) for its approvers. */
  | 'approval_request'
  /** A pending request's reminder or escalation, to an approver or the next rung of the approvals ladder. */
  | 'approval_reminder'
  /** The requester told privately how their request ended. */
  | 'approval_receipt'
  /** Owners of what depends on an item told of a request that affects them (a decommission's blast radius). */
  | 'approval_notice'
  /** An ownership transfer offered to the proposed owner, with Accept and Decline. */
  | 'transfer_offer'
  /** A decision, as JSON for the decision webhook. */
  | 'approval_decision'
  /** The security leads' (or a team's) digest: figures with their changes, and a chart of the last twelve. */
  | 'digest';

/** Action ids are stable: adapters route clicks by them, and the Slack manifest lists them. */
export const actionIds = [
  'attest.confirm',
  'attest.update',
  'attest.dispute',
  'attest.decommission',
  'attest.snooze',
  'attest.confirm_all',
  'queue.claim',
  'queue.take',
  'approval.approve',
  'approval.reject',
  'transfer.accept',
  'transfer.decline',
  'request.rotation',
] as const;
export type ActionId = (typeof actionIds)[number];

export interface MessageAction {
  readonly id: ActionId;
  readonly label: string;
  /** What the action is about: an attestation id, a comma-separated list of them, an item id, or a request id (approval.*, transfer.*). */
  readonly value: string;
  readonly style?: 'primary' | 'danger';
}

export interface MessageFact {
  readonly label: string;
  readonly value: string;
}

/** One item in a message, with the facts to confirm and what can be done about it. */
export interface MessageSection {
  readonly itemId: number;
  readonly itemKind: 'api' | 'identity';
  readonly itemRef: string;
  readonly itemName: string;
  readonly attestationId?: number;
  /** The approval request this section asks about (its Approve / Reject, or a transfer's Accept / Decline). */
  readonly approvalId?: number;
  readonly facts: readonly MessageFact[];
  readonly actions: readonly MessageAction[];
  /** Set once the item is resolved: the outcome, shown instead of the actions so no live button remains. */
  readonly resolved?: string;
}

export interface OutgoingMessage {
  readonly kind: MessageKind;
  readonly title: string;
  /** One or two sentences: what this is and what is asked. Plain text; adapters may format it. */
  readonly text: string;
  readonly sections: readonly MessageSection[];
  /** Actions on the whole message (Confirm all). */
  readonly actions: readonly MessageAction[];
  /** Page n of m, when one batch did not fit in one message. */
  readonly page?: { readonly index: number; readonly count: number };
  /** People the message names for a channel to notice (an approval's approvers): each platform mentions them its way. */
  readonly mentions?: ReadonlyArray<{ readonly personId: number; readonly email: string; readonly displayName: string | null }>;
  /** The machine-readable form, for the decision webhook (`approval_decision`): POSTed as JSON, never shown. */
  readonly event?: Readonly<Record<string, unknown>>;
  /** A digest's figures and chart (`digest` messages): each platform lays them out and renders the chart as an image. */
  readonly digest?: DigestView;
}

/** A message the core wants sent, with a key that makes queueing it twice a no-op. */
export interface PlannedMessage {
  readonly dedupeKey: string;
  readonly addressee: Addressee;
  readonly message: OutgoingMessage;
  /** What this message asks about (`attestation:<id>`, `queue:<item id>`), so resolving one can update it. */
  readonly subjects: readonly string[];
}

/** The subject a section stands for: its attestation, or the item's place in a queue. */
export function subjectOf(section: MessageSection): string | null {
  if (section.attestationId !== undefined) return `attestation:${section.attestationId}`;
  if (section.approvalId !== undefined) return section.actions.some((a) => a.id.startsWith('transfer.')) ? `offer:${section.approvalId}` : `approval:${section.approvalId}`;
  if (section.actions.some((a) => a.id === 'request.rotation')) return `rotation:${section.itemId}`;
  return section.actions.some((a) => a.id === 'queue.claim' || a.id === 'queue.take') ? `queue:${section.itemId}` : null;
}

/** Items per message: a prompt with more is split into pages (adapters may split further for their limits). */
export const itemsPerMessage = 10;

export function paginate<T>(items: readonly T[], size = itemsPerMessage): T[][] {
  const pages: T[][] = [];
  for (let i = 0; i < items.length; i += size) pages.push(items.slice(i, i + size));
  return pages;
}

/**
 * The same message with the section for `subject` marked resolved: its actions go, the outcome shows. A
 * message-wide Confirm all then covers only the attestations still open, and goes when fewer than two remain.
 */
export function withResolved(message: OutgoingMessage, subject: string, outcome: string): OutgoingMessage {
  const sections = message.sections.map((s) => (subjectOf(s) === subject ? { ...s, actions: [], resolved: outcome } : s));
  const stillOpen = sections.some((s) => s.resolved === undefined && s.actions.length > 0);
  const actions = stillOpen ? recountConfirmAll(message.actions, sections) : [];
  return { ...message, sections, actions };
}
