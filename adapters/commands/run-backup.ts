import type { Command } from '../../src/commands/grammar.js';
import type { ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

/** `backup`: being built (issue 13). */
export async function runBackup(_command: Extract<Command, { name: 'backup' }>, _deps: CommandDeps): Promise<ExitCode> {
  throw new Error('backup is being built');
}
