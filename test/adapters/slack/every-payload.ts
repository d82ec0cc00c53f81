import { appId, eventCallback, testTeam, triggerId } from '../../support/sign-slack.js';

/*
 * One request of every kind Slack documents sending to an app's Request URL, shaped as its reference pages show
 * them (docs.slack.dev/reference/events/…, …/interaction-payloads/…) and as @slack/types declares them: every
 * Events API event type (inside its `event_callback` envelope), every interaction payload type, and the requests
 * with no inner event (`app_rate_limited`). Slack counts any answer but a 200 within 3 seconds as a failed
 * delivery, and limits, then disables, the event subscriptions of an app that fails too many.
 */

const user = 'U0ANA';
const channel = 'C0GENERAL';
const ts = '1700000000.000100';
const userObject = {
  id: user,
  team_id: testTeam.id,
  name: 'ana',
  deleted: false,
  is_bot: false,
  is_admin: false,
  is_restricted: false,
  is_ultra_restricted: false,
  tz: 'Europe/Paris',
  updated: 1700000000,
  profile: { email: 'ana@acme.example', real_name: 'ana', display_name: 'ana', status_text: '', status_emoji: '' },
};
const channelObject = { id: channel, name: 'general', created: 1700000000, creator: user, is_channel: true };
const message = { type: 'message', user, text: 'the ledger deploy token is rotated', ts, team: testTeam.id };
const file = { id: 'F0FILE', name: 'runbook.pdf', user };
const subteam = { id: 'S0PAYMENTS', team_id: testTeam.id, is_usergroup: true, name: 'Payments', handle: 'payments', users: [user], user_count: 1 };
const invite = { id: 'I0INVITE', date_created: 1700000000, date_invalid: 1701209600, inviting_team: { id: 'T0OTHER', name: 'Elsewhere', domain: 'elsewhere' }, inviting_user: { id: 'U0OTHER', team_id: 'T0OTHER', name: 'other' }, recipient_email: 'ana@acme.example', recipient_user_id: user };
const workflow = { id: 'Wf0LEDGER', workflow_id: 'Wf0LEDGER', callback_id: 'ledger' };

