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
  /** Ends the console as if the user had quit (SIGTERM under `serve`). */
  readonly signal?: AbortSignal;
}

const banner = [
  'Steward console. Type what a Slack user would type after /steward, for example:',
  '  who payments-api      list --unowned      list --expiring 60      help',
  'Type quit (or press Ctrl-D or Ctrl-C) to leave.',
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
    await runCommand(parsed.command, deps);
    return 'continue';
  };

  // Lines are handled one at a time, in order, even when pasted faster than commands finish. When the input
  // ends, the lines already read still run; after `quit`, Ctrl-C or the abort signal, none does.
  let queue = Promise.resolve();
  let inputEnded = false;
  let quitting = false;
  const quit = () => {
    quitting = true;
    rl.close();
  };
  await new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        if (quitting) return;
        // The console's error boundary: a failed command is reported and the conversation goes on.
        const next = await handle(line).catch((error: unknown) => {
          write(describeFailure(error, options.logger));
          return 'continue' as const;
        });
        if (next === 'quit') quit();
        else if (!inputEnded) rl.prompt();
      });
    });
    rl.on('close', () => {
      inputEnded = true;
      void queue.then(resolve);
    });
    // Ctrl-C leaves as quit does: lines already queued are dropped, and the shell's prompt starts on a new line.
    rl.on('SIGINT', () => {
      write('');
      quit();
    });
    if (options.signal?.aborted) quit();
    else options.signal?.addEventListener('abort', quit, { once: true });
    if (!inputEnded) rl.prompt();
  });
}
