import { decideApproval, requestApproval } from '../../src/approvals/approval-commands.js';
import { isDecisionActionId, readDecisionForm, type DecisionActionId } from '../../src/approvals/decision-input.js';
import { answerAttestations } from '../../src/attestation/answer-attestations.js';
import { readRotationValue } from '../../src/messages/attestation-messages.js';
import type { EditableFact } from '../../src/attestation/answer-action.js';
import type { AnswerField, FieldError } from '../../src/attestation/answer-fields.js';
import { answerForms, isAnswerActionId, type AnswerActionId, type AnswerForm } from '../../src/attestation/answer-forms.js';
import { claimItem } from '../../src/attestation/claim-item.js';
import { readAnswerForm } from '../../src/attestation/read-answer-form.js';
import { didYouMean } from '../../src/commands/did-you-mean.js';
import type { Command } from '../../src/commands/grammar.js';
import { attestationIdsOf } from '../../src/messages/attestation-ids-of.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import type { PressableAction } from './console-chat.js';

export type PressCommand = Extract<Command, { name: 'press' }>;
type PressOption = 'note' | 'reason' | 'owner' | 'days' | 'team' | 'set' | 'confirm';
const pressOptions: readonly PressOption[] = ['note', 'reason', 'owner', 'days', 'team', 'set', 'confirm'];

export interface PressContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  /** The email of the person pressing. */
  readonly actor: string;
}

/** The option each of the core's answer fields is typed with on the console. */
const optionOf: Readonly<Record<AnswerField, Exclude<PressOption, 'team'>>> = {
  confirmRef: 'confirm',
  until: 'set',
  rule: 'set',
  note: 'note',
  reason: 'reason',
  suggestedOwner: 'owner',
  days: 'days',
  purpose: 'set',
  scopes: 'set',
  expiresAt: 'set',
  recoveryProcedure: 'set',
  revocationPath: 'set',
};