/** Each Events API event type, with the fields its reference page shows. */
const innerEvents: Record<string, Record<string, unknown>> = {
  agent_session_stopped: { channel: 'D0ANA', user, thread_ts: ts, streaming_message_ts: [] },
  agent_session_title_changed: { channel: 'D0ANA', user, team_id: testTeam.id, thread_ts: ts, title: 'Ledger' },
  app_context_changed: { channel: 'D0ANA', user, context: { entities: [] } },
  app_deleted: { app_id: appId, app_name: 'Steward', app_owner_id: user, team_id: testTeam.id, team_domain: testTeam.domain },
  app_home_opened: { user, channel: 'D0ANA', tab: 'messages' },
  app_installed: { app_id: appId, app_name: 'Steward', app_owner_id: user, user_id: user, team_id: testTeam.id, team_domain: testTeam.domain },
  app_mention: { user, text: '<@U0STEWARD> who ledger-api', ts, channel },
  app_requested: { app_request: { id: 'Ar0REQ', app: { id: 'A0OTHER', name: 'Other' }, previous_resolution: null, user: { id: user, name: 'ana', email: 'ana@acme.example' }, team: testTeam, scopes: [], message: 'please' } },
  app_uninstalled: {},
  app_uninstalled_team: {},
  assistant_thread_context_changed: { assistant_thread: { user_id: user, context: { channel_id: channel, team_id: testTeam.id }, channel_id: 'D0ANA', thread_ts: ts } },
  assistant_thread_started: { assistant_thread: { user_id: user, context: { channel_id: channel, team_id: testTeam.id }, channel_id: 'D0ANA', thread_ts: ts } },
  call_rejected: { call_id: 'R0CALL', user_id: user, channel_id: channel, external_unique_id: 'ext-1' },
  channel_archive: { channel, user },
  channel_created: { channel: channelObject },
  channel_deleted: { channel },
  channel_history_changed: { latest: ts, ts },
  channel_id_changed: { old_channel_id: 'C0OLD', new_channel_id: channel },
  channel_left: { channel, actor_id: user },
  channel_rename: { channel: { id: channel, name: 'general-2', created: 1700000000 } },
  channel_shared: { connected_team_id: 'T0OTHER', channel },
  channel_unarchive: { channel, user },
  channel_unshared: { previously_connected_team_id: 'T0OTHER', channel, is_ext_shared: false },
  dnd_updated: { user, dnd_status: { dnd_enabled: true, next_dnd_start_ts: 1700000000, next_dnd_end_ts: 1700030000, snooze_enabled: false } },
  dnd_updated_user: { user, dnd_status: { dnd_enabled: true, next_dnd_start_ts: 1700000000, next_dnd_end_ts: 1700030000 } },
  email_domain_changed: { email_domain: 'acme.example' },
  emoji_changed: { subtype: 'add', name: 'rotated', value: 'https://emoji.example/rotated.png' },
  entity_details_requested: { user, external_ref: { id: 'ledger-api' }, entity_url: 'https://steward.example.com/items/ledger-api', link: { url: 'https://steward.example.com/items/ledger-api', domain: 'steward.example.com' }, app_unfurl_url: 'https://steward.example.com/items/ledger-api', trigger_id: triggerId(), user_locale: 'en-GB', channel, message_ts: ts },
  file_change: { file_id: file.id, file: { id: file.id } },
  file_comment_deleted: { comment: 'Fc0COMMENT', file_id: file.id, file: { id: file.id } },
  file_created: { file_id: file.id, file: { id: file.id }, user_id: user },
  file_deleted: { file_id: file.id, channel_ids: [channel] },
  file_public: { file_id: file.id, file: { id: file.id }, user_id: user },
  file_shared: { file_id: file.id, user_id: user, file: { id: file.id }, channel_id: channel },
  file_unshared: { file_id: file.id, user_id: user, file: { id: file.id }, channel_id: channel },
  function_executed: {
    function: { id: 'Fn0STEWARD', callback_id: 'ledger_check', title: 'Ledger check', type: 'app', input_parameters: [], output_parameters: [], app_id: appId, date_created: 1700000000, date_updated: 1700000000, date_deleted: 0 },
    inputs: {},
    function_execution_id: 'Fx0EXECUTION',
    workflow_execution_id: 'Wx0EXECUTION',
    bot_access_token: 'xwfp-not-a-real-token',
  },
  grid_migration_finished: { enterprise_id: 'E0ACME' },
  grid_migration_started: { enterprise_id: 'E0ACME' },
  group_archive: { channel: 'G0PRIVATE' },
  group_close: { user, channel: 'G0PRIVATE' },
  group_deleted: { channel: 'G0PRIVATE' },
  group_history_changed: { latest: ts, ts },
  group_left: { channel: 'G0PRIVATE', actor_id: user },
  group_open: { user, channel: 'G0PRIVATE' },
  group_rename: { channel: { id: 'G0PRIVATE', name: 'secret-2', created: 1700000000 } },
  group_unarchive: { channel: 'G0PRIVATE', actor_id: user },
  im_close: { user, channel: 'D0ANA' },
  im_created: { user, channel: { id: 'D0ANA' } },
  im_history_changed: { latest: ts, ts },
  im_open: { user, channel: 'D0ANA' },
  invite_requested: { invite_request: { id: 'Ir0REQ', email: 'new@acme.example', date_created: 1700000000, requester_ids: [user], channel_ids: [channel], invite_type: 'full_member', real_name: 'New Person', date_expire: 1701209600, request_reason: 'joins payments', team: testTeam } },
  link_shared: { channel, user, message_ts: ts, unfurl_id: 'Uf0UNFURL', source: 'conversations_history', links: [{ domain: 'steward.example.com', url: 'https://steward.example.com/items/ledger-api' }] },
  member_joined_channel: { user, channel, channel_type: 'C', team: testTeam.id, inviter: 'U0BEN' },
  member_left_channel: { user, channel, channel_type: 'C', team: testTeam.id },
  message_metadata_deleted: { channel_id: channel, message_ts: ts, previous_metadata: { event_type: 'item_owned', event_payload: {} }, app_id: appId, bot_id: 'B0OTHER', user_id: user, team_id: testTeam.id, deleted_ts: ts },
  message_metadata_posted: { channel_id: channel, message_ts: ts, metadata: { event_type: 'item_owned', event_payload: {} }, app_id: appId, bot_id: 'B0OTHER', user_id: user, team_id: testTeam.id },
  message_metadata_updated: { channel_id: channel, message_ts: ts, previous_metadata: { event_type: 'item_owned', event_payload: {} }, metadata: { event_type: 'item_owned', event_payload: {} }, app_id: appId, bot_id: 'B0OTHER', user_id: user, team_id: testTeam.id },
  pin_added: { user, channel_id: channel, item: { type: 'message', channel, message, created: 1700000000, created_by: user } },
  pin_removed: { user, channel_id: channel, item: { type: 'message', channel, message, created: 1700000000, created_by: user }, has_pins: false },
  reaction_added: { user, reaction: 'white_check_mark', item_user: 'U0BEN', item: { type: 'message', channel, ts } },
  reaction_removed: { user, reaction: 'white_check_mark', item_user: 'U0BEN', item: { type: 'message', channel, ts } },
  shared_channel_invite_accepted: { approval_required: false, invite, channel: { id: channel, is_private: false, is_im: false, name: 'general' }, teams_in_channel: [{ id: testTeam.id, name: 'Steward Test' }], accepting_user: { id: user, team_id: testTeam.id, name: 'ana' } },
  shared_channel_invite_approved: { invite, channel: { id: channel, is_private: false, is_im: false, name: 'general' }, approving_team_id: testTeam.id, teams_in_channel: [], approving_user: { id: user, team_id: testTeam.id, name: 'ana' } },
  shared_channel_invite_declined: { invite, channel: { id: channel, is_private: false, is_im: false, name: 'general' }, declining_team_id: testTeam.id, teams_in_channel: [], declining_user: { id: user, team_id: testTeam.id, name: 'ana' } },
  shared_channel_invite_received: { invite, channel: { id: channel, is_private: false, is_im: false, name: 'general' } },
  shared_channel_invite_requested: { actor: { id: user, name: 'ana', is_bot: false, team_id: testTeam.id }, channel_id: channel, is_external_limited: false, channel_date_created: 1700000000, channel_message_latest_counted_timestamp: 1700000000, channel_name: 'general', channel_type: 'public', target_users: [{ email: 'other@elsewhere.example', invite_id: 'I0INVITE' }], teams_in_channel: [], is_sponsored: false },
  star_added: { user, item: { type: 'message', channel, message, date_create: 1700000000 } },
  star_removed: { user, item: { type: 'message', channel, message, date_create: 1700000000 } },
  subteam_created: { subteam },
  subteam_members_changed: { subteam_id: subteam.id, team_id: testTeam.id, date_previous_update: 1700000000, date_update: 1700000100, added_users: [user], added_users_count: 1, removed_users: [], removed_users_count: 0 },
  subteam_self_added: { subteam_id: subteam.id },
  subteam_self_removed: { subteam_id: subteam.id },
  subteam_updated: { subteam },
  team_access_granted: { team_ids: ['T0OTHER'] },
  team_access_revoked: { team_ids: ['T0OTHER'] },
  team_domain_change: { url: 'https://acme-2.slack.com', domain: 'acme-2', team_id: testTeam.id },
  team_join: { user: { ...userObject, id: 'U0NEWCOMER', name: 'newcomer', profile: { email: 'newcomer@acme.example', real_name: 'Newcomer' } } },
  team_rename: { name: 'Acme Corp', team_id: testTeam.id },
  tokens_revoked: { tokens: { oauth: [user], bot: ['U0STEWARD'] } },
  user_change: { user: { ...userObject, profile: { ...userObject.profile, status_text: 'on leave' } }, cache_ts: 1700000000 },
  user_huddle_changed: { user, cache_ts: 1700000000 },
  user_profile_changed: { user, cache_ts: 1700000000 },
  user_status_changed: { user: userObject, cache_ts: 1700000000 },
  workflow_deleted: { workflow_id: workflow.id, workflow_draft_configuration: { version_id: 'Wv0', app_steps: [] } },
  workflow_published: { workflow_id: workflow.id, workflow_published_configuration: { version_id: 'Wv0', app_steps: [] } },
  workflow_step_deleted: { workflow_id: workflow.id, workflow_draft_configuration: { version_id: 'Wv0', app_steps: [] }, workflow_published_configuration: { version_id: 'Wv0', app_steps: [] } },
  workflow_step_execute: { callback_id: 'ledger', workflow_step: { workflow_step_execute_id: 'Ws0EXEC', workflow_id: workflow.id, workflow_instance_id: 'Wi0', step_id: 'step-1', inputs: {}, outputs: [] } },
  workflow_unpublished: { workflow_id: workflow.id, workflow_draft_configuration: { version_id: 'Wv0', app_steps: [] } },
};

