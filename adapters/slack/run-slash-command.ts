import type { ActorKey } from '../../src/ports/attestation-store.js';
import type { ChatCommandRunner } from '../chat/run-chat-command.js';
import { unescapeCommandText } from './command-text.js';
import { renderChatReply } from './render-chat-reply.js';
import { slackPlatform } from './slack-account.js';
import { slashCommand } from './slack-registry.js';

/**
 * `/steward <words>` as the Slack user typed them: Slack's escaping undone, run by the chat command runner (here,
 * or on the store worker's thread) as the speaker, and its answer rendered as Slack message text.
 */
export async function runSlashCommand(run: ChatCommandRunner, speaker: ActorKey, text: string): Promise<string> {
  const reply = await run({ platform: slackPlatform, speaker, text: unescapeCommandText(text), invocation: slashCommand.command });
  return renderChatReply(reply);
}
