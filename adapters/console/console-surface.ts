import type { Readable, Writable } from 'node:stream';
import type { ChatPort } from '../../src/ports/chat.js';
import type { Surface } from '../chat/surface.js';
import type { CommandDeps } from '../commands/run-command.js';
import type { Logger } from '../logging/logger.js';
import { runConsole } from './run-console.js';

export interface ConsoleSurfaceOptions {
  readonly input: Readable;
  readonly output: Writable;
  readonly deps: Omit<CommandDeps, 'io' | 'surface'>;
  readonly logger: Logger;
  /** Ends the console as if the person had quit (SIGTERM). */
  readonly signal: AbortSignal;
  /** Where the log goes instead of the terminal, to say at start. */
  readonly logFile: string | undefined;
  /** Whether it prints and uses up the outbox: only on the demo's database (see `runConsole`). */
  readonly deliversOutbox: boolean;
  /** The other platforms `serve` delivers to beside the console (the decision webhook): the console routes to them, and delivers what it routed. */
  readonly otherChats?: readonly ChatPort[];
  /** Tells `serve`'s outbox pumps that something was queued for them. */
  readonly changed?: () => void;
}

/**
 * The console as a surface: it owns the terminal, delivers its messages itself (printed between the answers, as
 * the person acts), runs the scheduler's job between commands, and ends `serve` when the person quits.
 */
export function consoleSurface(options: ConsoleSurfaceOptions): Surface {
  return {
    name: 'console',
    routes: [],
    chat: null,
    health: () => ({ ok: true }),
    halted: () => null,
    start: async ({ port, say }) => say(`GET /healthz on port ${port}.${options.logFile === undefined ? '' : ` Log: ${options.logFile}`}`),
    foreground: (schedule) =>
      runConsole({
        input: options.input,
        output: options.output,
        terminal: true,
        logger: options.logger,
        signal: options.signal,
        schedule,
        deliversOutbox: options.deliversOutbox,
        otherChats: options.otherChats ?? [],
        ...(options.changed ? { changed: options.changed } : {}),
        deps: options.deps,
      }),
    stop: async () => undefined,
  };
}
