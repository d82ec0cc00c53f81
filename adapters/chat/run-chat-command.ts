import { helpText, parseCommand } from '../../src/commands/grammar.js';
import { splitCommandLine } from '../../src/commands/split-command-line.js';
import type { Policy } from '../../src/policy/policy.js';
import { actorLabel, type ActorKey, type Platform } from '../../src/ports/attestation-store.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { isSharedCommand, runCommand } from '../commands/run-command.js';
import { preformattedPart, textPart, type ChatReply } from './chat-reply.js';

export interface ChatCommandDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
}

/** One chat command as a platform received it. Plain data, so it crosses to the store worker's thread as it is. */
export interface ChatCommandRequest {
  /** The chat platform it was typed on (`slack`). */
  readonly platform: Platform;
  /** Who typed it: the key the store knows them by (an email, or the platform's account). */
  readonly speaker: ActorKey;
  /** The words after the invocation, as the person typed them (the platform's own escaping undone). */
  readonly text: string;
  /** How a command is started on this platform (`/steward`, `@Steward`): the help and the usages show it. */
  readonly invocation: string;
}

/** Runs a chat command: in-process, or on the store worker's thread under `serve`. */
export type ChatCommandRunner = (request: ChatCommandRequest) => Promise<ChatReply>;

/** No importer runs from chat: `import` is not offered on the chat surface. */
const noFormats = new Map();

/**
 * A chat command, whatever the platform: the same grammar as the CLI and the console, on the chat surface, as the
 * speaker; anything it does not know gets the help. Returns the answer for the platform to render.
 */
export async function runChatCommand(deps: ChatCommandDeps, request: ChatCommandRequest): Promise<ChatReply> {
  const invocation = { invocation: request.invocation };
  const words = splitCommandLine(request.text);
  if (words === null) return { error: true, parts: [textPart('A quote is not closed; try again with both quotes.')] };
  const parsed = parseCommand(words, 'chat', invocation);
  if (!parsed.ok) {
    if (parsed.code === 'unknown_command') return { error: true, parts: [textPart(`${parsed.message}.`), preformattedPart(helpText('chat', undefined, invocation))] };
    return { error: true, parts: [textPart(parsed.message), ...(parsed.usage ? [preformattedPart(`Usage: ${parsed.usage}`)] : [])] };
  }
  if (!isSharedCommand(parsed.command)) return { error: false, parts: [preformattedPart(helpText('chat', undefined, invocation))] };
  // One answer, in the order it was said; anything said as an error makes the whole reply one.
  const out: string[] = [];
  let refused = false;
  await runCommand(parsed.command, {
    surface: 'chat',
    invocation: request.invocation,
    clock: deps.clock,
    policy: deps.policy,
    // For the audit trail of what chat does not offer (import): said for completeness, as the platform's speaker.
    actor: 'email' in request.speaker ? `${request.platform}:${request.speaker.email}` : actorLabel(request.speaker),
    chatActor: request.speaker,
    io: {
      out: (line) => out.push(line),
      err: (line) => {
        refused = true;
        out.push(line);
      },
    },
    openStore: async () => deps.store,
    formats: noFormats,
  });
  const text = out.join('\n');
  return { error: refused, parts: [text.trim() === '' ? textPart('Done.') : preformattedPart(text)] };
}
