import { actionIds as coreActionIds } from '../../src/messages/outgoing-message.js';

/*
 * Everything the Slack app registers with Slack, in one place: the Bolt app routes by these lists, and
 * `manifest.json` declares them (a test holds the two equal, so they cannot drift apart).
 */

/** The slash command: `/steward who payments-api`. Answers are ephemeral. */
export const slashCommand = {
  command: '/steward',
  description: 'Who owns an API or machine identity, your items, approvals, and the security queue',
  usageHint: 'who <query> | mine | team <team> | unowned | attest <ref> | claim <ref> | request <kind> <ref> | approvals | decide <id> | transfer <ref> --to <email> | help',
} as const;

/** The Home tab's pager: its value is the page to show. */
export const homePageActionId = 'home.page';

/** Every button the renderers emit: the core's actions (prompts, Home and queues share them) and the pager. */
export const actionIds = [...coreActionIds, homePageActionId] as const;
export type SlackActionId = (typeof actionIds)[number];

/** The answer modals' callback ids: each submits the answer its button opened. */
export const answerModalIds = ['attest.update', 'attest.dispute', 'attest.snooze'] as const;
export type AnswerModalId = (typeof answerModalIds)[number];

/** The decision modals' callback ids: Approve (a reason, and the ref typed when destructive), Reject and Decline (a reason). Accept asks nothing. */
export const decisionModalIds = ['approval.approve', 'approval.reject', 'transfer.decline'] as const;
export type DecisionModalId = (typeof decisionModalIds)[number];

/** Every modal's callback id. */
export const viewCallbackIds = [...answerModalIds, ...decisionModalIds] as const;
export type ViewCallbackId = (typeof viewCallbackIds)[number];

/** Whether a button opens a modal: its click then asks no `confirm` first (the modal is the step that asks). */
export function opensModal(actionId: string): boolean {
  return (viewCallbackIds as readonly string[]).includes(actionId);
}

/**
 * `app_home_opened` publishes My items; `user_change` starts the leaver flow (`deleted: true`) and keeps who is a
 * guest up to date; `tokens_revoked` and `app_uninstalled` stop delivery (Slack sends them only to apps that
 * subscribe, and they need no scope).
 */
export const botEvents = ['app_home_opened', 'user_change', 'tokens_revoked', 'app_uninstalled'] as const;

/**
 * The fewest bot scopes that work:
 * - `chat:write`: post prompts, queues and warnings, and update them once answered (chat.postMessage, chat.update);
 * - `im:write`: open the DM a prompt goes to (conversations.open);
 * - `im:history`: after a dispatcher died between posting a DM and recording it, look in that DM (only in Steward's
 *   own DMs, back to when the delivery was taken) for the message before posting it again, so nobody is asked twice;
 * - `commands`: the `/steward` slash command;
 * - `users:read`: users.info and the `user_change` event (a leaver is a user marked deleted);
 * - `users:read.email`: match a Slack user to a Person by email (users.lookupByEmail, the email in users.info);
 * - `files:write`: post the digest with its chart (files.getUploadURLExternal, files.completeUploadExternal);
 * - `channels:read`, `groups:read`: the digest channel's id when the policy names it `#name`, found among the public
 *   and private channels Steward is in (users.conversations), since a file is shared by channel id only.
 *
 * Not `chat:write.public`: it would let Steward post in every public channel of the workspace without being
 * asked in, and it does nothing for private channels, where security teams usually meet. Instead a channel
 * admits Steward by inviting it (`/invite @Steward` in the security channel and each team channel), a visible,
 * revocable choice; posting to a channel it was not invited to fails with `not_in_channel`, which the
 * dispatcher logs as a permanent error naming the channel.
 */
export const botScopes = ['channels:read', 'chat:write', 'commands', 'files:write', 'groups:read', 'im:history', 'im:write', 'users:read', 'users:read.email'] as const;
