import type { webApi } from '@slack/bolt';
import { renderHome, renderUnknownHome } from './blocks/render-home.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';

/** Publishes a person's Home tab, "My items", at `page` (from 1): on opening it, after each answer, on paging. */
export async function publishHome(deps: SlackDeps, client: webApi.WebClient, slackUserId: string, page = 1): Promise<void> {
  const items = await deps.people.as(slackUserId, (actor) => deps.store.myItems(actor), (found) => found === null);
  await client.views.publish({ user_id: slackUserId, view: items === null ? renderUnknownHome() : renderHome(items, page) });
}

/** The Home tab's pager: its value is the page to show. */
export function homePageButton(deps: SlackDeps): ButtonHandler {
  return async ({ ack, body, action, client }) => {
    await ack();
    await publishHome(deps, client, body.user.id, Number(action.value) || 1);
  };
}