/** The facts Update can correct, by the names a person types after `--set` (the core's own names work too). */
const factNames: Readonly<Record<string, EditableFact>> = {
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

/** How a fact is named back to the person: the short name they type. */
const typedFact: Readonly<Record<EditableFact, string>> = { purpose: 'purpose', scopes: 'scopes', expiresAt: 'expires', recoveryProcedure: 'recovery', revocationPath: 'revocation' };

/** What a press of each action looks like, for the line that says what is missing. */
const examples: Partial<Record<AnswerActionId, string>> = {
  'attest.update': '--set purpose="Nightly settlement exports"',
  'attest.snooze': '--days 14 --reason "waiting for the vendor"',
};

/** A queue's buttons are no answers: Claim takes the team that will own the item, Take it nothing. */
const queueOptions: Readonly<Record<'queue.claim' | 'queue.take', readonly PressOption[]>> = { 'queue.claim': ['team'], 'queue.take': [] };

/** Approve takes a reason and, for a decommission, the item's ref typed with --confirm; the others a reason. */
const decisionOptions: Readonly<Record<DecisionActionId, readonly PressOption[]>> = {
  'approval.approve': ['reason', 'confirm'],
  'approval.reject': ['reason'],
  'transfer.accept': ['reason'],
  'transfer.decline': ['reason'],
};

function given(command: PressCommand, option: PressOption): boolean {
  return option === 'set' ? Object.keys(command.set).length > 0 : command[option] !== undefined;
}

const flags = (options: readonly PressOption[]) => options.map((o) => `--${o}`).join(', ');

/** The options given that this action does not take, said as the console says it; null when there are none. */
function extraOptions(label: string, command: PressCommand, takes: readonly PressOption[]): string | null {
  const extra = pressOptions.filter((o) => given(command, o) && !takes.includes(o));
  if (extra.length === 0) return null;
  return `${label} takes ${takes.length === 0 ? 'no options' : flags(takes)}; ${flags(extra)} ${extra.length === 1 ? 'is' : 'are'} for other actions.`;
}

/** The facts typed after `--set`, by the core's names, or what name is not one. The values go to the core as typed. */
function factsOf(set: Readonly<Record<string, string>>): Partial<Record<EditableFact, string>> | string {
  const facts: Partial<Record<EditableFact, string>> = {};
  for (const [name, value] of Object.entries(set)) {
    const field = factNames[name.toLowerCase().replaceAll('-', '_')];
    if (field === undefined) return `Update can correct purpose, scopes, expires, recovery and revocation, not "${name}"${didYouMean(name, Object.keys(factNames))}.`;
    facts[field] = value;
  }
  return facts;
}

/** The core's field errors as console lines: what is missing as one line with an example, then each other error on its option. */
function errorLines(action: PressableAction & { id: AnswerActionId }, command: PressCommand, errors: readonly FieldError[]): string[] {
  const missing = [...new Set(errors.filter((e) => e.code === 'required').map((e) => optionOf[e.field]))];
  const needs = missing.length === 0 ? [] : [`${action.label} needs ${flags(missing)}, e.g. press ${command.number} ${examples[action.id] ?? ''}`.trimEnd()];
  const where = (field: AnswerField) => (optionOf[field] === 'set' ? `--set ${typedFact[field as EditableFact]}` : `--${optionOf[field]}`);
  return [...needs, ...errors.filter((e) => e.code !== 'required').map((e) => `${where(e.field)}: ${e.message}`)];
}

/**
 * `press <n>`: what a click on that button does in Slack, as the person the console acts as: an answer to one
 * or more attestations, or a claim from a queue. The console only collects the options: the core's answer
 * form reads them and says what is wrong with them, as it does for a Slack modal. Returns the lines to print:
 * the core's own words for what was recorded or refused, or what the press is missing.
 */
export async function pressAction(action: PressableAction, command: PressCommand, context: PressContext): Promise<string[]> {
  const actor = { email: context.actor };
  if (isDecisionActionId(action.id)) {
    const extra = extraOptions(action.label, command, decisionOptions[action.id]);
    if (extra !== null) return [extra];
    const decision = readDecisionForm(action.id, { reason: command.reason ?? null, confirmRef: command.confirm ?? null });
    const plan = await decideApproval(context.store, context.clock, context.policy, { actor, requestId: Number(action.value), decision });
    // A missing field is said with the option that gives it, as an answer's is.
    const errors = plan.result.ok ? [] : (plan.result.errors ?? []);
    if (errors.some((e) => e.code === 'required')) return errors.map((e) => `${action.label} needs --${optionOf[e.field]}: ${e.message} e.g. press ${command.number} --${optionOf[e.field]} ${e.field === 'confirmRef' ? '<ref>' : '"…"'}`);
    return [plan.result.text];
  }
  if (action.id === 'request.rotation') {
    const extra = extraOptions(action.label, command, ['reason']);
    if (extra !== null) return [extra];
    const target = readRotationValue(action.value);
    if (target === null) return ['That button carries no item.'];
    const plan = await requestApproval(context.store, context.clock, context.policy, { actor, itemId: target.itemId, request: { kind: 'rotation', trigger: target.trigger, justification: command.reason ?? null } });
    return [plan.result.text];
  }
  if (!isAnswerActionId(action.id)) {
    const extra = extraOptions(action.label, command, queueOptions[action.id]);
    if (extra !== null) return [extra];
    const result = await claimItem(context.store, context.clock, { actor, itemId: Number(action.value), team: command.team ?? null });
    return [result.text];
  }
  const id = action.id;
  const form: AnswerForm = answerForms[id];
  const extra = extraOptions(action.label, command, [...new Set(form.fields.map((field) => optionOf[field]))]);
  if (extra !== null) return [extra];
  const facts = factsOf(command.set);
  if (typeof facts === 'string') return [facts];
  const read = readAnswerForm(
    id,
    { note: command.note, reason: command.reason, suggestedOwner: command.owner, days: command.days === undefined ? undefined : String(command.days), ...facts },
    { snoozeMaxDays: context.policy.attestation.snoozeMaxDays },
  );
  if (!read.ok) return errorLines({ ...action, id }, command, read.errors);
  const plan = await answerAttestations(context.store, context.clock, context.policy, { actor, attestationIds: attestationIdsOf(action.value), action: read.action, note: read.note });
  return plan.results.map((result) => result.text);
}
