import type { SlackSettings } from '../../../adapters/config/environment.js';
import { startHttpServer, type HttpServer } from '../../../adapters/http/http-server.js';
import { startOutboxPump, type OutboxPump } from '../../../adapters/scheduler/outbox-pump.js';
import type { DrawChart } from '../../../adapters/slack/post-digest.js';
import { startSlackApp, type SlackApp } from '../../../adapters/slack/slack-app.js';
import { webhookChat, webhookReach } from '../../../adapters/webhook/webhook-chat.js';
import type { RawEntry } from '../../../src/inventory/import-entry.js';
import type { Policy } from '../../../src/policy/policy.js';
import type { Clock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions, type FakeSlackUser } from '../../support/fake-slack.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { directoryEntries, importLoop, loopPolicy } from '../../support/loop.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { blockActions, eventCallback, SlackSender } from '../../support/sign-slack.js';

/*
 * Steward's Slack app as it runs under `serve`, over real HTTP on port 0: Bolt's HTTP receiver mounted beside
 * /healthz, the Web API at a fake Slack server, a fresh in-memory database with the loop scenarios' people and
 * teams, and the outbox pump delivering through the Slack chat port.
 */

export const signingSecret = 'test-signing-secret-8f2d6c';
export const importedAt = '2026-11-02T09:00:00.000Z';

/** The loop directory's people as Slack users: `ana` is U0ANA, ana@acme.example. */
export const slackUsers: FakeSlackUser[] = ['ana', 'ben', 'cy', 'lena', 'leo', 'lia', 'pat', 'zed'].map((name) => ({ id: `U0${name.toUpperCase()}`, email: `${name}@acme.example`, name }));
export const userId = (name: string) => `U0${name.toUpperCase()}`;

/** The channels the loop directory names, as the workspace has them. */
export const slackChannels = { 'sec-ownership': 'C0SECURITY', payments: 'C0PAYMENTS', ledger: 'C0LEDGER' };

/** A clock the test moves: the app answers and the pump delivers at its time. */
export class TestClock implements Clock {
  constructor(private at: string) {}

  now(): Date {
    return new Date(this.at);
  }

  set(iso: string): void {
    this.at = iso;
  }
}

export interface HarnessOptions {
  readonly items?: RawEntry[];
  /** When the items are imported (importedAt by default). */
  readonly importedAt?: string;
  readonly directory?: RawEntry[];
  readonly fake?: FakeSlackOptions;
  readonly policy?: Policy;
  /** The clock's time; real time when 'system' (for tests that wait out a real Retry-After). */
  readonly clock?: string | 'system';
  readonly settings?: Partial<SlackSettings>;
  /** The decision webhook beside Slack, as `serve` runs it: its own pump, at this receiver. */
  readonly webhook?: { readonly url: string; readonly secret: string };
  /** Draws a digest's chart, as `serve` passes the chart renderer's; digests go without a chart when not given. */
  readonly drawChart?: DrawChart;
}

