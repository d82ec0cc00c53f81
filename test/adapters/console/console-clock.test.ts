import { describe, expect, test } from 'vitest';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';
import { auditEvents } from '../../storage/support/loop-state.js';
import { consoleTranscript } from '../../support/console-transcript.js';

/*
 * The console's clock only moves forward, and never stands behind the database it talks to: when the database
 * was moved ahead (by `steward tick --at`, or a console session that ticked weeks on), the console's clock
 * moves there and says so once, so its ticks and answers are recorded after what is there, not before it. The
 * scheduler under `serve` then ticks from there too, and never fails for it.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const wallClock = plusDays(importedAt, 1);
const policy = loopPolicy();
const inventory = [apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', exposure: 'public', owner: ownedBy('payments', 'ana', 'ben') })];

async function movedAhead(days: number): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory);
  await tick(store, policy, plusDays(importedAt, days));
  return store;
}

/** Lines typed at a console whose wall clock stands at `wallClock`, and what it printed; `scheduled` runs the scheduler's job first. */
async function converse(store: SqliteStore, lines: readonly string[], options: { scheduled?: boolean } = {}) {
  return consoleTranscript(lines, { store, clock: fixedClock(wallClock), policy, scheduledFirst: options.scheduled === true });
}

describe("the console's clock and the database's time", () => {
  test('when the database was moved ahead of the wall clock, then the console’s clock moves there (said once), and its ticks and answers come after what is recorded', async () => {
    const store = await movedAhead(10);

    const { printed } = await converse(store, ['tick', 'tick --at +2d', 'as ana@acme.example', 'attest checkout-api', 'history checkout-api']);

    expect(printed.match(/the console's clock moves there/g)).toHaveLength(1);
    expect(printed).toContain("Steward's records reach 2026-11-12 09:00 UTC, ahead of this clock: the console's clock moves there.");
    expect(printed).toMatch(/Tick at 2026-11-12 09:00 UTC: nothing was due\./);
    expect(printed).toMatch(/Tick at 2026-11-14 09:00 UTC/);
    expect(printed).toMatch(/checkout-api: confirmed\./);
    const times = auditEvents(store).map((e) => e.at);
    expect(times).toEqual([...times].sort());
  });

  test('when the scheduler runs under serve on a database ahead of the wall clock, then it ticks at the database’s time, without an error', async () => {
    const store = await movedAhead(10);

    const { printed, records } = await converse(store, [], { scheduled: true });

    expect(printed).toContain("Steward's records reach 2026-11-12 09:00 UTC, ahead of this clock: the console's clock moves there.");
    expect(records.filter((r) => Number(r.level) >= 50)).toEqual([]);
    expect(printed).not.toMatch(/Something went wrong/);
    const times = auditEvents(store).map((e) => e.at);
    expect(times).toEqual([...times].sort());
  });

  test('when a tick is asked for before the console’s clock, then it is refused in plain words; a dry run may look back', async () => {
    const store = await movedAhead(10);

    const { printed } = await converse(store, ['tick --at -3d', `tick --at ${plusDays(importedAt, 4)}`, 'tick --at -3d --dry-run']);

    expect(printed.match(/The console's clock is at 2026-11-12 09:00 UTC and only moves forward\./g)).toHaveLength(2);
    expect(printed).toMatch(/Dry run of the tick at 2026-11-09 09:00 UTC/);
  });
});
