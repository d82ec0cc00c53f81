import type { AttestedFacts, TickOwner, TickPerson, TickTeam } from '../attestation/tick-state.js';
import { confirmAllFor } from './confirm-all.js';
import { paginate, subjectOf, type Addressee, type MessageAction, type MessageFact, type MessageKind, type MessageSection, type OutgoingMessage, type PlannedMessage } from './outgoing-message.js';

/** The item as a message shows it. */
export interface ItemRef {
  readonly id: number;
  readonly kind: 'api' | 'identity';
  readonly ref: string;
  readonly name: string;
  readonly facts: AttestedFacts;
}

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : 'not recorded');

/** The facts to confirm, in the order an owner reads them. */
export function factsOf(kind: 'api' | 'identity', facts: AttestedFacts): MessageFact[] {
  const rows: MessageFact[] = [{ label: 'Purpose', value: facts.purpose ?? 'not recorded' }];
  if (kind === 'identity') {
    rows.push({ label: 'Scopes', value: facts.scopes && facts.scopes.length > 0 ? facts.scopes.join(', ') : 'not recorded' });
    rows.push({ label: 'Expires', value: facts.expiresAt ? day(facts.expiresAt) : 'never' });
    rows.push({ label: 'Recovery', value: facts.recoveryProcedure ?? 'not recorded' });
    rows.push({ label: 'Last used', value: day(facts.lastUsedAt) });
  } else {
    rows.push({ label: 'Risk', value: `${facts.sensitivity ?? 'unclassified'} data, ${facts.exposure ?? 'unknown'} exposure` });
    rows.push({ label: 'Revocation', value: facts.revocationPath ?? 'not recorded' });
  }
  if (facts.linked.length > 0) rows.push({ label: 'Linked', value: facts.linked.join('; ') });
  return rows;
}

export function personAddressee(person: TickPerson): Addressee {
  return { kind: 'person', personId: person.id, email: person.email, displayName: person.displayName };
}

export function teamChannelAddressee(team: TickTeam): Addressee {
  return { kind: 'team_channel', teamId: team.id, team: team.slug, channel: team.channel };
}

export function securityAddressee(channel: string | null): Addressee {
  return { kind: 'security_channel', channel };
}

export function addresseeKey(addressee: Addressee): string {
  switch (addressee.kind) {
    case 'person':
      return `person:${addressee.personId}`;
    case 'team_channel':
      return `team:${addressee.teamId}`;
    case 'security_channel':
      return 'security';
    case 'webhook':
      return 'webhook';
  }
}

/** The addressee as a person reads it: an email, a team's channel (or the team), the security channel. */
export function addresseeName(addressee: Addressee): string {
  switch (addressee.kind) {
    case 'person':
      return addressee.email;
    case 'team_channel':
      return addressee.channel ?? `team ${addressee.team}`;
    case 'security_channel':
      return addressee.channel ?? 'the security channel';
    case 'webhook':
      return 'the decision webhook';
  }
}

export function attestationActions(attestationId: number): MessageAction[] {
  const value = String(attestationId);
  return [
    { id: 'attest.confirm', label: 'Confirm', value, style: 'primary' },
    { id: 'attest.update', label: 'Update…', value },
    { id: 'attest.dispute', label: 'Not mine', value },
    { id: 'attest.decommission', label: 'Decommission', value, style: 'danger' },
    { id: 'attest.snooze', label: 'Snooze…', value },
  ];
}

function section(item: ItemRef, extra: { attestationId?: number; facts?: MessageFact[]; actions?: MessageAction[] } = {}): MessageSection {
  return {
    itemId: item.id,
    itemKind: item.kind,
    itemRef: item.ref,
    itemName: item.name,
    ...(extra.attestationId === undefined ? {} : { attestationId: extra.attestationId }),
    facts: extra.facts ?? factsOf(item.kind, item.facts),
    actions: extra.actions ?? [],
  };
}

