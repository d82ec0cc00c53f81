import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseCommand } from '../../src/commands/grammar.js';
import { splitCommandLine } from '../../src/commands/split-command-line.js';
import type { CommandDeps } from '../commands/run-command.js';
import { runCommand } from '../commands/run-command.js';
import { describeFailure } from '../commands/describe-failure.js';
import type { Logger } from '../logging/logger.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly deps: Omit<CommandDeps, 'io' | 'surface'>;
  readonly logger: Logger;
  /** Whether the input is a terminal (line editing, history, a prompt). */
  readonly terminal: boolean;
}

const banner = [
  'Steward console. Type what a Slack user would type after /steward, for example:',
  '  who payments-api      list --unowned      list --expiring 60      help',
  'Type quit (or press Ctrl-D) to leave.',
].join('\n');

/**
 * The console chat platform: the local stand-in for Slack and Teams, so anyone can try Steward without
 * credentials. Lines are parsed with the same grammar as `/steward`; answers go to the terminal.
 * Resolves when the user quits or the input ends.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { output } = options;
  const write = (text: string) => output.write(`${text}\n`);
  const rl = readline.createInterface({ input: options.input, output, terminal: options.terminal, prompt: 'steward> ' });
  write(banner);
  const deps: CommandDeps = { ...options.deps, surface: 'console', io: { out: write, err: write } };

  const handle = async (line: string): Promise<'quit' | 'continue'> => {
    const words = splitCommandLine(line);
    if (words === null) {
      write('A quote is not closed.');
      return 'continue';
    }
    if (words.length === 0) return 'continue';
    if (['quit', 'exit'].includes(words[0]?.toLowerCase() ?? '')) return 'quit';
    const parsed = parseCommand(words, 'console');
    if (!parsed.ok) {
      write(parsed.usage ? `${parsed.message}\nUsage: ${parsed.usage}` : `${parsed.message}. Type help for the commands.`);
      return 'continue';
    }
    if (parsed.command.name === 'serve') return 'continue'; // not offered on the console surface
    try {
      await runCommand(parsed.command, deps);
    } catch (error) {
      write(describeFailure(error, options.logger));
    }
    return 'continue';
  };

  // Lines are handled one at a time, in order, even when pasted faster than commands finish.
  let queue = Promise.resolve();
  await new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        if ((await handle(line)) === 'quit') rl.close();
        else rl.prompt();
      });
    });
    rl.on('close', () => void queue.then(resolve));
    rl.prompt();
  });
}
