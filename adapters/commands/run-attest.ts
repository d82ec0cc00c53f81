import { answerAttestations } from '../../src/attestation/answer-attestations.js';
import type { AnswerResult } from '../../src/attestation/decide-answer.js';
import type { Command } from '../../src/commands/grammar.js';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import { formatMinute } from '../text/render-tick.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { resolveItem } from './resolve-item.js';
import type { CommandDeps } from './run-command.js';

export type AttestCommand = Extract<Command, { name: 'attest' }>;

/** A refusal the core words: the data said no (1), or the request itself was wrong (2). */
export function refusalExitCode(result: Extract<AnswerResult, { ok: false }>): ExitCode {
  switch (result.code) {
    case 'not_owner':
    case 'already_closed':
    case 'not_found':
      return exitCodes.findings;
    case 'unknown_person':
    case 'bad_request':
      return exitCodes.badInput;
  }
}

/**
 * `attest <ref>`: confirms the item's open attestation (the facts as shown) as `actor` (the person `--as` names, or
 * the one speaking in chat and on the console), exactly as the Confirm button does. Exit 0 when recorded; 1 when
 * there is nothing open to answer, or the core refuses (not theirs to answer, already answered); 2 for an unknown
 * item or person, or a secret in the note.
 *
 * The answer is recorded at the clock's time, the time it is given. When the item's history already reaches
 * later (a `tick --at` ran ahead of the clock and asked then), it is refused, exit 1: recorded, it would come
 * before the question it answers, and the history would run backwards.
 */
export async function runAttest(command: AttestCommand, deps: CommandDeps, actor: ActorKey): Promise<ExitCode> {
  const { io } = deps;
  const store = await deps.openStore();
  const item = await resolveItem(store, command.ref);
  if (!item.ok) {
    io.err(item.message);
    return exitCodes.badInput;
  }
  const open = await store.openAttestationOf(item.kind, item.ref);
  if (open.id === null) {
    const now = deps.clock.now().toISOString();
    io.err(
      open.nextAt === null
        ? `${item.ref} has no open attestation to answer, and none is scheduled (it may be waiting in a queue for an owner, or retired).`
        : open.nextAt <= now
          ? `${item.ref} has no open attestation yet: one is due since ${open.nextAt.slice(0, 10)}, and the next tick opens it.`
          : `${item.ref} has no open attestation to answer; the next one is due on ${open.nextAt.slice(0, 10)}.`,
    );
    return exitCodes.findings;
  }
  const now = deps.clock.now();
  const reached = (await store.itemAuditTrail(item.kind, item.ref, 1))?.events.at(-1)?.at;
  if (reached !== undefined && Date.parse(reached) > now.getTime()) {
    const until = formatMinute(reached);
    io.err(
      `${item.ref}'s history already reaches ${until}, and it is ${formatMinute(now.toISOString())}: a tick ran ahead of the clock (tick --at). ` +
        'Steward records an answer at the time it is given, and this one would come before what it answers, so nothing was recorded. ' +
        `Answer it from ${until} on, or play the loop on the console, whose clock moves with tick --at.`,
    );
    return exitCodes.findings;
  }
  const plan = await answerAttestations(store, deps.clock, deps.policy, {
    actor,
    attestationIds: [open.id],
    action: { type: 'confirm' },
    ...(command.note === undefined ? {} : { note: command.note }),
  });
  let code: ExitCode = exitCodes.ok;
  for (const result of plan.results) {
    if (result.ok) io.out(result.text);
    else {
      io.err(result.text);
      code = Math.max(code, refusalExitCode(result));
    }
  }
  return code;
}
