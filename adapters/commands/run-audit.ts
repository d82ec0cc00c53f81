import type { Command } from '../../src/commands/grammar.js';
import type { AuditHead, AuditHeadCheck, AuditVerification, ExpectedAuditHead } from '../../src/ports/store.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** The grammar has checked the form (`<events>:<hash>` or `<hash>`, lowercased). */
function expectedHead(text: string): ExpectedAuditHead {
  const [events, hash] = text.includes(':') ? text.split(':') : [undefined, text];
  return { ...(events === undefined ? {} : { events: Number(events) }), hash: hash ?? '' };
}

const events = (n: number) => `${n} ${n === 1 ? 'event' : 'events'}`;

const headText = (head: AuditHead | null) => (head === null ? 'none yet (no events recorded)' : `${head.events}:${head.hash}`);

function chainLine(v: AuditVerification): string {
  if (!v.ok)
    return `The audit trail is broken at event ${v.brokenAt}: it does not follow from the event before it (changed, or events removed or inserted there; ${events(v.events)} checked).`;
  return `The audit trail is intact: ${events(v.events)}, each chained to the one before by its hash.\nHead: ${headText(v.head)}`;
}

function expectationLine(check: AuditHeadCheck, kept: string, head: AuditHead | null): string {
  const now = head?.events ?? 0;
  if (check.held) return `The head kept (${kept}) still holds: event ${check.events} has that hash, and ${events(check.after)} ${check.after === 1 ? 'was' : 'were'} recorded after it.`;
  switch (check.reason) {
    case 'shorter':
      return `The head kept (${kept}) is gone: the trail now holds ${events(now)}, and that head was event ${check.events}. Events were removed from its end since that head was kept.`;
    case 'different':
      return `The head kept (${kept}) is gone: event ${check.events} is not the event that head named. Events were removed or rewritten since that head was kept.`;
    case 'not_found':
      return `The head kept (${kept}) is gone: no event has that hash. Events were removed or rewritten since that head was kept.`;
  }
}

/**
 * `audit verify [--expect-head HEAD]`: walks the hash chain and prints its head. The chain alone cannot show events
 * removed from its end; a head kept earlier (each digest prints one) can, so it is checked when given.
 */
export async function runAudit(command: Extract<Command, { name: 'audit' }>, deps: CommandDeps): Promise<ExitCode> {
  const { io } = deps;
  const kept = command.expectHead;
  const verification = await (await deps.openStore()).verifyAuditChain(kept === undefined ? undefined : expectedHead(kept));
  const held = verification.expected?.held ?? true;
  if (command.json) io.out(json(verification));
  else {
    const lines = [chainLine(verification)];
    if (verification.expected && kept !== undefined) lines.push(expectationLine(verification.expected, kept, verification.head));
    // The one thing the walk cannot see, said where it matters: when nothing it could be compared with was given.
    else if (verification.ok) lines.push('Keep the head: `audit verify --expect-head` with it later proves no event was removed from the end since.');
    io.out(lines.join('\n'));
  }
  return verification.ok && held ? exitCodes.ok : exitCodes.findings;
}