/** `message.channels`, `.groups`, `.im`, `.mpim` and `.app_home`: one event type, told apart by `channel_type`. */
const messageChannels: Record<string, { readonly channel: string; readonly channel_type: string }> = {
  'message.channels': { channel, channel_type: 'channel' },
  'message.groups': { channel: 'G0PRIVATE', channel_type: 'group' },
  'message.im': { channel: 'D0ANA', channel_type: 'im' },
  'message.mpim': { channel: 'G0MPIM', channel_type: 'mpim' },
  'message.app_home': { channel: 'D0ANA', channel_type: 'app_home' },
};

/** The message subtypes (docs.slack.dev/reference/events/message/…), as posted in a public channel. */
const messageSubtypes: Record<string, Record<string, unknown>> = {
  bot_message: { bot_id: 'B0OTHER', username: 'other-bot', text: 'deployed' },
  channel_archive: { user, text: '<@U0ANA> archived the channel' },
  channel_join: { user, text: '<@U0ANA> has joined the channel', inviter: 'U0BEN' },
  channel_leave: { user, text: '<@U0ANA> has left the channel' },
  channel_name: { user, old_name: 'general', name: 'general-2', text: 'renamed the channel' },
  channel_posting_permissions: { user, text: 'changed who can post' },
  channel_purpose: { user, purpose: 'Ownership', text: 'set the channel purpose: Ownership' },
  channel_topic: { user, topic: 'Ownership', text: 'set the channel topic: Ownership' },
  channel_unarchive: { user, text: '<@U0ANA> un-archived the channel' },
  ekm_access_denied: { user: 'U00', text: 'Your admins have suspended everyone’s access to this content.' },
  file_share: { user, text: '', files: [file], upload: true },
  me_message: { user, text: 'is rotating the key' },
  message_changed: { hidden: true, message: { ...message, text: 'edited', edited: { user, ts } }, previous_message: message },
  message_deleted: { hidden: true, deleted_ts: ts, previous_message: message },
  message_replied: { hidden: true, message: { ...message, thread_ts: ts, reply_count: 1, replies: [{ user: 'U0BEN', ts: '1700000001.000100' }] } },
  thread_broadcast: { user, text: 'also sent to the channel', thread_ts: ts, root: message },
};

