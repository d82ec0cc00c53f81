import type { Readable, Writable } from 'node:stream';
import type { DigestChart } from '../../src/digest/digest-view.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { createChartRenderer } from '../charts/chart-renderer.js';
import type { ChatCommandRequest } from '../chat/run-chat-command.js';
import type { Surface } from '../chat/surface.js';
import type { Environment } from '../config/environment.js';
import { slackSettings, teamsSettings, webhookSettings } from '../config/environment.js';
import { consoleSurface } from '../console/console-surface.js';
import type { Logger } from '../logging/logger.js';
import { startSlackApp } from '../slack/slack-app.js';
import { slackSurface } from '../slack/slack-surface.js';
import { sourceFormats } from '../sources/formats.js';
import { startTeamsApp } from '../teams/teams-app.js';
import { teamsSurface } from '../teams/teams-surface.js';
import { webhookChat } from '../webhook/webhook-chat.js';
import { webhookSurface } from '../webhook/webhook-surface.js';
import type { StoreWorker } from './store-worker.js';

export interface SurfaceWiring {
  readonly env: Environment;
  readonly store: Store;
  readonly clock: Clock;
  readonly policy: Policy;
  readonly logger: Logger;
  /** Runs slow work (chat commands) off the thread that acknowledges requests; absent for a database in memory. */
  readonly worker: StoreWorker | undefined;
  /** Something changed that the outbox should deliver now (an answer, a claim). */
  readonly changed: () => void;
  /** The console, when it runs: the terminal and when to end. */
  readonly console: { readonly input: Readable; readonly output: Writable; readonly signal: AbortSignal; readonly logFile: string | undefined; readonly deliversOutbox: boolean } | null;
}

/**
 * The surfaces `serve` runs, from its configuration: Slack when SLACK_BOT_TOKEN is set (its token checked with
 * Slack first: a refusal stops here, exit 2), Teams when MICROSOFT_APP_ID (or development mode) is, both at once
 * from one database when both are; else the console when there is a terminal, else none (headless). Beside
 * whichever of these, the decision webhook when STEWARD_WEBHOOK_URL is set. This is where a new platform plugs
 * in: one more line here, and its folder under `adapters/`.
 */
export async function surfacesFor(wiring: SurfaceWiring): Promise<Surface[]> {
  const { worker } = wiring;
  const chatCommand = worker === undefined ? {} : { chatCommand: (request: ChatCommandRequest) => worker.chatCommand(request, wiring.clock.now()) };
  // One chart thread for Slack and Teams, started at the first digest; idle, it never keeps the process alive.
  const charts = createChartRenderer();
  const common = { store: wiring.store, clock: wiring.clock, policy: wiring.policy, logger: wiring.logger, changed: wiring.changed, drawChart: (chart: DigestChart) => charts.png(chart), ...chatCommand };
  const surfaces: Surface[] = [];
  const slack = slackSettings(wiring.env);
  if (slack !== null) surfaces.push(slackSurface(await startSlackApp({ settings: slack, ...common })));
  const teams = teamsSettings(wiring.env);
  if (teams !== null) surfaces.push(teamsSurface(await startTeamsApp({ settings: teams, ...common }), wiring.logger, teams.unauthenticated));
  const webhook = webhookSettings(wiring.env);
  const webhookPort = webhook === null ? null : webhookChat({ settings: webhook, clock: wiring.clock, minIntervalMs: wiring.policy.delivery.paceMs.webhook ?? 0 });
  if (surfaces.length === 0 && wiring.console !== null)
    surfaces.push(
      consoleSurface({
        ...wiring.console,
        otherChats: webhookPort === null ? [] : [webhookPort],
        changed: wiring.changed,
        logger: wiring.logger,
        deps: { clock: wiring.clock, policy: wiring.policy, actor: 'console', formats: sourceFormats, openStore: async () => wiring.store },
      }),
    );
  if (webhook !== null && webhookPort !== null) surfaces.push(webhookSurface(webhookPort, webhook.url));
  return surfaces;
}