export interface Harness {
  readonly store: SqliteStore;
  readonly fake: FakeSlack;
  readonly slack: SlackApp;
  readonly pump: OutboxPump;
  /** The decision webhook's pump, when the harness has one. */
  readonly webhookPump: OutboxPump | null;
  readonly server: HttpServer;
  readonly send: SlackSender;
  readonly clock: TestClock | Clock;
  readonly policy: Policy;
  readonly logs: Array<Record<string, unknown>>;
  /** `GET /healthz` on the harness's server: its status and JSON body. */
  health(): Promise<{ readonly status: number; readonly body: unknown }>;
  /** Moves the test clock (answers and deliveries happen then). */
  moveClock(iso: string): void;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const store = memoryStore();
  if (options.items !== undefined) await importLoop(store, options.importedAt ?? importedAt, options.items, options.directory ?? directoryEntries());
  const fake = await startFakeSlack({ users: slackUsers, channels: slackChannels, ...options.fake });
  const policy = options.policy ?? loopPolicy();
  const clock: TestClock | Clock = options.clock === 'system' ? { now: () => new Date() } : new TestClock(options.clock ?? '2026-11-09T09:00:00.000Z');
  const { logger, records } = recordingLogger('debug');
  let pump: OutboxPump | undefined = undefined;
  let webhookPump: OutboxPump | null = null;
  const settings: SlackSettings = {
    botToken: 'xoxb-test-token',
    mode: 'http',
    signingSecret,
    appToken: null,
    apiUrl: fake.apiUrl,
    securityChannel: null,
    ...options.settings,
  };
  const changed = () => {
    pump?.kick();
    webhookPump?.kick();
  };
  const slack = await startSlackApp({ settings, store, clock, policy, logger, changed, minIntervalMs: 0, ...(options.drawChart === undefined ? {} : { drawChart: options.drawChart }) });
  const server = await startHttpServer(0, () => slack.health(), slack.route ? [slack.route] : []);
  const platforms = options.webhook === undefined ? [slack.chat.reach] : [slack.chat.reach, webhookReach];
  pump = startOutboxPump({
    store,
    chat: slack.chat,
    clock,
    logger,
    owner: 'test:slack',
    platforms,
    delivery: policy.delivery,
    pollMs: 60_000,
    halted: () => slack.halted(),
  });
  if (options.webhook !== undefined)
    webhookPump = startOutboxPump({ store, chat: webhookChat({ settings: options.webhook, clock }), clock, logger, owner: 'test:webhook', platforms, delivery: policy.delivery, pollMs: 60_000 });
  const started = pump;
  return {
    store,
    fake,
    slack,
    pump: started,
    webhookPump,
    server,
    send: new SlackSender(`http://127.0.0.1:${server.port}/slack/events`, signingSecret),
    clock,
    policy,
    logs: records,
    health: async () => {
      const response = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      return { status: response.status, body: (await response.json()) as unknown };
    },
    moveClock: (iso) => {
      if (!(clock instanceof TestClock)) throw new Error('this harness runs on the system clock');
      clock.set(iso);
    },
    close: async () => {
      await started.stop();
      await webhookPump?.stop();
      await slack.stop();
      await server.close();
      await fake.close();
      await store.close();
    },
  };
}

/** A published Home tab, as Slack got it. */
export interface PublishedHome {
  readonly blocks: ReadonlyArray<{ readonly type: string; readonly text?: { readonly text: string }; readonly elements?: ReadonlyArray<{ readonly type: string; readonly action_id?: string; readonly value?: string; readonly text?: { readonly text: string } }> }>;
}

/** Every Home tab published for `who` so far, oldest first. */
export function homesOf(h: Harness, who: string): PublishedHome[] {
  return h.fake.callsTo('views.publish').filter((c) => c.args.user_id === userId(who)).map((c) => c.args.view as PublishedHome);
}

/** The `n`th Home tab published for `who` (from 1), once it is. */
export async function nthHomeOf(h: Harness, who: string, n: number): Promise<PublishedHome> {
  await h.fake.waitFor(() => homesOf(h, who).length >= n);
  return homesOf(h, who)[n - 1] as PublishedHome;
}

/** `who` opens Steward's Home tab (app_home_opened): the Home tab published for them in answer. */
export async function openHome(h: Harness, who: string): Promise<PublishedHome> {
  const before = homesOf(h, who).length;
  await h.send.event(eventCallback({ type: 'app_home_opened', user: userId(who), channel: `D${userId(who)}`, tab: 'home' }));
  return nthHomeOf(h, who, before + 1);
}

/** The buttons of a Home tab, in order: `approval.approve 1`. */
export function homeButtons(home: PublishedHome): string[] {
  return home.blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).filter((e) => e.type === 'button').map((e) => `${e.action_id ?? ''} ${e.value ?? ''}`) : []));
}

/** The texts of a Home tab's sections. */
export function homeTexts(home: PublishedHome): string[] {
  return home.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
}

/** A button pressed by `who` in their Home tab (container type `view`: no message, no response_url): the click as sent. */
export function pressOnHome(h: Harness, who: string, actionId: string, value: string) {
  const click = blockActions(userId(who), { actionId, value }, { home: true }, h.fake.responseUrl(`home-${who}`));
  return { click, sent: h.send.interaction(click) };
}