export interface SlackRequest {
  /** What the request is, for the test's report. */
  readonly name: string;
  readonly kind: 'event' | 'interaction' | 'top_level';
  readonly body: Record<string, unknown>;
}

/** Every Events API event type and message kind, each in its `event_callback` envelope. */
export function everyEvent(): SlackRequest[] {
  const events = Object.entries(innerEvents).map(([type, fields]) => ({ name: type, kind: 'event' as const, body: eventCallback({ type, ...fields }) }));
  const messages = Object.entries(messageChannels).map(([name, where]) => ({ name, kind: 'event' as const, body: eventCallback({ ...message, ...where }) }));
  const subtypes = Object.entries(messageSubtypes).map(([subtype, fields]) => ({
    name: `message/${subtype}`,
    kind: 'event' as const,
    body: eventCallback({ type: 'message', subtype, channel, channel_type: 'channel', ts, ...fields }),
  }));
  return [...events, ...messages, ...subtypes];
}

const actor = { id: user, username: 'ana', name: 'ana', team_id: testTeam.id };
const common = { api_app_id: appId, token: 'deprecated-verification-token', team: testTeam, user: actor, is_enterprise_install: false, enterprise: null };
const modal = { id: 'V0OTHER', team_id: testTeam.id, type: 'modal', callback_id: 'other.modal', private_metadata: '', blocks: [], state: { values: {} }, hash: '1700000000.abcdef', title: { type: 'plain_text', text: 'Other' }, app_id: appId, bot_id: 'B0STEWARD' };

