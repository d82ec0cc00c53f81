import { App, HTTPReceiver, SocketModeReceiver, webApi, type BlockAction, type ButtonAction, type Receiver } from '@slack/bolt';
import { InputError } from '../../src/errors.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { runChatCommand, type ChatCommandRunner } from '../chat/run-chat-command.js';
import type { SlackSettings } from '../config/environment.js';
import type { Health, HttpRoute } from '../http/http-server.js';
import type { Logger } from '../logging/logger.js';
import { AckFirst } from './ack-first.js';
import { acknowledgingReceiver } from './acknowledging-receiver.js';
import { answerButton } from './answer-button.js';
import { renderMessage } from './blocks/render-message.js';
import { boltLogger } from './bolt-logger.js';
import { errorBoundary } from './error-boundary.js';
import { homePageButton } from './home-page-button.js';
import { mentionsAsEmails } from './mentions-as-emails.js';
import { modalSubmission, openModalButton } from './modal-flows.js';
import type { DrawChart } from './post-digest.js';
import { claimButton } from './claim-button.js';
import { decisionButton, decisionSubmission } from './decision-flows.js';
import { rotationButton } from './rotation-button.js';
import { requestGuard, type Workspace } from './request-guard.js';
import { runSlashCommand } from './run-slash-command.js';
import { deliveryClient, SlackChat } from './slack-chat.js';
import type { ButtonHandler, SlackDeps } from './slack-deps.js';
import { SlackAccess } from './slack-access.js';
import { guestAnswer, SlackPeople } from './slack-people.js';
import { publishHome } from './publish-home.js';
import { userChangeListener } from './user-change-listener.js';
import { actionIds, answerModalIds, botEvents, decisionModalIds, slashCommand, type SlackActionId } from './slack-registry.js';
import { refusedTokenCodes, slackErrorCode, startupFailure } from './web-api-failure.js';

export interface SlackAppOptions {
  readonly settings: SlackSettings;
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly logger: Logger;
  /** Called after each change a Slack user makes: the outbox dispatcher delivers the updates it caused. */
  readonly changed: () => void;
  /** Least time between two deliveries of the dispatcher (tests pass 0). */
  readonly minIntervalMs?: number;
  /**
   * Runs the chat command `/steward <text>` and returns the answer to render; `serve` passes its store worker's, so
   * a slow command never holds up the event loop that acknowledges Slack. Run on this thread when not given.
   */
  readonly chatCommand?: ChatCommandRunner;
  /** Draws a digest's chart as a PNG off the event loop (adapters/charts); without one, digests go without their chart. */
  readonly drawChart?: DrawChart;
}

