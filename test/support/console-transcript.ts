import { PassThrough } from 'node:stream';
import type { CommandDeps } from '../../adapters/commands/run-command.js';
import { runConsole } from '../../adapters/console/run-console.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { recordingLogger } from './recording-logger.js';

export interface ConsoleTranscriptOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly formats?: CommandDeps['formats'];
  /** Instead of the store: how the console opens it (a test of a store that fails to open). */
  readonly openStore?: CommandDeps['openStore'];
  readonly signal?: AbortSignal;
  /** Run the scheduler's job once before anything is typed, as `serve` does when it starts. */
  readonly scheduledFirst?: boolean;
  /** The platforms `serve` delivers to beside the console (the decision webhook), and how it is told of new work. */
  readonly otherChats?: Parameters<typeof runConsole>[0]['otherChats'];
  readonly changed?: () => void;
}

/**
 * Types `lines` into a console with no terminal, one after the other, ends the input, and returns everything it
 * printed and logged: a whole conversation, as a test reads it afterwards.
 */
export async function consoleTranscript(lines: readonly string[], options: ConsoleTranscriptOptions) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
  const { logger, records } = recordingLogger();
  let job: (() => Promise<void>) | undefined;
  const done = runConsole({
    input,
    output,
    terminal: false,
    logger,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.otherChats ? { otherChats: options.otherChats } : {}),
    ...(options.changed ? { changed: options.changed } : {}),
    ...(options.scheduledFirst ? { schedule: (run: () => Promise<void>) => ((job = run), { stop: async () => undefined }) } : {}),
    deps: { clock: options.clock, policy: options.policy, actor: 'console', formats: options.formats ?? new Map(), openStore: options.openStore ?? (async () => options.store) },
  });
  await job?.();
  input.end(lines.map((line) => `${line}\n`).join(''));
  await done;
  return { printed, records };
}
