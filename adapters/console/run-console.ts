import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseCommand } from '../../src/commands/grammar.js';
import type { ChatPort } from '../../src/ports/chat.js';
import { splitCommandLine } from '../../src/commands/split-command-line.js';
import type { CommandDeps } from '../commands/run-command.js';
import { describeFailure } from '../commands/describe-failure.js';
import type { Logger } from '../logging/logger.js';
import { ConsoleSession } from './console-session.js';

export interface ConsoleOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly deps: Omit<CommandDeps, 'io' | 'surface'>;
  readonly logger: Logger;
  /** Whether the input is a terminal (line editing, history, a prompt). */
  readonly terminal: boolean;
  /** Ends the console as if the user had quit (SIGTERM under `serve`). */
  readonly signal?: AbortSignal;
  /**
   * Starts the scheduler (under `serve`): it calls `job` on each tick, and the console runs it between commands
   * (tick, then deliver here). Stopped when the console ends.
   */
  readonly schedule?: (job: () => Promise<void>) => { stop(): Promise<void> };
  /**
   * Whether the console delivers the outbox (prints Steward's messages and marks them delivered). Only for the
   * demo's own database: on a real one, a message delivered to the console would never reach Slack or Teams.
   * Default: it does.
   */
  readonly deliversOutbox?: boolean;
  /** The other platforms `serve` delivers to beside the console (the decision webhook): the console routes to them, and delivers what it routed. */
  readonly otherChats?: readonly ChatPort[];
  /** Tells `serve`'s outbox pumps that something was queued for them. */
  readonly changed?: () => void;
}

const banner = [
  'Steward console. Type what a Slack user would type after /steward (who payments-api, unowned, mine),',
  'and play the people Steward writes to; its messages to them and to channels appear here:',
  '  tick --at +3d   run the scheduler 3 days on (the console’s clock moves there)',
  '  as EMAIL        act as that person        press N   press the action numbered N',
  '  mine            what waits for them       inbox     their messages again',
  '  history REF     an item’s audit trail     help      every command',
  'Type quit (or press Ctrl-D or Ctrl-C) to leave.',
].join('\n');

/**
 * The console chat platform: the local stand-in for Slack and Teams, so anyone can try Steward without
 * credentials. Lines are parsed with the same grammar as `/steward`; answers and Steward's messages go to the
 * terminal. Resolves when the user quits or the input ends.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { output } = options;
  const write = (text: string) => output.write(`${text}\n`);
  const rl = readline.createInterface({ input: options.input, output, terminal: options.terminal, prompt: 'steward> ' });
  const session = new ConsoleSession(options.deps, write, { deliversOutbox: options.deliversOutbox ?? true, otherChats: options.otherChats ?? [], ...(options.changed ? { changed: options.changed } : {}) });
  const prompt = (preserveCursor = false) => {
    rl.setPrompt(session.prompt());
    rl.prompt(preserveCursor);
  };
  write(banner);
  if (options.deliversOutbox === false)
    write(
      "This database is not the demo's: Steward's messages wait in its outbox for Slack or Teams, and are not shown here (the console would use them up). Commands answer as usual; `steward outbox --stuck` lists what no platform could deliver.",
    );

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
    await session.run(parsed.command);
    return 'continue';
  };

  // Lines (and the scheduler's ticks) are handled one at a time, in order, even when pasted faster than
  // commands finish. When the input ends, the lines already read still run; after `quit`, Ctrl-C or the abort
  // signal, none does.
  let queue = Promise.resolve();
  let inputEnded = false;
  let quitting = false;
  let prompted = false;
  const quit = () => {
    quitting = true;
    rl.close();
  };
  // The console's error boundary: a failed command or tick is reported and the conversation goes on.
  const guarded = <T>(work: () => Promise<T>, fallback: T) =>
    work().catch((error: unknown) => {
      write(describeFailure(error, options.logger));
      return fallback;
    });

  const scheduledJob = () =>
    new Promise<void>((resolve) => {
      queue = queue.then(async () => {
        if (!quitting && !inputEnded) {
          const printed = await guarded(() => session.scheduledTick(), true);
          // The first run comes before the first prompt; later ones interrupt the user's line, so it is redrawn.
          if (printed && prompted) prompt(true);
        }
        resolve();
      });
    });
  const schedule = options.schedule?.(scheduledJob);

  await new Promise<void>((resolve) => {
    rl.on('line', (line) => {
      queue = queue.then(async () => {
        if (quitting) return;
        const next = await guarded(() => handle(line), 'continue' as const);
        if (next === 'quit') quit();
        else if (!inputEnded) prompt();
      });
    });
    rl.on('close', () => {
      inputEnded = true;
      void queue.then(() => schedule?.stop()).then(resolve);
    });
    // Ctrl-C leaves as quit does: lines already queued are dropped, and the shell's prompt starts on a new line.
    rl.on('SIGINT', () => {
      write('');
      quit();
    });
    if (options.signal?.aborted) quit();
    else options.signal?.addEventListener('abort', quit, { once: true });
    // After the scheduler's first run, if it starts with one.
    queue = queue.then(() => {
      prompted = true;
      if (!inputEnded) prompt();
    });
  });
}
