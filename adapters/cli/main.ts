import fs from 'node:fs';
import os from 'node:os';
import { parseCommand, type Command } from '../../src/commands/grammar.js';
import { defaultPolicy } from '../../src/policy/policy.js';
import type { Store } from '../../src/ports/store.js';
import { describeFailure, failureExitCode } from '../commands/describe-failure.js';
import { exitCodes, type ExitCode } from '../commands/exit-codes.js';
import { isSharedCommand, runCommand, type CommandIo } from '../commands/run-command.js';
import { parseCommandEnvironment, parseEnvironment } from '../config/environment.js';
import { refuseSecretPath } from '../config/secret-path.js';
import { systemClock } from './system-clock.js';

export interface GlobalOptions {
  readonly db?: string;
  readonly policy?: string;
}

/** Takes `--db` and `--policy` from anywhere in the arguments (they apply to every command). */
export function extractGlobalOptions(argv: readonly string[]): { globals: GlobalOptions; rest: string[] } | { error: string } {
  const globals: { db?: string; policy?: string } = {};
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const match = /^--(db|policy)(?:=(.*))?$/.exec(arg);
    if (!match) {
      rest.push(arg);
      continue;
    }
    const name = match[1] as 'db' | 'policy';
    const value = match[2] ?? argv[(i += 1)];
    if (value === undefined || value === '') return { error: `--${name} needs a value` };
    globals[name] = value;
  }
  return { globals, rest };
}

/** The OS user, for the audit trail; a container user with no passwd entry makes `os.userInfo()` throw. */
function userName(environment: Readonly<Record<string, string | undefined>>): string {
  try {
    return os.userInfo().username;
  } catch {
    return environment.USER ?? environment.LOGNAME ?? `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}

const stdio: CommandIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * `steward list | head`: once the reader has what it wants and closes the pipe, writing more is pointless, not
 * an error. A command exits quietly, as Unix tools do, instead of an unhandled EPIPE with a stack trace; `serve`
 * (`steward serve | tee log`, the tee gone) carries on without its standard output and stops cleanly on SIGTERM.
 * Any other write error (`steward list > /dev/full`: ENOSPC) means the output is missing: one line, written
 * straight to the descriptor (the stream may be the one failing), and exit 70 — not 1, which means findings.
 */
function handleOutputErrors(command: Command): void {
  for (const stream of [process.stdout, process.stderr])
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') {
        if (command.name !== 'serve') process.exit(process.exitCode ?? 0);
        return;
      }
      try {
        fs.writeSync(2, `steward: cannot write the output (${error.code ?? 'error'})\n`);
      } catch {
        // Standard error cannot be written either: the exit code is all that is left to say it.
      }
      process.exit(exitCodes.internal);
    });
}

/**
 * Which database a command opens. Only `import` and `serve` create one: a mistyped --db for `who` or `tick` is
 * an error naming the path, not an empty inventory; a dry run on a database not yet made counts against an
 * empty one in memory, so it creates nothing.
 */
function databaseFor(command: Command, dbPath: string): { path: string; create: boolean } {
  if (command.name !== 'import') return { path: dbPath, create: false };
  if (command.dryRun && dbPath !== ':memory:' && !fs.existsSync(dbPath)) return { path: ':memory:', create: true };
  return { path: dbPath, create: !command.dryRun };
}

/** The `steward` command line: the composition root, where storage, adapters and the core meet. */
export async function main(argv: readonly string[], environment: Readonly<Record<string, string | undefined>>): Promise<ExitCode> {
  const extracted = extractGlobalOptions(argv);
  if ('error' in extracted) {
    stdio.err(`steward: ${extracted.error}`);
    return exitCodes.badInput;
  }
  const parsed = parseCommand(extracted.rest, 'cli');
  if (!parsed.ok) {
    stdio.err(parsed.usage ? `steward: ${parsed.message}\nUsage: ${parsed.usage}` : `steward: ${parsed.message}. Run \`steward help\` for the commands.`);
    return exitCodes.badInput;
  }
  const command: Command = parsed.command;
  handleOutputErrors(command);
  // Settings are checked where they are used: PORT and the chat credentials only by `serve`.
  const serveEnv = command.name === 'serve' ? parseEnvironment(environment) : null;
  const parsedEnv = serveEnv ?? parseCommandEnvironment(environment);
  if (!parsedEnv.ok) {
    stdio.err(['steward: bad configuration in the environment:', ...parsedEnv.problems.map((p) => `  ${p}`)].join('\n'));
    return exitCodes.badInput;
  }
  const env = parsedEnv.env;
  const logLevel = env.LOG_LEVEL ?? (command.name === 'serve' ? 'info' : 'warn');
  // A command's log is on the user's terminal: stack traces only when LOG_LEVEL asks for them. `serve` is a
  // service, whose log is for its operators: its failures at start keep their stack as its later ones do. Only a
  // failure writes to it here, so the logger is loaded then.
  const logger = async () => (await import('../logging/logger.js')).createLogger(logLevel, command.name === 'serve' ? { stacks: true } : {});
  const dbPath = extracted.globals.db ?? env.STEWARD_DB;

  let store: Store | undefined;
  try {
    // Before anything can quote the path (a dry run does not open it; `serve` names it as it starts).
    refuseSecretPath(dbPath, 'the database path (--db or STEWARD_DB)');
    // What a command does not use is not loaded, so it starts sooner: the YAML parser only for a policy file,
    // the database only when opened (`check` never opens one), the importers only for `import` and `check`.
    const policyFile = extracted.globals.policy ?? env.STEWARD_POLICY;
    const policy = policyFile === undefined ? defaultPolicy : (await import('../config/load-policy.js')).loadPolicy(policyFile);
    // npm sets npm_command for what it runs (`npm start`, `npx steward serve`).
    // `serve` alone loads the chat SDKs, the scheduler and the HTTP server.
    if (serveEnv?.ok) return await (await import('./serve.js')).serve({ env: serveEnv.env, dbPath, policy, logLevel, clock: systemClock, stopWithParent: environment.npm_command !== undefined });
    const database = databaseFor(command, dbPath);
    // The grammar offers the console's own commands (as, inbox, press) only on the console.
    if (!isSharedCommand(command)) throw new Error(`${command.name} was parsed for the command line`);
    return await runCommand(command, {
      surface: 'cli',
      clock: systemClock,
      policy,
      actor: `cli:${userName(environment)}@${os.hostname()}`,
      io: stdio,
      formats: command.name === 'import' || command.name === 'check' ? (await import('../sources/formats.js')).sourceFormats : new Map(),
      openStore: async () => (store ??= (await import('./open-database.js')).openDatabase(database.path, { create: database.create })),
      databaseExists: () => database.path === ':memory:' || fs.existsSync(database.path),
    });
  } catch (error) {
    stdio.err(`steward: ${describeFailure(error, await logger())}`);
    return failureExitCode(error);
  } finally {
    await store?.close();
  }
}
