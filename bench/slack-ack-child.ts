// Steward's Slack app as `serve` mounts it (Bolt's HTTP receiver beside /healthz, on a free port; slash commands
// answered by the store worker's threads) over the bench database, in its own process: its synchronous SQLite work
// must not hold up the clock of the side that measures. No scheduler and no outbox pump, so nothing but the
// commands runs. Prints the port; stops when stdin closes.
import { startHttpServer } from '../adapters/http/http-server.js';
import { createLogger } from '../adapters/logging/logger.js';
import { startSlackApp } from '../adapters/slack/slack-app.js';
import { StoreWorker } from '../adapters/cli/store-worker.js';
import { systemClock } from '../adapters/cli/system-clock.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { openSqliteStore } from '../storage/sqlite-store.js';

const [dbFile, apiUrl, signingSecret] = process.argv.slice(2);
if (!dbFile || !apiUrl || !signingSecret) throw new Error('usage: slack-ack-child <db> <slack api url> <signing secret>');

const store = openSqliteStore(dbFile);
const logger = createLogger('warn');
const worker = new StoreWorker({ dbPath: dbFile, policy: defaultPolicy, logger });
worker.start();
const slack = await startSlackApp({
  settings: { botToken: 'xoxb-test-token', mode: 'http', signingSecret, appToken: null, apiUrl, securityChannel: null },
  store,
  clock: systemClock,
  policy: defaultPolicy,
  logger,
  changed: () => undefined,
  chatCommand: (request) => worker.chatCommand(request, systemClock.now()),
});
const server = await startHttpServer(0, () => true, slack.route ? [slack.route] : []);
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);

process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    await slack.stop();
    await worker.close();
    await server.close();
    await store.close();
    // The Web API client's keep-alive sockets would hold the process open.
    process.exit(0);
  })();
});
