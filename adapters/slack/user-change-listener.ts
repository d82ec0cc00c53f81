import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';

/**
 * `user_change` with `deleted: true`: the Slack account was deactivated, so the person has left. They are marked
 * inactive (by their Slack id, or by the email on the account when Steward never linked it); the next tick hands
 * their items to their backups or the queue. Other profile changes are none of Steward's business.
 */
export function userChangeListener(deps: SlackDeps) {
  return async ({ event }: SlackEventMiddlewareArgs<'user_change'> & AllMiddlewareArgs): Promise<void> => {
    const { user } = event;
    if (user.deleted !== true) return;
    const at = deps.clock.now().toISOString();
    const reason = 'their Slack account was deactivated';
    const email = user.profile?.email?.toLowerCase();
    const left = (await deps.store.markPersonLeft({ slackUserId: user.id }, at, reason)) ?? (email ? await deps.store.markPersonLeft({ email }, at, reason) : null);
    if (left === null) deps.logger.info({ slackUserId: user.id }, 'a deactivated Slack user is not a person Steward knows');
    else deps.logger.info({ slackUserId: user.id, person: left.email }, 'person marked as left: the next tick re-routes their items');
  };
}