/** Every interaction payload type (docs.slack.dev/reference/interaction-payloads), none of them a Steward control. */
export function everyInteraction(responseUrl: string): SlackRequest[] {
  const interactions: Record<string, Record<string, unknown>> = {
    'block_actions (a button Steward did not register)': {
      type: 'block_actions',
      ...common,
      trigger_id: triggerId(),
      container: { type: 'message', message_ts: ts, channel_id: 'D0ANA', is_ephemeral: false },
      channel: { id: 'D0ANA', name: 'directmessage' },
      message: { type: 'message', ts, bot_id: 'B0STEWARD', text: 'Steward', blocks: [] },
      response_url: responseUrl,
      state: { values: {} },
      actions: [{ type: 'button', action_id: 'legacy.remind_me', block_id: 'actions', text: { type: 'plain_text', text: 'Remind me' }, value: '17', action_ts: ts }],
    },
    'block_actions (a link button)': {
      type: 'block_actions',
      ...common,
      trigger_id: triggerId(),
      container: { type: 'view', view_id: 'V0HOME' },
      view: { id: 'V0HOME', type: 'home', team_id: testTeam.id, callback_id: '', private_metadata: '', blocks: [] },
      state: { values: {} },
      actions: [{ type: 'button', action_id: 'Xj7a', block_id: 'runbook', text: { type: 'plain_text', text: 'Runbook' }, url: 'https://runbooks.acme.example/ledger', action_ts: ts }],
    },
    'block_actions (a select menu)': {
      type: 'block_actions',
      ...common,
      trigger_id: triggerId(),
      container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: 'general' },
      message: { type: 'message', ts, text: 'pick', blocks: [] },
      response_url: responseUrl,
      state: { values: {} },
      actions: [{ type: 'static_select', action_id: 'pick.team', block_id: 'pick', selected_option: { text: { type: 'plain_text', text: 'Payments' }, value: 'payments' }, action_ts: ts }],
    },
    block_suggestion: {
      type: 'block_suggestion',
      ...common,
      container: { type: 'view', view_id: 'V0OTHER' },
      view: modal,
      action_id: 'pick.item',
      block_id: 'item',
      value: 'ledg',
    },
    'view_submission (a modal Steward did not open)': { type: 'view_submission', ...common, trigger_id: triggerId(), view: modal, response_urls: [] },
    view_closed: { type: 'view_closed', ...common, view: { ...modal, callback_id: 'attest.snooze' }, is_cleared: false },
    shortcut: { type: 'shortcut', ...common, callback_id: 'who_owns', trigger_id: triggerId(), action_ts: ts },
    message_action: {
      type: 'message_action',
      ...common,
      callback_id: 'who_owns_this',
      trigger_id: triggerId(),
      action_ts: ts,
      message_ts: ts,
      response_url: responseUrl,
      message,
      channel: { id: channel, name: 'general' },
    },
    interactive_message: {
      type: 'interactive_message',
      ...common,
      callback_id: 'legacy_prompt',
      trigger_id: triggerId(),
      action_ts: ts,
      message_ts: ts,
      attachment_id: '1',
      response_url: responseUrl,
      channel: { id: channel, name: 'general' },
      actions: [{ name: 'confirm', type: 'button', value: '17' }],
      original_message: message,
    },
    dialog_submission: { type: 'dialog_submission', ...common, callback_id: 'legacy_dialog', state: '', action_ts: ts, response_url: responseUrl, channel: { id: channel, name: 'general' }, submission: { reason: 'rotated' } },
    dialog_cancellation: { type: 'dialog_cancellation', ...common, callback_id: 'legacy_dialog', state: '', action_ts: ts, response_url: responseUrl, channel: { id: channel, name: 'general' } },
    dialog_suggestion: { type: 'dialog_suggestion', ...common, callback_id: 'legacy_dialog', name: 'item', value: 'ledg', action_ts: ts, channel: { id: channel, name: 'general' } },
    workflow_step_edit: { type: 'workflow_step_edit', ...common, callback_id: 'ledger', trigger_id: triggerId(), action_ts: ts, workflow_step: { workflow_id: 'Wf0LEDGER', step_id: 'step-1', inputs: {}, outputs: [] } },
  };
  return Object.entries(interactions).map(([name, body]) => ({ name, kind: 'interaction', body }));
}

/** `app_rate_limited`: no inner event, no envelope; the whole payload as its reference page shows it. */
export function appRateLimited(minuteRateLimited = 1518467820): Record<string, unknown> {
  return { token: 'deprecated-verification-token', type: 'app_rate_limited', team_id: testTeam.id, minute_rate_limited: minuteRateLimited, api_app_id: appId };
}
