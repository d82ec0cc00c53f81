import { ActivityTypes, CloudAdapter, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { DigestChart } from '../../src/digest/digest-view.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { runChatCommand, type ChatCommandRunner } from '../chat/run-chat-command.js';
import type { TeamsSettings } from '../config/environment.js';
import type { Health, HttpRoute } from '../http/http-server.js';
import type { Logger } from '../logging/logger.js';
import { botRoute } from './bot-route.js';
import { cardContextFor } from './card-context.js';
import { cardsFor } from './cards/cards-for.js';
import { noticeCard } from './cards/notice-card.js';
import { teamsPlatform } from './teams-account.js';
import { tenantOf } from './teams-address.js';
import { checkTeamsCredentials, teamsAuthentication, type TeamsAuthOverrides } from './teams-auth.js';
import { TeamsBot } from './teams-bot.js';
import { TeamsChat } from './teams-chat.js';
import { TeamsPeople } from './teams-people.js';

export interface TeamsAppOptions {
  readonly settings: TeamsSettings;
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly logger: Logger;
  /** Called after each change a Teams user makes: the dispatcher delivers the updates it caused. */
  readonly changed: () => void;
  /** Runs a chat command off the thread that answers requests (`serve`'s store worker); here when not given. */
  readonly chatCommand?: ChatCommandRunner;
  /** Least time between two deliveries (tests pass 0). */
  readonly minIntervalMs?: number;
  /** Draws a digest's chart as a PNG off the event loop (adapters/charts); without one, digests go without their chart. */
  readonly drawChart?: (chart: DigestChart) => Promise<Uint8Array>;
  /** The longest a chart may take before the digest goes without it (10 s; tests pass less). */
  readonly chartTimeoutMs?: number;
  /** The tests' fake Bot Framework: where tokens are checked and fetched. Production passes none. */
  readonly authOverrides?: TeamsAuthOverrides;
}

export interface TeamsApp {
  /** `POST /api/messages`, served on PORT beside `/healthz`. */
  readonly route: HttpRoute;
  readonly chat: TeamsChat;
  /** How the app runs, for the line `serve` says at start. */
  readonly mode: string;
  health(): Health;
}

/**
 * The tenant an activity must come from: MICROSOFT_APP_TENANT_ID; in development mode without one, the first
 * tenant that reaches Steward (recorded in the store, so it survives a restart and is the same for every process).
 */
function homeTenant(options: TeamsAppOptions): (tenant: string | null) => Promise<string | null> {
  const { settings, store, clock, logger } = options;
  let home = settings.tenantId;
  return async (tenant) => {
    if (home !== null || tenant === null) return home;
    home = await store.claimHome(teamsPlatform, tenant, clock.now().toISOString());
    logger.warn({ tenant: home }, `Teams development mode: tenant ${home} is Steward's home (the first to reach it); activities from any other are refused`);
    return home;
  };
}

/**
 * Steward as a Teams bot, its credentials checked with Entra ID first (a refusal stops here, exit 2): botbuilder's
 * CloudAdapter behind `POST /api/messages`, every request's token verified
 * (none in development mode, announced by `serve`), activities from another tenant refused without a word, the
 * bot's handlers, and Teams as the outbox's chat platform. One error boundary: a failure is logged with a
 * reference, and the person sees only the reference.
 */
export async function startTeamsApp(options: TeamsAppOptions): Promise<TeamsApp> {
  const { settings, logger } = options;
  await checkTeamsCredentials(settings, options.authOverrides);
  const auth = teamsAuthentication(settings, options.authOverrides);
  const adapter = new CloudAdapter(auth);
  const people = new TeamsPeople(options.store, logger, options.clock);
  const deps = { store: options.store, clock: options.clock, policy: options.policy, logger, people, changed: options.changed };
  const bot = new TeamsBot({ ...deps, runChat: options.chatCommand ?? ((request) => runChatCommand(deps, request)) });

  adapter.onTurnError = async (context, error) => {
    const reference = randomUUID().slice(0, 8);
    logger.error({ err: error, reference, activity: context.activity.type }, 'Teams: an activity failed');
    const text = `Something went wrong on Steward's side (reference ${reference}); nothing was changed twice. Try again, or give the reference to whoever runs Steward.`;
    if (context.activity.type === ActivityTypes.Invoke) context.turnState.set(INVOKE_RESPONSE_KEY, { type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: noticeCard(text, 'refusal') } } });
    else await context.sendActivity(text).catch(() => undefined);
  };

  const home = homeTenant(options);
  const logic = async (context: TurnContext) => {
    const tenant = tenantOf(context.activity);
    const expected = await home(tenant);
    // Another organisation's activity learns nothing: no answer, an invoke a bare 403; the log says whose it was.
    if (expected !== null && tenant?.toLowerCase() !== expected.toLowerCase()) {
      logger.warn({ tenant, type: context.activity.type }, 'Teams: an activity from another tenant was refused');
      if (context.activity.type === ActivityTypes.Invoke) context.turnState.set(INVOKE_RESPONSE_KEY, { type: ActivityTypes.InvokeResponse, value: { status: 403 } });
      return;
    }
    await bot.run(context);
  };

  const chat = new TeamsChat({
    adapter,
    botAppId: settings.appId ?? '',
    audience: auth.getOriginatingAudience(),
    store: options.store,
    // Each button carries the delivery it was posted by: a click is answered with that message as it stands.
    render: async (delivery, chart) => cardsFor(delivery.message, { snoozeMaxDays: options.policy.attestation.snoozeMaxDays, data: { delivery: delivery.id }, ...(await cardContextFor(options.store, delivery.message)), ...(chart === null ? {} : { chart }) }),
    ...(options.drawChart === undefined ? {} : { drawChart: options.drawChart }),
    ...(options.chartTimeoutMs === undefined ? {} : { chartTimeoutMs: options.chartTimeoutMs }),
    logger,
    minIntervalMs: options.minIntervalMs ?? options.policy.delivery.paceMs.teams ?? 40,
    ...(options.minIntervalMs === undefined ? {} : { conversationIntervalMs: options.minIntervalMs }),
  });
  const mode = settings.unauthenticated ? 'development mode: requests are NOT verified' : `app ${settings.appId}, tenant ${settings.tenantId}`;
  return {
    route: botRoute(adapter, logic, { onError: (error) => logger.error({ err: error }, 'Teams: a request failed before the bot could answer') }),
    chat,
    mode,
    health: () => ({ ok: true }),
  };
}
