import type { Command } from '../../src/commands/grammar.js';
import type { ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

/** `digest`: being built (issue 13). */
export async function runDigest(_command: Extract<Command, { name: 'digest' }>, _deps: CommandDeps): Promise<ExitCode> {
  throw new Error('digest is being built');
}
