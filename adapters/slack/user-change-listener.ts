import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from './slack-deps.js';
import { slackAccount } from './slack-account.js';

/**
 * `user_change`, sent with the whole user object whenever an account changes. What Steward remembers of the user
 * (guest or member, email) is replaced at once. With `deleted: true` the account was deactivated, so the person
 * has left: they are marked inactive (by their Slack id, or by the email on the account when Steward never
 * linked it) and the next tick hands their items to their backups or the queue. An account reactivated is not
 * a person back: their items were handed over, and a source (the directory) says when they are active again.
 */
export function userChangeListener(deps: SlackDeps) {
  return async ({ event }: SlackEventMiddlewareArgs<'user_change'> & AllMiddlewareArgs): Promise<void> => {
    const { user } = event;
    const before = deps.people.updated(user);
    const email = user.profile?.email?.toLowerCase();
    if (user.deleted !== true) {
      if (before?.deleted !== true) return;
      const person = (await deps.store.chatPersonBy(slackAccount(user.id))) ?? (email ? await deps.store.chatPersonBy({ email }) : null);
      if (person !== null && !person.active)
        deps.logger.warn({ slackUserId: user.id, person: person.email }, 'Slack reactivated the account of a person Steward marked as left: they stay inactive until a source lists them as active again');
      return;
    }
    const at = deps.clock.now().toISOString();
    const reason = 'their Slack account was deactivated';
    const left = (await deps.store.markPersonLeft(slackAccount(user.id), at, reason)) ?? (email ? await deps.store.markPersonLeft({ email }, at, reason) : null);
    if (left === null) deps.logger.info({ slackUserId: user.id }, 'a deactivated Slack user is not a person Steward knows');
    else deps.logger.info({ slackUserId: user.id, person: left.email }, 'person marked as left: the next tick re-routes their items');
  };
}
