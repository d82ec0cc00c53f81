import { decideApproval, delegateWork, requestApproval } from '../../src/approvals/approval-commands.js';
import type { DecisionRefusal } from '../../src/approvals/decide-decision.js';
import type { RequestRefusal } from '../../src/approvals/decide-request.js';
import type { DecisionInput } from '../../src/approvals/decision-input.js';
import type { RequestInput } from '../../src/approvals/request-input.js';
import type { Command } from '../../src/commands/grammar.js';
import { approvalRecord, renderApprovals } from '../text/render-approvals.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { resolveItem } from './resolve-item.js';
import type { CommandDeps } from './run-command.js';
import { speakerOf } from './speaker.js';

type RequestCommand = Extract<Command, { name: 'request' }>;
type DecideCommand = Extract<Command, { name: 'decide' }>;
type ApprovalsCommand = Extract<Command, { name: 'approvals' }>;
type DelegateCommand = Extract<Command, { name: 'delegate' }>;

/** A refusal: what was typed was wrong or unknown (2), or the data said no (1: not yours to decide, already decided). */
function refusalCode(code: RequestRefusal | DecisionRefusal): ExitCode {
  return code === 'bad_request' || code === 'unknown_person' || code === 'not_found' ? exitCodes.badInput : exitCodes.findings;
}

function say(deps: CommandDeps, json: boolean, result: { ok: boolean; text: string } & Record<string, unknown>): void {
  const { errors: _errors, ...shown } = result;
  if (json) deps.io.out(JSON.stringify(shown, null, 2));
  else (result.ok ? deps.io.out : deps.io.err)(result.text);
}

function requestInput(command: RequestCommand): RequestInput {
  const justification = command.reason ?? null;
  switch (command.kind) {
    case 'scope_change':
      return { kind: 'scope_change', scopes: command.scopes ?? '', justification };
    case 'rotation':
      return { kind: 'rotation', trigger: 'owner', justification };
    case 'decommission':
      return { kind: 'decommission', justification };
    case 'ownership_transfer':
      return { kind: 'ownership_transfer', to: command.to ?? '', team: command.team ?? null, justification };
    case 'exception':
      return { kind: 'exception', until: command.until ?? '', rule: command.rule ?? null, justification };
  }
}

/** `request <kind> <ref> …` and `transfer <ref> --to EMAIL`: asked as the speaker (or `--as`), posted for its approvers. */
export async function runRequest(command: RequestCommand, deps: CommandDeps): Promise<ExitCode> {
  const actor = speakerOf(deps, 'request', command.as);
  if (actor === null) return exitCodes.badInput;
  const store = await deps.openStore();
  const item = await resolveItem(store, command.ref);
  if (!item.ok) {
    deps.io.err(item.message);
    return exitCodes.badInput;
  }
  const plan = await requestApproval(store, deps.clock, deps.policy, { actor, itemId: item.id, request: requestInput(command) });
  say(deps, command.json, plan.result);
  return plan.result.ok ? exitCodes.ok : refusalCode(plan.result.code);
}

/** `decide <id> approve|reject|accept|decline`: exactly what the buttons do, as the speaker (or `--as`). */
export async function runDecide(command: DecideCommand, deps: CommandDeps): Promise<ExitCode> {
  const actor = speakerOf(deps, 'decide', command.as);
  if (actor === null) return exitCodes.badInput;
  const reason = command.reason ?? null;
  const decision: DecisionInput = command.decision === 'approve' ? { action: 'approve', reason, confirmRef: command.confirm ?? null } : { action: command.decision, reason };
  if (command.confirm !== undefined && command.decision !== 'approve') {
    deps.io.err('--confirm is for approving a decommission only.');
    return exitCodes.badInput;
  }
  const plan = await decideApproval(await deps.openStore(), deps.clock, deps.policy, { actor, requestId: command.id, decision });
  say(deps, command.json, plan.result);
  return plan.result.ok ? exitCodes.ok : refusalCode(plan.result.code);
}

/** `approvals [--pending] [--item REF]`: the requests, newest first; exit 1 when none is pending with --pending. */
export async function runApprovals(command: ApprovalsCommand, deps: CommandDeps): Promise<ExitCode> {
  const store = await deps.openStore();
  let itemId: number | undefined;
  if (command.ref !== undefined) {
    const item = await resolveItem(store, command.ref);
    if (!item.ok) {
      deps.io.err(item.message);
      return exitCodes.badInput;
    }
    itemId = item.id;
  }
  const list = await store.listApprovals({ pending: command.pending, limit: command.json ? 1000 : deps.surface === 'chat' ? 10 : 50, ...(itemId === undefined ? {} : { itemId }) });
  if (command.json) deps.io.out(JSON.stringify({ total: list.total, requests: list.requests.map(approvalRecord) }, null, 2));
  else deps.io.out(renderApprovals(list.requests, list.total, command.pending));
  return exitCodes.ok;
}

/** `delegate --to EMAIL --until DATE` or `delegate --end`. */
export async function runDelegate(command: DelegateCommand, deps: CommandDeps): Promise<ExitCode> {
  const actor = speakerOf(deps, 'delegate', command.as);
  if (actor === null) return exitCodes.badInput;
  const plan = await delegateWork(await deps.openStore(), deps.clock, deps.policy, {
    actor,
    forEmail: command.for ?? null,
    toEmail: command.to ?? null,
    delegation: command.end ? { action: 'end' } : { action: 'start', until: command.until ?? '', reason: command.reason ?? null },
  });
  say(deps, false, plan.result);
  return plan.result.ok ? exitCodes.ok : exitCodes.badInput;
}
