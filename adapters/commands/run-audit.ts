import type { Command } from '../../src/commands/grammar.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** `audit verify`: walks the hash chain. */
export async function runAudit(command: Extract<Command, { name: 'audit' }>, deps: CommandDeps): Promise<ExitCode> {
  const { io } = deps;
  const verification = await (await deps.openStore()).verifyAuditChain();
  if (command.json) io.out(json(verification));
  else if (verification.ok) io.out(`The audit trail is intact: ${verification.events} events, each chained to the one before by its hash.`);
  else io.out(`The audit trail is broken at event ${verification.brokenAt}: its hash does not follow from the event before it (${verification.events} events checked).`);
  return verification.ok ? exitCodes.ok : exitCodes.findings;
}
