import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { serve } from '../../../adapters/cli/serve.js';
import { surfacesFor } from '../../../adapters/cli/surfaces-for.js';
import { systemClock } from '../../../adapters/cli/system-clock.js';
import { parseEnvironment, type Environment } from '../../../adapters/config/environment.js';
import type { PlannedMessage } from '../../../src/messages/outgoing-message.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';
import { enqueueMessage } from '../../storage/support/enqueue-message.js';
import { deliveries } from '../../storage/support/loop-state.js';

/*
 * The decision webhook wired into `serve`: a surface beside whichever others run (the console, or none), and an
 * outbox pump of its own that delivers the decisions queued in the database to a local receiver, signed.
 */

const secret = 'steward-webhook-secret-0123456789abcdef';

function environment(extra: Record<string, string>): Environment {
  const result = parseEnvironment({ PORT: '0', ...extra });
  if (!result.ok) throw new Error(result.problems.join('; '));
  return result.env;
}

const decided: PlannedMessage = {
  dedupeKey: 'approval_decision:12',
  addressee: { kind: 'webhook' },
  message: { kind: 'approval_decision', title: 'Rotation approved', text: 'approved', sections: [], actions: [], event: { type: 'approval.decided', id: 'approval-12' } },
  subjects: [],
};

let receiver: WebhookReceiver | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('surfacesFor: the decision webhook', () => {
  const wiring = (env: Environment, withConsole: boolean) => ({
    env,
    store: memoryStore(),
    clock: systemClock,
    policy: defaultPolicy,
    logger: recordingLogger().logger,
    worker: undefined,
    changed: () => undefined,
    console: withConsole ? { input: new PassThrough(), output: new PassThrough(), signal: new AbortController().signal, logFile: undefined, deliversOutbox: false } : null,
  });

  test.each([
    ['no webhook, no console', {}, false, []],
    ['the webhook alone (headless)', { STEWARD_WEBHOOK_URL: 'https://hooks.corp.example/steward', STEWARD_WEBHOOK_SECRET: secret }, false, ['webhook']],
    ['the webhook beside the console', { STEWARD_WEBHOOK_URL: 'https://hooks.corp.example/steward', STEWARD_WEBHOOK_SECRET: secret }, true, ['console', 'webhook']],
    ['the console alone', {}, true, ['console']],
  ])('when %s is configured, then serve runs those surfaces', async (_, env, withConsole, names) => {
    const surfaces = await surfacesFor(wiring(environment(env), withConsole));

    expect(surfaces.map((s) => s.name)).toEqual(names);
    expect(surfaces.filter((s) => s.chat !== null).map((s) => s.chat?.reach.webhook)).toEqual(names.includes('webhook') ? [true] : []);
  });
});

describe('serve with the decision webhook', () => {
  test('when a decision waits in the outbox and serve starts headless with the webhook, then its pump POSTs it, signed, and the secret is never said', async () => {
    receiver = await startWebhookReceiver({ secret, now: () => new Date() });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-webhook-'));
    dirs.push(dir);
    const db = path.join(dir, 'steward.db');
    const seed = openSqliteStore(db);
    enqueueMessage(seed, decided, new Date().toISOString());
    await seed.close();
    const output = new PassThrough();
    let said = '';
    output.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const stop = new AbortController();

    const running = serve({
      env: environment({ STEWARD_WEBHOOK_URL: receiver.url, STEWARD_WEBHOOK_SECRET: secret }),
      dbPath: db,
      policy: defaultPolicy,
      logLevel: 'silent',
      clock: systemClock,
      input: new PassThrough(),
      output,
      errorOutput: output,
      signal: stop.signal,
    });
    const current = receiver;
    await vi.waitFor(() => expect(current.accepted()).toHaveLength(1), { timeout: 10_000, interval: 20 });
    stop.abort();

    expect(await running).toBe(0);
    expect(current.accepted()[0]?.headers['steward-event-id']).toBe('approval-12');
    expect(said).toContain(`Decision webhook: each approval decision is POSTed, signed, to ${new URL(receiver.url).origin}.`);
    expect(said).toContain('running headless');
    expect(said).not.toContain(secret);
    const after = openSqliteStore(db);
    expect(deliveries(after).map((d) => [d.platform, d.status])).toEqual([['webhook', 'sent']]);
    await after.close();
  });
});
