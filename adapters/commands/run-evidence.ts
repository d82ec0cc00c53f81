import type { Command } from '../../src/commands/grammar.js';
import type { ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

/** `evidence`: being built (issue 13). */
export async function runEvidence(_command: Extract<Command, { name: 'evidence' }>, _deps: CommandDeps): Promise<ExitCode> {
  throw new Error('evidence is being built');
}
