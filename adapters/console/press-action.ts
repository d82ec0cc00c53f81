import { answerAttestations } from '../../src/attestation/answer-attestations.js';
import { claimItem } from '../../src/attestation/claim-item.js';
import type { AnswerAction } from '../../src/attestation/decide-answer.js';
import { didYouMean } from '../../src/commands/did-you-mean.js';
import type { Command } from '../../src/commands/grammar.js';
import { normaliseIsoTime } from '../../src/inventory/iso-time.js';
import type { ActionId } from '../../src/messages/outgoing-message.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { detectSecret } from '../../src/secrets/detect-secret.js';
import type { PressableAction } from './console-chat.js';

export type PressCommand = Extract<Command, { name: 'press' }>;
type PressOption = 'note' | 'reason' | 'owner' | 'days' | 'team' | 'set';

export interface PressContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  /** The email of the person pressing. */
  readonly actor: string;
}

/** What each action takes, and what it cannot do without. */
const takes: Record<ActionId, { readonly options: readonly PressOption[]; readonly needs: readonly PressOption[]; readonly example?: string }> = {
  'attest.confirm': { options: ['note'], needs: [] },
  'attest.confirm_all': { options: ['note'], needs: [] },
  'attest.update': { options: ['set', 'note'], needs: ['set'], example: '--set purpose="Nightly settlement exports"' },
  'attest.dispute': { options: ['reason', 'owner', 'note'], needs: [] },
  'attest.decommission': { options: ['reason', 'note'], needs: [] },
  'attest.snooze': { options: ['days', 'reason', 'note'], needs: ['days', 'reason'], example: '--days 14 --reason "waiting for the vendor"' },
  'queue.claim': { options: ['team'], needs: [] },
  'queue.take': { options: [], needs: [] },
};

/** The facts Update can correct, by the names a person types (the core's own names work too). */
const factNames: Readonly<Record<string, string>> = {
  purpose: 'purpose',
  scopes: 'scopes',
  expires: 'expiresAt',
  expires_at: 'expiresAt',
  expiresat: 'expiresAt',
  recovery: 'recoveryProcedure',
  recovery_procedure: 'recoveryProcedure',
  recoveryprocedure: 'recoveryProcedure',
  revocation: 'revocationPath',
  revocation_path: 'revocationPath',
  revocationpath: 'revocationPath',
};

function given(command: PressCommand, option: PressOption): boolean {
  return option === 'set' ? Object.keys(command.set).length > 0 : command[option] !== undefined;
}

const flags = (options: readonly PressOption[]) => options.map((o) => `--${o}`).join(', ');

/**
 * The facts to record for Update, or what is wrong with them. A value that looks like a secret goes on as typed,
 * never repeated here: the answer rules refuse it in their own words, wherever it was typed.
 */
function changesOf(set: Readonly<Record<string, string>>): Record<string, string> | string {
  const changes: Record<string, string> = {};
  for (const [name, value] of Object.entries(set)) {
    const field = factNames[name.toLowerCase().replaceAll('-', '_')];
    if (field === undefined) return `Update can correct purpose, scopes, expires, recovery and revocation, not "${name}"${didYouMean(name, Object.keys(factNames))}.`;
    if (field === 'expiresAt' && detectSecret('answer', value) === null) {
      const iso = normaliseIsoTime(value.trim());
      if (iso === null) return `--set expires takes a date (2027-06-30), not "${value}".`;
      changes[field] = iso;
    } else changes[field] = value;
  }
  return changes;
}

function answerOf(action: PressableAction, command: PressCommand): AnswerAction | string {
  switch (action.id) {
    case 'attest.confirm':
    case 'attest.confirm_all':
      return { type: 'confirm' };
    case 'attest.update': {
      const changes = changesOf(command.set);
      return typeof changes === 'string' ? changes : { type: 'update', changes };
    }
    case 'attest.dispute':
      return { type: 'dispute', reason: command.reason ?? null, suggestedOwner: command.owner ?? null };
    case 'attest.decommission':
      return { type: 'decommission', reason: command.reason ?? null };
    case 'attest.snooze':
      return { type: 'snooze', days: command.days ?? 0, reason: command.reason ?? '' };
    case 'queue.claim':
    case 'queue.take':
      throw new Error(`${action.id} is not an answer`);
  }
}

/**
 * `press <n>`: what a click on that button does in Slack, as the person the console acts as: an answer to one
 * or more attestations, or a claim from a queue. Returns the lines to print: the core's own words for what was
 * recorded or refused, or what the press is missing.
 */
export async function pressAction(action: PressableAction, command: PressCommand, context: PressContext): Promise<string[]> {
  const spec = takes[action.id];
  const extra = (['note', 'reason', 'owner', 'days', 'team', 'set'] as const).filter((o) => given(command, o) && !spec.options.includes(o));
  if (extra.length > 0)
    return [`${action.label} takes ${spec.options.length === 0 ? 'no options' : flags(spec.options)}; ${flags(extra)} ${extra.length === 1 ? 'is' : 'are'} for other actions.`];
  const missing = spec.needs.filter((o) => !given(command, o));
  if (missing.length > 0) return [`${action.label} needs ${flags(missing)}, e.g. press ${command.number} ${spec.example ?? ''}`.trimEnd()];

  const actor = { email: context.actor };
  if (action.id === 'queue.claim' || action.id === 'queue.take') {
    const result = await claimItem(context.store, context.clock, { actor, itemId: Number(action.value), team: command.team ?? null });
    return [result.text];
  }
  const answer = answerOf(action, command);
  if (typeof answer === 'string') return [answer];
  const plan = await answerAttestations(context.store, context.clock, context.policy, {
    actor,
    attestationIds: action.value.split(',').map(Number),
    action: answer,
    ...(command.note === undefined ? {} : { note: command.note }),
  });
  return plan.results.map((result) => result.text);
}
