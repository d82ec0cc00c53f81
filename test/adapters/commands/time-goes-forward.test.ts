import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../../adapters/commands/exit-codes.js';
import { isSharedCommand, runCommand } from '../../../adapters/commands/run-command.js';
import { runTick } from '../../../src/attestation/run-tick.js';
import { parseCommand } from '../../../src/commands/grammar.js';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { dumpTables } from '../../storage/support/dump-tables.js';
import { apiEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';
import { attestations, auditEvents, lastTickAt, openAttestationOf } from '../../storage/support/loop-state.js';

/*
 * Time does not go back: a tick earlier than what the database has already recorded (its last tick, an answer,
 * an import) is refused with the reason, and nothing is written; `+Nd` and `-Nd` count from the later of the
 * clock and that record, so a database moved ahead by `tick --at` is moved on from where it is. An answer is
 * recorded at the time it is given, so one given before the question it answers (the database was moved ahead)
 * is refused rather than written into the past. The scheduler meets the same rule by doing nothing, quietly.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const policy = loopPolicy();
const inventory = [apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', exposure: 'public', owner: ownedBy('payments', 'ana', 'ben') }), apiEntry({ ref: 'orphan-api' })];

async function imported(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory);
  return store;
}

/** Runs one command line on the CLI surface with the clock at `now`. */
async function steward(store: SqliteStore, line: string, now: string) {
  const parsed = parseCommand(splitCommandLine(line) ?? [], 'cli');
  if (!parsed.ok) throw new Error(`${line}: ${parsed.message}`);
  if (!isSharedCommand(parsed.command)) throw new Error(`${line} is not a shared command`);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(parsed.command, {
    surface: 'cli',
    clock: fixedClock(now),
    policy,
    actor: 'cli:test',
    io: { out: (text) => out.push(text), err: (text) => err.push(text) },
    openStore: async () => store,
    formats: new Map(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('tick --at: time does not go back', () => {
  it('when a tick is asked for earlier than the last one, then it is refused with the reason, exit 2, and nothing is written', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 10));
    const before = dumpTables(store);

    const earlier = await steward(store, `tick --at ${plusDays(importedAt, 8)}`, plusDays(importedAt, 30));

    expect(earlier.code).toBe(exitCodes.badInput);
    expect(earlier.out).toBe('');
    expect(earlier.err).toBe(
      "Steward's records already reach 2026-11-12 09:00 UTC (its last tick, answer or import), and time does not go back: a tick at 2026-11-10 09:00 UTC would be recorded before them. Tick at 2026-11-12 09:00 UTC or later; --at +Nd counts from there.",
    );
    expect(dumpTables(store)).toEqual(before);
  });

  it('when a tick is asked for at the very time of the last one, then it runs (and finds nothing new)', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 10));

    const again = await steward(store, `tick --at ${plusDays(importedAt, 10)}`, plusDays(importedAt, 10));

    expect(again).toMatchObject({ code: exitCodes.ok, out: 'Tick at 2026-11-12 09:00 UTC: nothing was due.\nNo new messages.' });
  });

  it('when the database was moved ahead of the clock, then a tick now is refused and says how to go on', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 40));

    const now = await steward(store, 'tick', plusDays(importedAt, 5));

    expect(now.code).toBe(exitCodes.badInput);
    expect(now.err).toMatch(/^Steward's records already reach 2026-12-12 09:00 UTC .* a tick at 2026-11-07 09:00 UTC would be recorded before them\./);
  });

  it('when a dry run is asked for an earlier time, then it decides and reports, writing nothing, as the console allows', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 10));
    const before = dumpTables(store);

    const dry = await steward(store, `tick --at ${plusDays(importedAt, 1)} --dry-run`, plusDays(importedAt, 30));

    expect(dry.code).toBe(exitCodes.ok);
    expect(dry.out).toMatch(/^Dry run of the tick at 2026-11-03 09:00 UTC/);
    expect(dumpTables(store)).toEqual(before);
  });
});

describe('tick --at far ahead: a typo, not a plan', () => {
  it('when --at is more than a year ahead of the clock (2207 for 2027), then it is refused, exit 2, nothing written; a dry run may look', async () => {
    const store = await imported();
    const before = dumpTables(store);

    const typo = await steward(store, 'tick --at 2207-01-05', plusDays(importedAt, 1));

    expect(typo.code).toBe(exitCodes.badInput);
    expect(typo.err).toMatch(/^--at 2207-01-05 00:00 UTC is more than a year ahead of the clock: a typo\? .* Look that far with --dry-run\.$/);
    expect(dumpTables(store)).toEqual(before);
    expect((await steward(store, 'tick --at 2207-01-05 --dry-run', plusDays(importedAt, 1))).code).toBe(exitCodes.ok);
    expect((await steward(store, 'tick --at +366d', plusDays(importedAt, 1))).code).toBe(exitCodes.ok);
  });
});

