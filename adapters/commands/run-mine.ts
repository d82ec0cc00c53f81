import { typedAs } from '../../src/commands/grammar.js';
import { myItems } from '../../src/queries/my-items.js';
import { renderMyItems } from '../text/render-my-items.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import { chatListLimit } from './run-list.js';
import type { CommandDeps } from './run-command.js';
import { speakerOf } from './speaker.js';

/** `mine`: what waits for the speaker's answer, and what they are accountable for and back up. */
export async function runMine(deps: CommandDeps): Promise<ExitCode> {
  const actor = speakerOf(deps, 'mine');
  if (actor === null) return exitCodes.badInput;
  const items = await myItems(await deps.openStore(), actor);
  if (items === null) {
    deps.io.err('Steward does not know you: ask your security team to add you to the inventory.');
    return exitCodes.badInput;
  }
  const chat = deps.surface === 'chat';
  deps.io.out(renderMyItems(items, { command: (words) => typedAs(deps.surface, words, { invocation: deps.invocation }), ...(chat ? { limit: chatListLimit } : {}) }));
  return exitCodes.ok;
}
