import os from 'node:os';
import { parseCommand, type Command } from '../../src/commands/grammar.js';
import { InputError } from '../../src/errors.js';
import type { Store } from '../../src/ports/store.js';
import { describeFailure } from '../commands/describe-failure.js';
import { exitCodes, type ExitCode } from '../commands/exit-codes.js';
import { isSharedCommand, runCommand, type CommandIo } from '../commands/run-command.js';
import { parseEnvironment } from '../config/environment.js';
import { loadPolicy } from '../config/load-policy.js';
import { createLogger } from '../logging/logger.js';
import { sourceFormats } from '../sources/formats.js';
import { openDatabase } from './open-database.js';
import { serve } from './serve.js';
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

/** The `steward` command line: the composition root, where storage, adapters and the core meet. */
export async function main(argv: readonly string[], environment: Readonly<Record<string, string | undefined>>): Promise<ExitCode> {
  const extracted = extractGlobalOptions(argv);
  if ('error' in extracted) {
    stdio.err(`steward: ${extracted.error}`);
    return exitCodes.badInput;
  }
  const parsedEnv = parseEnvironment(environment);
  if (!parsedEnv.ok) {
    stdio.err(['steward: bad configuration in the environment:', ...parsedEnv.problems.map((p) => `  ${p}`)].join('\n'));
    return exitCodes.badInput;
  }
  const env = parsedEnv.env;
  const parsed = parseCommand(extracted.rest, 'cli');
  if (!parsed.ok) {
    stdio.err(parsed.usage ? `steward: ${parsed.message}\nUsage: ${parsed.usage}` : `steward: ${parsed.message}. Run \`steward help\` for the commands.`);
    return exitCodes.badInput;
  }
  const command: Command = parsed.command;
  const logLevel = env.LOG_LEVEL ?? (command.name === 'serve' ? 'info' : 'warn');
  // This boundary's log is on the user's terminal: stack traces only when LOG_LEVEL asks for them.
  const logger = createLogger(logLevel);
  const dbPath = extracted.globals.db ?? env.STEWARD_DB;

  let store: Store | undefined;
  try {
    const policy = loadPolicy(extracted.globals.policy ?? env.STEWARD_POLICY);
    if (command.name === 'serve') return await serve({ env, dbPath, policy, logLevel, clock: systemClock });
    // The grammar offers the console's own commands (as, inbox, press) only on the console.
    if (!isSharedCommand(command)) throw new Error(`${command.name} was parsed for the command line`);
    return await runCommand(command, {
      surface: 'cli',
      clock: systemClock,
      policy,
      actor: `cli:${userName(environment)}@${os.hostname()}`,
      io: stdio,
      formats: sourceFormats,
      openStore: async () => (store ??= openDatabase(dbPath)),
    });
  } catch (error) {
    stdio.err(`steward: ${describeFailure(error, logger)}`);
    return error instanceof InputError ? exitCodes.badInput : exitCodes.internal;
  } finally {
    await store?.close();
  }
}
