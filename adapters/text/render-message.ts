import { renderDigest } from './render-digest.js';
import type { Addressee, MessageAction, MessageKind, MessageSection, OutgoingMessage } from '../../src/messages/outgoing-message.js';

/** Whom a message is for, as the console shows it: a direct message to a person, or a channel. */
export function renderAddressee(addressee: Addressee): string {
  switch (addressee.kind) {
    case 'person':
      return addressee.displayName ? `${addressee.displayName} <${addressee.email}>` : addressee.email;
    case 'team_channel':
      return addressee.channel ? `${addressee.channel} (team ${addressee.team})` : `team ${addressee.team}'s channel (none set)`;
    case 'security_channel':
      return addressee.channel ? `${addressee.channel} (the security channel)` : 'the security channel';
    case 'webhook':
      return 'the decision webhook';
  }
}

export interface RenderOptions {
  /** The number the user presses for this action (the console remembers what it stands for). */
  numberOf(action: MessageAction): number;
  /** True when this re-renders a message shown before (an item in it was resolved): sections are shown briefly. */
  readonly update: boolean;
  /**
   * Only the facts that make each kind of message what it is (a warning's warning, a queue entry's why): on a
   * terminal that shows everyone's messages, repeating every fact in every reminder buries the news. The prompt
   * itself always shows every fact, as the owner confirms them.
   */
  readonly brief?: boolean;
}

const briefFacts: Readonly<Record<MessageKind, readonly string[] | 'all'>> = {
  attestation_prompt: 'all',
  reminder: [],
  escalation: ['Waiting on'],
  credential_warning: ['Warning'],
  unowned_queue: ['Why', 'Purpose'],
  team_queue: ['Why', 'Purpose'],
  owner_left: ['Purpose'],
  answer_receipt: 'all',
  approval_request: 'all',
  approval_reminder: ['Asked', 'Waiting since'],
  approval_receipt: 'all',
  approval_notice: ['Request', 'Affects'],
  transfer_offer: 'all',
  approval_decision: 'all',
  digest: 'all',
};

const rule = '─'.repeat(3);

function renderActions(actions: readonly MessageAction[], options: RenderOptions): string {
  return actions.map((action) => `[${options.numberOf(action)}] ${action.label}`).join('   ');
}

function renderSection(section: MessageSection, kind: MessageKind, options: RenderOptions): string[] {
  const heading = `${section.itemRef} (${section.itemKind === 'api' ? 'API' : 'identity'})${section.itemName !== section.itemRef ? ` — ${section.itemName}` : ''}`;
  if (section.resolved !== undefined) return [`  ${heading}`, `    ✓ ${section.resolved}`];
  const actions = section.actions.length > 0 ? [`    ${renderActions(section.actions, options)}`] : [];
  if (options.update) return [`  ${heading}`, ...actions];
  const wanted = options.brief ? briefFacts[kind] : 'all';
  const facts = wanted === 'all' ? section.facts : section.facts.filter((f) => wanted.includes(f.label));
  const width = Math.max(0, ...facts.map((f) => f.label.length));
  return [`  ${heading}`, ...facts.map((f) => `    ${f.label.padEnd(width)}  ${f.value}`), ...actions];
}

/**
 * A platform-neutral message as plain text for the console: who it is for, its title and text, each item with
 * its facts, and every action numbered for `press`. A resolved item shows its outcome instead of actions.
 */
export function renderMessage(message: OutgoingMessage, addressee: Addressee, options: RenderOptions): string {
  const page = message.page ? ` (page ${message.page.index} of ${message.page.count})` : '';
  const lines = [`${rule} ${options.update ? 'Updated message to' : 'To'} ${renderAddressee(addressee)} ${rule}`, `${message.title}${page}`];
  if (!options.update) lines.push(message.text);
  if (message.digest !== undefined && !options.update) lines.push(...renderDigest(message.digest));
  for (const section of message.sections) lines.push('', ...renderSection(section, message.kind, options));
  if (message.actions.length > 0) lines.push('', `  ${renderActions(message.actions, options)}`);
  return lines.join('\n');
}

/** Whether a message still has something to press. */
export function hasLiveActions(message: OutgoingMessage): boolean {
  return message.actions.length > 0 || message.sections.some((s) => s.resolved === undefined && s.actions.length > 0);
}