export interface SlackApp {
  /** The workspace and bot user the token belongs to (auth.test at start-up). */
  readonly workspace: Workspace & { readonly name: string; readonly botUserId: string };
  /** Over HTTP, `POST /slack/events`, to serve on PORT beside `/healthz`; null in Socket Mode. */
  readonly route: HttpRoute | null;
  /** Slack as the outbox dispatcher's chat platform, with its own Web API client. */
  readonly chat: SlackChat;
  /** For `GET /healthz`: degraded, with the reason, once Slack no longer takes the bot token. */
  health(): Health;
  /** Why Slack no longer takes the bot token (revoked, the app uninstalled); null while it does. The outbox pump stops then. */
  halted(): string | null;
  /** Connects to Slack in Socket Mode; nothing to do over HTTP, where the route serves. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Slack could not say who this is (users.info failed) and the store does not know them: not answered, to be safe. */
const uncheckedAnswer = 'Steward could not check your Slack account just now; try again in a minute.';

/** auth.test: the workspace and bot user the token belongs to; any failure is bad configuration (exit 2), in one line. */
async function whoAmI(settings: SlackSettings, logger: Logger) {
  // Its own client: no retries (an unreachable Slack is reported at once), and the library's own warning about
  // the failed request left out, since the one line thrown here says it all.
  const client = new webApi.WebClient(settings.botToken, {
    ...(settings.apiUrl === null ? {} : { slackApiUrl: settings.apiUrl }),
    retryConfig: { retries: 0 },
    timeout: 10_000,
    logger: boltLogger(logger, 'error'),
  });
  let auth: webApi.AuthTestResponse;
  try {
    auth = await client.auth.test();
  } catch (error) {
    throw new InputError(startupFailure(error, settings.apiUrl !== null), [], { cause: error });
  }
  if (!auth.team_id || !auth.user_id) throw new InputError(`Slack's Web API${settings.apiUrl === null ? '' : ' at SLACK_API_URL'} answered auth.test without a team or user id`);
  return { teamId: auth.team_id, enterpriseId: auth.enterprise_id ?? null, name: auth.team ?? auth.team_id, botUserId: auth.user_id, botId: auth.bot_id };
}

function receiverFor(settings: SlackSettings, logger: Logger): { receiver: Receiver; route: HttpRoute | null } {
  if (settings.mode === 'socket' && settings.appToken !== null) {
    const clientOptions = settings.apiUrl === null ? {} : { slackApiUrl: settings.apiUrl };
    return { receiver: new SocketModeReceiver({ appToken: settings.appToken, logger: boltLogger(logger), installerOptions: { clientOptions } }), route: null };
  }
  if (settings.signingSecret === null) throw new InputError('SLACK_SIGNING_SECRET: is required over HTTP (or set SLACK_APP_TOKEN for Socket Mode)');
  // Bolt checks each request's signature and its timestamp (within five minutes), then hands it to the app; its
  // own server is never started: `serve` mounts the listener on PORT beside /healthz.
  const receiver = new HTTPReceiver({ signingSecret: settings.signingSecret, endpoints: '/slack/events', logger: boltLogger(logger), processBeforeResponse: false });
  return { receiver, route: { path: '/slack/events', listener: receiver.requestListener } };
}

/**
 * Steward as a Slack app (Bolt): `/steward`, the prompts' buttons and modals, the queues' Claim and Take it, the
 * Home tab, and the leaver flow, each registered from the registry that `manifest.json` is checked against. Every
 * listener acknowledges first and works after (Slack's 3 seconds are never at risk), and the guard in front of
 * them refuses other workspaces (no database, no Web API call before the ack) and drops redelivered events.
 */
export async function startSlackApp(options: SlackAppOptions): Promise<SlackApp> {
  const { settings, logger } = options;
  const me = await whoAmI(settings, logger);
  const delivery = deliveryClient(settings.botToken, settings.apiUrl, logger);
  const { receiver, route } = receiverFor(settings, logger);
  const app = new App({
    token: settings.botToken,
    botId: me.botId,
    botUserId: me.botUserId,
    receiver: acknowledgingReceiver(receiver, { logger, teamId: me.teamId }),
    logger: boltLogger(logger),
    tokenVerificationEnabled: false,
    extendedErrorHandler: true,
    convoStore: false,
    // The client that answers people (views.open within a click's 3 seconds, views.publish): a 429 fails fast
    // and is explained, rather than holding the reply for the Retry-After.
    clientOptions: {
      ...(settings.apiUrl === null ? {} : { slackApiUrl: settings.apiUrl }),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 1, minTimeout: 200, maxTimeout: 1_000 },
      timeout: 10_000,
    },
  });
  const access = new SlackAccess(logger);
  const ackFirst = new AckFirst();
  const deps: SlackDeps = { store: options.store, clock: options.clock, policy: options.policy, logger, people: new SlackPeople(app.client, options.store, logger, options.clock), changed: options.changed };
  const workspace = { teamId: me.teamId, enterpriseId: me.enterpriseId };

  app.use(async ({ next }) => {
    ackFirst.arrived();
    await next();
  });
  app.use(requestGuard(deps, workspace));

