import { helpText, parseCommand } from '../../src/commands/grammar.js';
import { splitCommandLine } from '../../src/commands/split-command-line.js';
import type { Policy } from '../../src/policy/policy.js';
import type { ActorKey } from '../../src/ports/attestation-store.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { isSharedCommand, runCommand } from '../commands/run-command.js';
import { unescapeCommandText } from './command-text.js';
import { escapeSlackText, preformatted } from './slack-text.js';

export interface SlashCommandDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
}

/** Who typed the command: their Slack id, and the key the store knows them by. */
export interface SlashSpeaker {
  readonly slackUserId: string;
  readonly actor: ActorKey;
}

/** No importer runs from chat: `import` is not offered on the chat surface. */
const noFormats = new Map();

/**
 * `/steward <words>` as the Slack user typed them: the same grammar as the CLI and the console, on the chat
 * surface; anything it does not know gets the help. Returns the answer as Slack message text.
 */
export async function runSlashCommand(deps: SlashCommandDeps, speaker: SlashSpeaker, text: string): Promise<string> {
  const words = splitCommandLine(unescapeCommandText(text));
  if (words === null) return 'A quote is not closed; try again with both quotes.';
  const parsed = parseCommand(words, 'chat');
  if (!parsed.ok) {
    // The message quotes what was typed: escaped, so it shows as typed.
    if (parsed.code === 'unknown_command') return `${escapeSlackText(parsed.message)}.\n${preformatted(helpText('chat'))}`;
    return `${escapeSlackText(parsed.message)}${parsed.usage ? `\n${preformatted(`Usage: ${parsed.usage}`)}` : ''}`;
  }
  if (!isSharedCommand(parsed.command)) return preformatted(helpText('chat'));
  const out: string[] = [];
  await runCommand(parsed.command, {
    surface: 'chat',
    clock: deps.clock,
    policy: deps.policy,
    actor: `slack:${speaker.slackUserId}`,
    chatActor: speaker.actor,
    io: { out: (line) => out.push(line), err: (line) => out.push(line) },
    openStore: async () => deps.store,
    formats: noFormats,
  });
  return preformatted(out.join('\n')) || 'Done.';
}
