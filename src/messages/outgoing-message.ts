import { recountConfirmAll } from './confirm-all.js';

/**
 * The platform-neutral messages the core sends. Each chat adapter renders them (Block Kit, Adaptive Cards,
 * plain text on the console); none of them decides what is said.
 */

/** Who a message is for. Adapters resolve people to DMs and the logical channels to their configured ids. */
export type Addressee =
  | { readonly kind: 'person'; readonly personId: number; readonly email: string; readonly displayName: string | null }
  | { readonly kind: 'team_channel'; readonly teamId: number; readonly team: string; readonly channel: string | null }
  | { readonly kind: 'security_channel'; readonly channel: string | null };

export type MessageKind =
  | 'attestation_prompt'
  | 'reminder'
  | 'escalation'
  | 'credential_warning'
  | 'unowned_queue'
  | 'team_queue'
  | 'owner_left'
  | 'answer_receipt';

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
] as const;
export type ActionId = (typeof actionIds)[number];

export interface MessageAction {
  readonly id: ActionId;
  readonly label: string;
  /** What the action is about: an attestation id, a comma-separated list of them, or an item id. */
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
