import type { webApi } from '@slack/bolt';
import { renderGuestHome, renderHome, renderUnknownHome } from './blocks/render-home.js';
import type { SlackDeps } from './slack-deps.js';
import { guestAnswer } from './slack-people.js';

/** Publishes a person's Home tab, "My items", at `page` (from 1): on opening it, after each answer, on paging. A guest's shows none. */
export async function publishHome(deps: SlackDeps, client: webApi.WebClient, slackUserId: string, page = 1): Promise<void> {
  const actor = await deps.people.actor(slackUserId);
  const items = actor === null ? null : await deps.store.myItems(actor);
  const view = actor === null ? renderGuestHome(guestAnswer) : items === null ? renderUnknownHome() : renderHome(items, page);
  await client.views.publish({ user_id: slackUserId, view });
}

/**
 * Home refreshed after a change the person made: a failure here (Slack throttling views.publish, an outage) is
 * logged, not reported to them, because what they did was recorded and Home catches up when next opened.
 */
export async function refreshHome(deps: SlackDeps, client: webApi.WebClient, slackUserId: string): Promise<void> {
  try {
    await publishHome(deps, client, slackUserId);
  } catch (error) {
    deps.logger.warn({ err: error, slackUserId }, 'could not refresh the Home tab after a change; it is published again when opened');
  }
}
