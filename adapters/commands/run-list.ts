import type { ListRequest } from '../../src/queries/list-inventory.js';
import { listInventory } from '../../src/queries/list-inventory.js';
import { renderList } from '../text/render-reports.js';
import { exitCodes, type ExitCode } from './exit-codes.js';
import type { CommandDeps } from './run-command.js';

/** Items shown per answer in chat: a longer list would not fit one message (the CLI lists them all). */
export const chatListLimit = 50;

export interface ListView {
  readonly json: boolean;
  /** A line above the table, saying what is listed. */
  readonly heading?: string;
  /** The `steward list …` options that list the same items in full, for a list cut short in chat. */
  readonly fullList: string;
}

/** `list`, and its chat forms `team` and `unowned`: the store's filter, shown as a table (cut short in chat). */
export async function runList(request: Omit<ListRequest, 'limit'>, view: ListView, deps: CommandDeps): Promise<ExitCode> {
  const chat = deps.surface === 'chat';
  const list = await listInventory(await deps.openStore(), deps.clock, { ...request, ...(chat ? { limit: chatListLimit } : {}) });
  if (view.json) {
    deps.io.out(JSON.stringify(list, null, 2));
    return exitCodes.ok;
  }
  const cut = list.total > list.items.length ? [`\`steward list ${view.fullList}\` on the command line lists them all.`] : [];
  const table = renderList(list, deps.clock.now());
  deps.io.out([...(view.heading === undefined || list.items.length === 0 ? [] : [view.heading]), table, ...cut].join('\n'));
  return exitCodes.ok;
}