/** Splits one batch into messages of at most `itemsPerMessage` sections, numbering the pages. */
function paged(
  kind: MessageKind,
  addressee: Addressee,
  key: string,
  sections: readonly MessageSection[],
  compose: (page: MessageSection[], all: readonly MessageSection[]) => Pick<OutgoingMessage, 'title' | 'text' | 'actions'>,
): PlannedMessage[] {
  const pages = paginate(sections);
  return pages.map((page, i) => {
    const body = compose(page, sections);
    return {
      dedupeKey: `${kind}:${addresseeKey(addressee)}:${key}:${i + 1}`,
      addressee,
      subjects: page.map(subjectOf).filter((s): s is string => s !== null),
      message: { kind, ...body, sections: page, ...(pages.length > 1 ? { page: { index: i + 1, count: pages.length } } : {}) },
    };
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const idsKey = (ids: readonly number[]) => ids.join(',');

/** One newly opened attestation in a person's prompt; `leaver` is set when it came to them from a leaver. */
export interface PromptItem {
  readonly attestationId: number;
  readonly item: ItemRef;
  readonly reason: 'scheduled' | 'owner_left';
  readonly leaver?: string;
}

/** The owner's batch of newly due attestations: one message per person per tick (paged). */
export function promptMessages(person: TickPerson, items: readonly PromptItem[]): PlannedMessage[] {
  const sections = items.map(({ attestationId, item }) => section(item, { attestationId, actions: attestationActions(attestationId) }));
  const handover = items.filter((i) => i.reason === 'owner_left');
  const key = idsKey(items.map((i) => i.attestationId));
  const leavers = [...new Set(handover.map((h) => h.leaver))].filter(Boolean).join(', ');
  return paged('attestation_prompt', personAddressee(person), key, sections, (page) => ({
    title: `${plural(items.length, 'item')} to confirm`,
    text:
      (handover.length > 0 ? `${leavers} has left; you were their backup, so ${plural(handover.length, 'item')} ${handover.length === 1 ? 'is' : 'are'} now yours. ` : '') +
      `Please confirm each item below is still needed and its facts are right, or tell us what changed.`,
    actions: confirmAllFor(page),
  }));
}

/**
 * A reminder of the attestations a person has not answered. Keyed by the tick's time: the same attestations
 * are reminded about more than once (the policy's second reminder), and each reminder is its own message.
 */
export function reminderMessages(person: TickPerson, now: string, items: ReadonlyArray<{ attestationId: number; item: ItemRef; dueAt: string }>): PlannedMessage[] {
  const sections = items.map(({ attestationId, item }) => section(item, { attestationId, actions: attestationActions(attestationId) }));
  const key = `${now}:${idsKey(items.map((i) => i.attestationId))}`;
  const due = items.map((i) => i.dueAt).sort()[0];
  return paged('reminder', personAddressee(person), key, sections, (page) => ({
    title: `Reminder: ${plural(items.length, 'item')} still waiting for you`,
    text: `These are due by ${day(due)}. If they are not yours, say so with Not mine and we will find the right owner.`,
    actions: confirmAllFor(page),
  }));
}

export interface EscalatedItem {
  readonly attestationId: number;
  readonly item: ItemRef;
  readonly owner: TickOwner;
  readonly asked: TickPerson | null;
  readonly openedAt: string;
  /** True when the addressee may answer for the item (its backup): only then does the section carry buttons. */
  readonly canAnswer: boolean;
}

/** The escalation of unanswered attestations to the next rung: the backup, the team lead, a channel. */
export function escalationMessages(addressee: Addressee, level: number, items: readonly EscalatedItem[]): PlannedMessage[] {
  const sections = items.map(({ attestationId, item, asked, openedAt, canAnswer }) =>
    section(item, {
      attestationId,
      facts: [{ label: 'Waiting on', value: `${asked?.email ?? 'nobody'} since ${day(openedAt)}` }, ...factsOf(item.kind, item.facts)],
      actions: canAnswer ? attestationActions(attestationId) : [],
    }),
  );
  const key = `${level}:${idsKey(items.map((i) => i.attestationId))}`;
  const anyAnswerable = items.some((i) => i.canAnswer);
  const text =
    addressee.kind !== 'person'
      ? 'Nobody has confirmed these items are still needed. Their owner and backup have been asked; someone must take them up.'
      : anyAnswerable
        ? 'Their owner has not answered. As their backup you can answer for them, or say they are not yours.'
        : 'Their owner has not answered. Please chase them, or have the items given to someone who will.';
  return paged('escalation', addressee, key, sections, (page) => ({
    title: `Escalation: ${plural(items.length, 'item')} unanswered`,
    text,
    actions: confirmAllFor(page),
  }));
}

export interface CredentialNotice {
  readonly item: ItemRef;
  readonly what: string;
  /** Set when its owner is told: the warning carries Request rotation, which raises a rotation request in one click. */
  readonly rotation?: 'expiry_warning' | 'past_lifetime';
}

/** The value Request rotation carries: the item and why it is asked (`42:past_lifetime`). */
export function rotationValue(itemId: number, trigger: 'expiry_warning' | 'past_lifetime'): string {
  return `${itemId}:${trigger}`;
}

/** The item and trigger a Request rotation press is for, or null for a value that is none. */
export function readRotationValue(value: string): { itemId: number; trigger: 'expiry_warning' | 'past_lifetime' } | null {
  const match = /^(\d+):(expiry_warning|past_lifetime)$/.exec(value);
  return match ? { itemId: Number(match[1]), trigger: match[2] as 'expiry_warning' | 'past_lifetime' } : null;
}

/** Expiry warnings and lifetime or staleness flags for one addressee. */
export function credentialWarningMessages(addressee: Addressee, key: string, notices: readonly CredentialNotice[]): PlannedMessage[] {
  const sections = notices.map(({ item, what, rotation }) =>
    section(item, {
      facts: [{ label: 'Warning', value: what }, ...factsOf(item.kind, item.facts)],
      actions: rotation === undefined ? [] : [{ id: 'request.rotation', label: 'Request rotation', value: rotationValue(item.id, rotation) }],
    }),
  );
  return paged('credential_warning', addressee, key, sections, () => ({
    title: `${plural(notices.length, 'credential')} need${notices.length === 1 ? 's' : ''} attention`,
    text: 'Rotate, renew or retire these before they cause an outage or outlive their purpose.',
    actions: [],
  }));
}

export interface QueuedItem {
  readonly item: ItemRef;
  readonly why: string;
}

/** The security channel's standing queue: items with nobody accountable, each with a Claim button. */
export function unownedQueueMessages(channel: string | null, key: string, items: readonly QueuedItem[]): PlannedMessage[] {
  const sections = items.map(({ item, why }) =>
    section(item, { facts: [{ label: 'Why', value: why }, ...factsOf(item.kind, item.facts)], actions: [{ id: 'queue.claim', label: 'Claim', value: String(item.id), style: 'primary' }] }),
  );
  return paged('unowned_queue', securityAddressee(channel), key, sections, () => ({
    title: `${plural(items.length, 'item')} without an accountable owner`,
    text: 'Nobody is accountable for these. Claim one to become its owner, or find who should.',
    actions: [],
  }));
}

/** A team's items that have no named person: someone in the team takes each. */
export function teamQueueMessages(team: TickTeam, key: string, items: readonly QueuedItem[]): PlannedMessage[] {
  const sections = items.map(({ item, why }) =>
    section(item, { facts: [{ label: 'Why', value: why }, ...factsOf(item.kind, item.facts)], actions: [{ id: 'queue.take', label: 'Take it', value: String(item.id), style: 'primary' }] }),
  );
  return paged('team_queue', teamChannelAddressee(team), key, sections, () => ({
    title: `${plural(items.length, 'item')} owned by ${team.slug} ${items.length === 1 ? 'needs' : 'need'} a named person`,
    text: `Your team owns these, but nobody in it is named accountable. Take one to become its owner.`,
    actions: [],
  }));
}

/** Tells a team lead (or the security channel) that a leaver's items had no backup to take them. */
export function ownerLeftMessages(addressee: Addressee, leaver: TickPerson, items: readonly ItemRef[]): PlannedMessage[] {
  const sections = items.map((item) => section(item));
  return paged('owner_left', addressee, `${leaver.id}`, sections, () => ({
    title: `${leaver.email} has left: ${plural(items.length, 'item')} without an owner`,
    text: 'They were accountable for these and no backup was named. The items are in the security queue until someone claims them.',
    actions: [],
  }));
}
