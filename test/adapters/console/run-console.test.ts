import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { loadSampleInventoryIfEmpty } from '../../../adapters/cli/sample-inventory.js';
import type { CommandDeps } from '../../../adapters/commands/run-command.js';
import { runConsole } from '../../../adapters/console/run-console.js';
import { sourceFormats } from '../../../adapters/sources/formats.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { Store } from '../../../src/ports/store.js';
import { projectFixture } from '../../support/fixtures.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { consoleTranscript } from '../../support/console-transcript.js';
import { recordingLogger } from '../../support/recording-logger.js';

const clock = fixedClock('2026-11-28T09:00:00Z');

async function sampleStore(): Promise<Store> {
  const store = memoryStore();
  await loadSampleInventoryIfEmpty(store, clock);
  return store;
}

/** Types `lines` into a console (no terminal), ends the input, and returns everything it printed. */
async function converse(lines: readonly string[], options: { store?: Store; openStore?: CommandDeps['openStore']; signal?: AbortSignal } = {}) {
  const store = options.store ?? (await sampleStore());
  const { printed, records } = await consoleTranscript(lines, {
    store,
    clock,
    policy: defaultPolicy,
    formats: sourceFormats,
    ...(options.openStore ? { openStore: options.openStore } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return { printed, records, store };
}

describe('runConsole', () => {
  test('when a user types what they would type after /steward, then they get the same answers', async () => {
    const { printed } = await converse(['who payments-api', 'list --unowned']);

    expect(printed).toContain('Steward console.');
    expect(printed).toMatch(/payments-api \(API\) — Payments API\n {2}Owning team: +payments \(Payments\), #payments\n {2}Accountable: +Alice Nguyen <alice\.nguyen@northwind\.example>/);
    expect(printed).toMatch(/\napi +legacy-soap-gateway +— +—\n/);
    expect(printed).toContain('steward> ');
  });

  test('when a quote is not closed, then it says so and carries on', async () => {
    const { printed } = await converse(['who "payments-api', 'who payments-api']);

    expect(printed).toContain('A quote is not closed.');
    expect(printed).toContain('payments-api (API) — Payments API');
  });

  test('when quotes keep words together, then a name with spaces is one query', async () => {
    const { printed } = await converse(['who "Payments API"']);

    expect(printed).toContain('payments-api (API) — Payments API');
  });

  test('when the command is unknown, then the answer points to help', async () => {
    const { printed } = await converse(['frobnicate']);

    expect(printed).toContain('frobnicate is not a command here. Type help for the commands.');
  });

  test('when an option is wrong, then the answer gives the usage without the program name', async () => {
    const { printed } = await converse(['list --colour']);

    expect(printed).toMatch(/`--colour` is not an option of list; its options: --unowned, .*\nUsage: list \[--unowned\]/);
  });

  test('when the user asks for help, then the console commands are listed and serve is not offered', async () => {
    const { printed } = await converse(['help', 'serve']);

    const help = printed.slice(printed.indexOf('Commands:'));
    for (const command of ['who <query>', 'list [--unowned]', 'import <format>', 'check <paths…>', 'help [command]']) expect(help).toContain(`  ${command}`);
    expect(help).not.toMatch(/^ {2}serve/m);
    expect(printed).toContain('serve is not a command here. Type help for the commands.');
  });

  test('when import and check are typed, then they work as on the command line', async () => {
    const catalog = projectFixture('cli/check/unowned-api.yaml');

    const { printed } = await converse([`import backstage ${catalog}`, 'who stock-api', `check ${catalog}`]);

    expect(printed).toContain('Imported.');
    expect(printed).toContain('stock-api (API) — stock-api');
    expect(printed).toContain('! unowned: no owning team and no accountable person');
    expect(printed).toContain(`${catalog}:16: stock-api: no owning team`);
    expect(printed).toContain('check: 3 findings on 1 item (of 2 APIs and 0 identities).');
  });

  test('when a file is refused, then the console says where and why, and the conversation goes on', async () => {
    const { printed } = await converse([`import csv ${projectFixture('cli/bad/malformed.csv')}`, 'import csv /nonexistent/file.csv', 'who payments-api']);

    expect(printed).toMatch(/malformed\.csv:3: expires_at: is not an ISO 8601 date/);
    expect(printed).toContain('/nonexistent/file.csv: cannot read the file');
    expect(printed).toContain('payments-api (API) — Payments API');
  });

  test('when a command fails on our side, then the user gets a reference and no stack trace, and the log has both', async () => {
    const failure = new Error('disk on fire');

    const { printed, records } = await converse(['who payments-api', 'help'], {
      openStore: async () => {
        throw failure;
      },
    });

    const reference = /Something went wrong on our side \(reference ([0-9a-f]{8})\)/.exec(printed)?.[1];
    expect(reference).toBeDefined();
    expect(printed).not.toContain('disk on fire');
    expect(printed).not.toMatch(/\n\s+at /);
    expect(printed).toContain('Commands:');
    expect(records).toEqual([expect.objectContaining({ reference, msg: 'command failed', err: expect.objectContaining({ message: 'disk on fire' }) })]);
  });

  test('when the user quits, then the lines after quit are not run', async () => {
    const { printed } = await converse(['help', 'quit', 'who payments-api']);

    expect(printed).toContain('Commands:');
    expect(printed).not.toContain('Payments API');
  });

  test('when the input ends without quit, then the lines already typed still run', async () => {
    const { printed } = await converse(['list --kind api']);

    expect(printed).toContain('6 items');
  });

  test('when the abort signal fires, then the console ends without waiting for input', async () => {
    const controller = new AbortController();
    const input = new PassThrough();
    const done = runConsole({
      input,
      output: new PassThrough(),
      terminal: false,
      logger: recordingLogger().logger,
      signal: controller.signal,
      deps: { clock, policy: defaultPolicy, actor: 'console', formats: sourceFormats, openStore: async () => memoryStore() },
    });

    controller.abort();

    await expect(done).resolves.toBeUndefined();
  });
});