  const runChat = options.chatCommand ?? ((request) => runChatCommand(deps, request));
  app.command(slashCommand.command, async ({ command, ack, respond }) => {
    await ack();
    // In a burst, the requests still coming in are acknowledged before this one's work holds up the event loop.
    await ackFirst.turn();
    const speaker = await deps.people.speaker(command.user_id);
    // A mention (`--to @cy`) becomes the person's email before the grammar reads it.
    const typed = speaker.member === 'yes' ? await mentionsAsEmails(command.text, (id) => deps.people.emailOf(id)) : '';
    const text = speaker.member === 'guest' ? guestAnswer : speaker.member === 'unknown' ? uncheckedAnswer : await runSlashCommand(runChat, speaker.actor, typed);
    // `attest` and `claim` queue updates: the dispatcher delivers them now rather than at its next round.
    deps.changed();
    await respond({ response_type: 'ephemeral', text });
  });

  // One handler per registered action id: the type makes a button the registry lists without a handler a compile error.
  const buttons: Record<SlackActionId, ButtonHandler> = {
    'attest.confirm': answerButton(deps, 'attest.confirm'),
    'attest.confirm_all': answerButton(deps, 'attest.confirm_all'),
    'attest.decommission': answerButton(deps, 'attest.decommission'),
    'attest.update': openModalButton(deps, 'attest.update'),
    'attest.dispute': openModalButton(deps, 'attest.dispute'),
    'attest.snooze': openModalButton(deps, 'attest.snooze'),
    'queue.claim': claimButton(deps),
    'queue.take': claimButton(deps),
    'approval.approve': decisionButton(deps, 'approval.approve'),
    'approval.reject': decisionButton(deps, 'approval.reject'),
    'transfer.accept': decisionButton(deps, 'transfer.accept'),
    'transfer.decline': decisionButton(deps, 'transfer.decline'),
    'request.rotation': rotationButton(deps),
    'home.page': homePageButton(deps),
  };
  for (const id of actionIds) app.action<BlockAction<ButtonAction>>(id, buttons[id]);
  for (const id of answerModalIds) app.view(id, modalSubmission(deps, id));
  for (const id of decisionModalIds) app.view(id, decisionSubmission(deps, id));

  const events: Record<(typeof botEvents)[number], () => void> = {
    app_home_opened: () =>
      app.event('app_home_opened', async ({ event, client }) => {
        if (event.tab === 'home') await publishHome(deps, client, event.user);
      }),
    user_change: () => app.event('user_change', userChangeListener(deps)),
    tokens_revoked: () =>
      app.event('tokens_revoked', async ({ event }) => {
        // Each list holds the user ids whose tokens were revoked; Steward holds the bot user's token alone.
        const bots = event.tokens.bot ?? [];
        if (bots.includes(me.botUserId)) access.lose("Slack revoked Steward's bot token (tokens_revoked)", { botUserId: me.botUserId });
        else logger.info({ bot: bots, oauth: event.tokens.oauth ?? [] }, 'Slack revoked tokens Steward does not use');
      }),
    app_uninstalled: () => app.event('app_uninstalled', async () => access.lose('Steward was uninstalled from the Slack workspace (app_uninstalled)')),
  };
  for (const name of botEvents) events[name]();

  app.error(errorBoundary(logger, app.client, access));

  const chat = new SlackChat({
    client: delivery,
    store: options.store,
    securityChannel: settings.securityChannel,
    policySecurityChannel: options.policy.securityChannel,
    render: renderMessage,
    access,
    ...(options.drawChart === undefined ? {} : { drawChart: options.drawChart }),
    logger,
    minIntervalMs: options.minIntervalMs ?? options.policy.delivery.paceMs.slack ?? 200,
  });
  let started = false;
  return {
    workspace: { ...workspace, name: me.name, botUserId: me.botUserId },
    route,
    chat,
    health: () => access.health(),
    halted: () => access.lost(),
    start: async () => {
      if (route !== null || started) return;
      try {
        await app.start();
      } catch (error) {
        // apps.connections.open refused the app-level token: bad configuration (exit 2), named, never echoed.
        const code = slackErrorCode(error);
        if (refusedTokenCodes.has(code)) throw new InputError(`SLACK_APP_TOKEN was refused by Slack (${code}): copy an App-Level Token (xapp-…) with the connections:write scope`, [], { cause: error });
        throw error;
      }
      started = true;
    },
    stop: async () => {
      if (started) await app.stop();
      started = false;
    },
  };
}
