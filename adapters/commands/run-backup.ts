import type { Command } from '../../src/commands/grammar.js';
import { InputError } from '../../src/errors.js';
import type { BackupRefusal, BackupReport } from '../../src/ports/store.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

/** Why the path cannot take the copy, naming `where` (the file asked for, or its folder). */
const why: Readonly<Record<BackupRefusal, (where: string) => string>> = {
  exists: () => 'a file is already there, and a backup never overwrites one: choose a new name (the date in it helps) or move that file away',
  no_folder: (where) => `the folder ${where} does not exist: create it first (a backup makes none, so a mistyped path does not become a new tree)`,
  not_a_folder: (where) => `${where}: a part of that path is a file, not a folder`,
  permission_denied: (where) => `permission denied: this user cannot create files in ${where}`,
  read_only: (where) => `${where} is on a read-only file system`,
  no_space: (where) => `no space left on the disk that holds ${where}`,
};

function findings(report: BackupReport): string[] {
  const found: string[] = [];
  if (!report.integrity.ok) found.push(`SQLite's integrity check found: ${report.integrity.problems.join('; ')}`);
  if (!report.audit.ok) found.push(`the audit trail is broken at event ${report.audit.brokenAt} (run \`steward audit verify\` on the database itself)`);
  return found;
}

/**
 * `backup <file>`: SQLite's online backup of the database to a new file, safe while `serve` writes, and the copy read
 * back and checked as a restore would find it. A path that cannot take it is refused naming it, writing nothing.
 */
export async function runBackup(command: Extract<Command, { name: 'backup' }>, deps: CommandDeps): Promise<ExitCode> {
  const result = await (await deps.openStore()).backupTo(command.file);
  if (!result.ok) throw new InputError(`${command.file}: cannot write the backup: ${why[result.code](result.path)}. Nothing was written.`);
  const head = result.audit.head === null ? 'no head yet' : `head ${result.audit.head.events}:${result.audit.head.hash}`;
  const copied = `Backed up ${result.database} to ${result.file}: ${result.items} items, ${result.audit.events} audit ${result.audit.events === 1 ? 'event' : 'events'}, ${head}`;
  const found = findings(result);
  if (found.length === 0) {
    deps.io.out(`${copied}; the copy verifies (integrity ok, audit trail intact).`);
    return exitCodes.ok;
  }
  deps.io.out(`${copied}; but the copy does not verify: ${found.join('; ')}.`);
  return exitCodes.findings;
}