describe('tick --at +Nd and -Nd: days from the later of the clock and the database', () => {
  it('when the database is ahead of the clock, then +3d is three days after its last tick', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 10));

    const on = await steward(store, 'tick --at +3d', plusDays(importedAt, 1));

    expect(on.code).toBe(exitCodes.ok);
    expect(on.out).toMatch(/^Tick at 2026-11-15 09:00 UTC/);
    expect(lastTickAt(store)).toBe(plusDays(importedAt, 13));
  });

  it('when the clock is ahead of the database, then +3d is three days after now, and -3d three days before', async () => {
    const store = await imported();
    const now = plusDays(importedAt, 20);

    const before = await steward(store, 'tick --at -3d', now);
    expect(before.code).toBe(exitCodes.ok);
    expect(before.out).toMatch(/^Tick at 2026-11-19 09:00 UTC/);

    const after = await steward(store, 'tick --at +3d', now);
    expect(after.out).toMatch(/^Tick at 2026-11-25 09:00 UTC/);
    expect(lastTickAt(store)).toBe(plusDays(importedAt, 23));
  });

  it('when -3d would land before the last tick, then it is refused like any earlier time', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 19));

    const refused = await steward(store, 'tick --at -3d', plusDays(importedAt, 20));

    expect(refused.code).toBe(exitCodes.badInput);
    expect(refused.err).toMatch(/time does not go back: a tick at 2026-11-19 09:00 UTC would be recorded before them/);
  });
});

describe('the scheduler, when the database is ahead of the clock', () => {
  it('when the scheduler ticks before the database’s last tick, then it decides and writes nothing, without an error, and says why in its report', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 40));
    const before = dumpTables(store);

    const report = await runTick(store, policy, new Date(plusDays(importedAt, 5)));

    expect(report).toMatchObject({ decisions: [], messages: 0, notBefore: plusDays(importedAt, 40) });
    expect(dumpTables(store)).toEqual(before);
  });

  it('when the clock passes the database’s last tick, then the scheduler ticks again as usual', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 8));

    const report = await runTick(store, policy, new Date(plusDays(importedAt, 30)));

    expect(report.notBefore).toBeUndefined();
    expect(report.decisions.length).toBeGreaterThan(0);
  });
});

describe('attest from the command line: the answer at the time it is given', () => {
  it('when the question was asked at a time the clock has not reached (the database moved ahead), then the answer is refused, exit 1, and nothing is recorded', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 10));
    const before = dumpTables(store);

    const early = await steward(store, 'attest checkout-api --as ana@acme.example', plusDays(importedAt, 2));

    expect(early.code).toBe(exitCodes.findings);
    expect(early.err).toBe(
      "checkout-api's history already reaches 2026-11-12 09:00 UTC, and it is 2026-11-04 09:00 UTC: a tick ran ahead of the clock (tick --at). Steward records an answer at the time it is given, and this one would come before what it answers, so nothing was recorded. Answer it from 2026-11-12 09:00 UTC on, or play the loop on the console, whose clock moves with tick --at.",
    );
    expect(dumpTables(store)).toEqual(before);
  });

  it('when the question was asked in the past, then the answer is recorded at the time it is given, after it', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 10));
    const answeredAt = plusDays(importedAt, 11);

    const answered = await steward(store, 'attest checkout-api --as ana@acme.example', answeredAt);

    expect(answered.code).toBe(exitCodes.ok);
    expect(attestations(store).find((a) => a.ref === 'checkout-api')).toMatchObject({ outcome: 'attested', closedAt: answeredAt });
    const trail = auditEvents(store).filter((e) => e.subject === 'checkout-api');
    expect(trail.map((e) => e.at)).toEqual([...trail.map((e) => e.at)].sort());
  });

  it('when a reminder was sent ahead of the clock after the question, then the answer is refused too: the history would run backwards', async () => {
    const store = await imported();
    await tick(store, policy, plusDays(importedAt, 10));
    const opened = openAttestationOf(store, 'checkout-api');
    await tick(store, policy, plusDays(importedAt, 14));
    expect(auditEvents(store, { action: 'attestation.reminded' }).map((e) => e.subject)).toContain('checkout-api');

    const between = await steward(store, 'attest checkout-api --as ana@acme.example', plusDays(importedAt, 12));

    expect(between.code).toBe(exitCodes.findings);
    expect(between.err).toMatch(/^checkout-api's history already reaches 2026-11-16 09:00 UTC/);
    expect(openAttestationOf(store, 'checkout-api').id).toBe(opened.id);
  });
});
