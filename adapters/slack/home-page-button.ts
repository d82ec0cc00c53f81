import { publishHome } from './publish-home.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';

/** The Home tab's pager: its value is the page to show. */
export function homePageButton(deps: SlackDeps): ButtonHandler {
  return async ({ ack, body, action, client }) => {
    await ack();
    await publishHome(deps, client, body.user.id, Number(action.value) || 1);
  };
}
