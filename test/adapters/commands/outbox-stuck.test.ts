import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../../adapters/commands/exit-codes.js';
import { isSharedCommand, runCommand } from '../../../adapters/commands/run-command.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import { dispatchOutbox } from '../../../src/outbox/dispatch-outbox.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry } from '../../support/entries.js';
import { FakeChat } from '../../support/fake-chat.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';

/*
 * `steward outbox --stuck`: a message no platform could deliver is visible, with why — never silently dropped.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const policy = loopPolicy();
const minutes = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000).toISOString();

async function queued(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, [apiEntry({ ref: 'checkout-api', owner: ownedBy('payments', 'ana') }), apiEntry({ ref: 'orphan-api' })]);
  await tick(store, policy, askedAt);
  return store;
}

async function stuck(store: SqliteStore, at: string, line = 'outbox --stuck') {
  const parsed = parseCommand(line.split(' '), 'cli');
  if (!parsed.ok || !isSharedCommand(parsed.command)) throw new Error(`cannot parse ${line}`);
  const out: string[] = [];
  const code = await runCommand(parsed.command, {
    surface: 'cli',
    clock: fixedClock(at),
    policy,
    actor: 'test',
    io: { out: (text) => out.push(text), err: (text) => out.push(text) },
    openStore: async () => store,
    formats: new Map(),
  });
  return { code, out: out.join('\n') };
}

describe('steward outbox --stuck', () => {
  it('when messages were queued minutes ago, then none is stuck yet: a dispatcher may simply not have run', async () => {
    const store = await queued();

    expect(await stuck(store, minutes(askedAt, 5))).toEqual({ code: exitCodes.ok, out: 'No message is stuck: everything queued was routed to a platform, and nothing was given up.' });
  });

  it('when nothing has routed the messages for more than ten minutes, then each is listed as not routed yet, exit 1', async () => {
    const store = await queued();

    const { code, out } = await stuck(store, minutes(askedAt, 11));

    expect(code).toBe(exitCodes.findings);
    expect(out.split('\n')).toEqual([
      '2 messages no platform could deliver, oldest first:',
      '  2026-11-09 09:00 UTC  attestation_prompt → ana@acme.example — not routed yet: is `steward serve` running with a chat platform?',
      '  2026-11-09 09:00 UTC  unowned_queue → the security channel — not routed yet: is `steward serve` running with a chat platform?',
    ]);
  });

  it('when no configured platform can take a message, or a platform gave one up, then each says why', async () => {
    const store = await queued();
    const teams = new FakeChat({ platform: 'teams', reach: { people: 'anyone', teamChannels: 'none', securityChannel: false }, script: { 1: { status: 'permanent_error', reason: 'unreachable', error: 'no such user' } } });
    await dispatchOutbox(store, teams, fixedClock(askedAt), { owner: 't', platforms: [teams.reach], preference: [], leaseMs: 60_000 });
    await dispatchOutbox(store, teams, fixedClock(askedAt), { owner: 't', platforms: [teams.reach], preference: [], leaseMs: 60_000 });

    const { code, out } = await stuck(store, minutes(askedAt, 1), 'outbox --stuck --json');

    expect(code).toBe(exitCodes.findings);
    // The prompt once, by the failure that says where and why; not again as routed nowhere after it.
    expect((JSON.parse(out) as { stuck: Array<{ kind: string; platform: string | null; reason: string }> }).stuck.map((m) => [m.kind, m.platform, m.reason])).toEqual([
      ['attestation_prompt', 'teams', 'unreachable'],
      ['unowned_queue', null, 'no_platform'],
    ]);
  });

  it('when --stuck is left out, then it says what to add', async () => {
    const parsed = parseCommand(['outbox'], 'cli');
    expect(parsed).toMatchObject({ ok: false, message: 'say what to show: `outbox --stuck`' });
  });
});
