import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importInventory } from '../../src/inventory/import-inventory.js';
import type { Policy } from '../../src/policy/policy.js';
import type { Clock } from '../../src/ports/clock.js';
import type { Store } from '../../src/ports/store.js';
import { openSqliteStore } from '../../storage/sqlite-store.js';
import { exitCodes, type ExitCode } from '../commands/exit-codes.js';
import { type Environment, hasChatCredentials } from '../config/environment.js';
import { runConsole } from '../console/run-console.js';
import { startHealthServer } from '../http/health-server.js';
import type { Logger } from '../logging/logger.js';
import { backstage } from '../sources/backstage/backstage.js';
import { inventoryCsv } from '../sources/csv/inventory-csv.js';
import { sourceFormats } from '../sources/formats.js';

const samplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/inventory');

export interface ServeOptions {
  readonly env: Environment;
  readonly dbPath: string;
  readonly policy: Policy;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly input?: NodeJS.ReadStream;
  readonly output?: NodeJS.WriteStream;
}

/** On a new, empty database, the sample inventory that ships with Steward, so the console has something to show. */
async function loadSampleInventoryIfEmpty(store: Store, clock: Clock): Promise<string | null> {
  const counts = await store.countInventory();
  if (counts.apis + counts.identities + counts.teams + counts.people > 0) return null;
  const snapshots = [
    ...backstage.read([path.join(samplesDir, 'catalog.yaml')], { source: 'sample:catalog' }, { apiCodePaths: [] }),
    ...inventoryCsv.read([path.join(samplesDir, 'identities.csv')], { source: 'sample:identities' }, { apiCodePaths: [] }),
  ];
  const report = await importInventory(store, clock, { snapshots, dryRun: false, actor: 'steward:sample' });
  if (!report.applied) throw new Error(`the bundled sample inventory did not import: ${JSON.stringify(report.problems)}`);
  const after = await store.countInventory();
  return `Loaded the sample inventory: ${after.apis} APIs, ${after.identities} identities, ${after.teams} teams, ${after.people} people.`;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => resolve(signal);
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}

/**
 * `steward serve` (and `npm start`): opens the database, keeps `GET /healthz` on PORT, and runs the chat
 * adapters, or, with no chat credentials, the console when standard input is a terminal. Under a service
 * manager or in a container (no terminal) it runs headless until SIGTERM, then stops cleanly.
 */
export async function serve(options: ServeOptions): Promise<ExitCode> {
  const { env, logger } = options;
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const say = (text: string) => output.write(`${text}\n`);
  const store = openSqliteStore(options.dbPath);
  try {
    const loaded = await loadSampleInventoryIfEmpty(store, options.clock);
    if (loaded) say(`${loaded} (${options.dbPath})`);
    let server;
    try {
      server = await startHealthServer(env.PORT);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      say(`Port ${env.PORT} is in use; set PORT to a free port.`);
      return exitCodes.badInput;
    }
    logger.info({ port: server.port, db: options.dbPath }, 'serving GET /healthz');
    try {
      if (hasChatCredentials(env)) say('Chat credentials are set, but the Slack and Teams adapters are not part of this version yet; running without them.');
      else say('No Slack or Teams credentials found (SLACK_BOT_TOKEN, MICROSOFT_APP_ID): using the console.');
      if (input.isTTY) {
        await runConsole({
          input,
          output,
          terminal: true,
          logger,
          deps: { clock: options.clock, policy: options.policy, actor: 'console', formats: sourceFormats, openStore: async () => store },
        });
      } else {
        say(`No terminal on standard input: running headless. GET /healthz on port ${server.port}; stop with SIGTERM.`);
        const signal = await waitForSignal();
        logger.info({ signal }, 'stopping');
      }
      return exitCodes.ok;
    } finally {
      await server.close();
    }
  } finally {
    await store.close();
  }
}
