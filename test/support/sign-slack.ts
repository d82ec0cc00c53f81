import { createHmac } from 'node:crypto';

/*
 * Requests as Slack sends them: signed with the app's signing secret (`v0=` + hex HMAC-SHA256 of
 * `v0:{timestamp}:{raw body}`, with the timestamp in X-Slack-Request-Timestamp), slash commands and
 * interactions form-encoded (interactions as one `payload` field of JSON), Events API callbacks as JSON.
 * The payload factories follow the shapes Slack documents, with only the fields a test is about overridden.
 */

export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SendOptions {
  /** Seconds since the epoch; now by default (a stale one must be refused). */
  readonly timestamp?: number;
  /** Sign with this secret instead (a forged request). */
  readonly secret?: string;
  /** X-Slack-Retry-Num and X-Slack-Retry-Reason, as Slack sets them when it redelivers. */
  readonly retryNum?: number;
}

export interface SlackResponse {
  readonly status: number;
  readonly body: string;
  /** From sending the request to the end of the response. */
  readonly ms: number;
}

export class SlackSender {
  constructor(
    private readonly url: string,
    private readonly secret: string,
  ) {}

  async post(body: string, contentType: string, options: SendOptions = {}): Promise<SlackResponse> {
    const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = {
      'content-type': contentType,
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(options.secret ?? this.secret, timestamp, body),
    };
    if (options.retryNum !== undefined) {
      headers['x-slack-retry-num'] = String(options.retryNum);
      headers['x-slack-retry-reason'] = 'http_timeout';
    }
    const started = performance.now();
    const response = await fetch(this.url, { method: 'POST', headers, body });
    const text = await response.text();
    return { status: response.status, body: text, ms: performance.now() - started };
  }

  command(fields: Record<string, string>, options?: SendOptions): Promise<SlackResponse> {
    return this.post(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
  }

  interaction(payload: object, options?: SendOptions): Promise<SlackResponse> {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
  }

  event(envelope: object, options?: SendOptions): Promise<SlackResponse> {
    return this.post(JSON.stringify(envelope), 'application/json', options);
  }
}

export const testTeam = { id: 'T0STEWARD', domain: 'steward-test' };
export const appId = 'A0STEWARD';

let triggers = 0;
/** A trigger id, unique per interaction as Slack's are. */
export function triggerId(): string {
  triggers += 1;
  return `${1000000 + triggers}.4242.${triggers.toString(16).padStart(32, '0')}`;
}

/** A `/steward` invocation (https://docs.slack.dev/interactivity/implementing-slash-commands). */
export function slashCommand(user: string, text: string, responseUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: testTeam.id,
    team_domain: testTeam.domain,
    channel_id: 'C0GENERAL',
    channel_name: 'general',
    user_id: user,
    user_name: user.toLowerCase(),
    command: '/steward',
    text,
    api_app_id: appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId(),
    ...overrides,
  };
}

export interface ClickedButton {
  readonly actionId: string;
  readonly value: string;
  readonly blockId?: string;
}

/** A button click on a message (`block_actions`, https://docs.slack.dev/reference/interaction-payloads/block_actions-payload). */
export function blockActions(
  user: string,
  button: ClickedButton,
  where: { readonly channel: string; readonly ts: string } | { readonly home: true },
  responseUrl: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const actionTs = `${Math.floor(Date.now() / 1000)}.${String(triggers).padStart(6, '0')}`;
  const container =
    'home' in where
      ? { type: 'view', view_id: 'V0HOME' }
      : { type: 'message', message_ts: where.ts, channel_id: where.channel, is_ephemeral: false };
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: testTeam.id },
    api_app_id: appId,
    token: 'deprecated-verification-token',
    container,
    trigger_id: triggerId(),
    team: testTeam,
    enterprise: null,
    is_enterprise_install: false,
    ...('home' in where
      ? { view: { id: 'V0HOME', type: 'home', team_id: testTeam.id, callback_id: '', private_metadata: '', blocks: [] } }
      : {
          channel: { id: where.channel, name: 'directmessage' },
          message: { type: 'message', ts: where.ts, bot_id: 'B0STEWARD', text: 'Steward', blocks: [] },
          response_url: responseUrl,
        }),
    state: { values: {} },
    actions: [
      {
        type: 'button',
        action_id: button.actionId,
        block_id: button.blockId ?? 'actions',
        text: { type: 'plain_text', text: button.actionId, emoji: true },
        value: button.value,
        action_ts: actionTs,
      },
    ],
    ...overrides,
  };
}

/** A modal submitted (`view_submission`), with the inputs' values as Slack nests them (block → action → value). */
export function viewSubmission(user: string, view: { readonly callback_id: string; readonly private_metadata?: string; readonly values: Record<string, Record<string, unknown>> }): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: testTeam,
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: testTeam.id },
    api_app_id: appId,
    token: 'deprecated-verification-token',
    trigger_id: triggerId(),
    view: {
      id: 'V0MODAL',
      team_id: testTeam.id,
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata ?? '',
      blocks: [],
      state: { values: view.values },
      hash: '1700000000.abcdef',
      title: { type: 'plain_text', text: 'Steward' },
      app_id: appId,
      bot_id: 'B0STEWARD',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

let events = 0;
/** An Events API callback envelope (https://docs.slack.dev/apis/events-api/#callback-field). */
export function eventCallback(event: Record<string, unknown>, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  events += 1;
  return {
    token: 'deprecated-verification-token',
    team_id: testTeam.id,
    api_app_id: appId,
    event: { event_ts: `${Math.floor(Date.now() / 1000)}.${String(events).padStart(6, '0')}`, ...event },
    type: 'event_callback',
    event_id: `Ev0${String(events).padStart(8, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: testTeam.id, user_id: 'U0STEWARD', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    ...overrides,
  };
}
