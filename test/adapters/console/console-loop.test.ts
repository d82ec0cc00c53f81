import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { loadSampleInventoryIfEmpty } from '../../../adapters/cli/sample-inventory.js';
import { runConsole } from '../../../adapters/console/run-console.js';
import { sourceFormats } from '../../../adapters/sources/formats.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { attestations } from '../../storage/support/loop-state.js';
import { projectRoot } from '../../support/fixtures.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { recordingLogger } from '../../support/recording-logger.js';

/*
 * The console as a chat platform, driven as a newcomer drives it: the sample inventory (loaded on 2026-11-28,
 * the day its dates were written for), `tick --at` across two months, acting as different people and pressing
 * the numbered actions. Each line is typed after the previous answer's prompt, as at a terminal, so a test can
 * read a number off the screen and press it.
 */

const loadedAt = '2026-11-28T09:00:00Z';
const people = {
  alice: 'alice.nguyen@northwind.example',
  tom: 'tom.okafor@northwind.example',
  priya: 'priya.shah@northwind.example',
  sam: 'sam.lee@northwind.example',
  lena: 'lena.fischer@northwind.example',
};
const promptAtEnd = /steward(?: \([^)]*\))?> $/;

async function startConsole(options: { store?: SqliteStore; schedule?: Parameters<typeof runConsole>[0]['schedule']; at?: string } = {}) {
  const clock = fixedClock(options.at ?? loadedAt);
  const store = options.store ?? memoryStore();
  await loadSampleInventoryIfEmpty(store, clock);
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  // Where the answer being waited for starts, and who waits for its closing prompt.
  let from = 0;
  let waiter: (() => void) | null = null;
  output.setEncoding('utf8').on('data', (chunk: string) => {
    printed += chunk;
    if (waiter && promptAtEnd.test(printed.slice(from))) waiter();
  });
  const { logger, records } = recordingLogger();
  const done = runConsole({
    input,
    output,
    terminal: false,
    logger,
    ...(options.schedule ? { schedule: options.schedule } : {}),
    deps: { clock, policy: defaultPolicy, actor: 'console', formats: sourceFormats, openStore: async () => store },
  });
  const answer = () =>
    new Promise<string>((resolve) => {
      const finish = () => {
        waiter = null;
        resolve(printed.slice(from).replace(promptAtEnd, ''));
      };
      if (promptAtEnd.test(printed.slice(from))) finish();
      else waiter = finish;
    });
  await answer();

  /** Types one line and returns what the console printed in answer, up to its next prompt. */
  const type = async (line: string): Promise<string> => {
    from = printed.length;
    input.write(`${line}\n`);
    return answer();
  };
  const quit = async () => {
    input.end('quit\n');
    await done;
  };
  return { type, quit, store, records, everything: () => printed };
}

/** The number shown for `label` (Confirm, Not mine, Claim…) on the item `ref`, in what the console printed. */
function numberFor(printed: string, ref: string, label: string): number {
  const at = printed.lastIndexOf(`  ${ref} (`);
  if (at < 0) throw new Error(`${ref} was not shown:\n${printed}`);
  const match = new RegExp(`\\[(\\d+)\\] ${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).exec(printed.slice(at));
  if (!match) throw new Error(`no ${label} for ${ref} in:\n${printed.slice(at)}`);
  return Number(match[1]);
}

describe('the console as a chat platform: the attestation loop end to end', () => {
  test('when a newcomer ticks across two months and answers as different people, then prompts, reminders, escalations, warnings and queues appear, answers update the messages, and refusals are explained', async () => {
    const { type, quit, store, everything } = await startConsole();

    // Day 0: what needs an owner, and what is about to expire.
    const day0 = await type('tick');
    expect(day0).toMatch(/^Tick at 2026-11-28 09:00 UTC: /);
    expect(day0).toContain('─── To the security channel ───');
    expect(day0).toMatch(/legacy-soap-gateway \(API\) — Legacy SOAP Gateway\n(?: {4}.*\n)* {4}\[\d+\] Claim/);
    expect(day0).toContain('─── To #partner-integrations (team partner-integrations) ───');
    expect(day0).toMatch(/\[\d+\] Take it/);
    expect(day0).toMatch(/─── To Priya Shah <priya\.shah@northwind\.example> ───\n.*\n.*\n\n {2}github-deploy-token \(identity\).*\n {4}Warning +expires on 2026-12-08/);
    expect(day0).toContain('Act as someone with `as EMAIL`, then `press N`');

    // The same tick again changes nothing and sends nothing.
    expect(await type('tick')).toBe('Tick at 2026-11-28 09:00 UTC: nothing was due.\nNo new messages.\n');

    // Pressing before saying who you are, and a number that was never shown.
    expect(await type(`press ${numberFor(day0, 'legacy-soap-gateway', 'Claim')}`)).toBe('Who is pressing Claim? Act as someone first: as EMAIL.\n');
    expect(await type('press 999')).toBe('There is no action [999] in this session. (inbox shows the open ones.)\n');

    // Lena claims the unowned SFTP key for her team; the security channel's post loses that button.
    const asLena = await type(`as ${people.lena}`);
    expect(asLena).toContain(`You are acting as ${people.lena}.`);
    expect(asLena).toContain('search-api');
    const claimed = await type(`press ${numberFor(day0, 'warehouse-sftp-key', 'Claim')} --team data-platform`);
    expect(claimed).toMatch(/^warehouse-sftp-key is yours now, owned by data-platform/);
    expect(claimed).toMatch(/─── Updated message to the security channel ───[\s\S]*warehouse-sftp-key \(identity\) — Warehouse SFTP key\n {4}✓ Claimed by lena\.fischer@northwind\.example on 2026-11-28/);
    expect(everything()).toMatch(/steward \(lena\.fischer@northwind\.example\)> $/);

    // Three days on: the first prompts, one message per person.
    const day3 = await type('tick --at +3d');
    expect(day3).toMatch(/^Tick at 2026-12-01 09:00 UTC: \d+ attestations opened/);
    expect(day3).toMatch(/─── To Tom Okafor <tom\.okafor@northwind\.example> ───\n1 item to confirm/);
    expect(day3).toMatch(/─── To Lena Fischer <lena\.fischer@northwind\.example> ───\n2 items to confirm[\s\S]*\[\d+\] Confirm all 2/);

    // The wrong person answers: the core refuses in its own words, and nothing changes.
    const ledgerConfirm = numberFor(day3, 'ledger-api', 'Confirm');
    await type(`as ${people.priya}`);
    const refused = await type(`press ${ledgerConfirm}`);
    expect(refused).toBe("Only ledger-api's accountable person (tom.okafor@northwind.example) or backup (none) can answer for it.\n");

    // The owner answers: recorded once, and the prompt is updated to show it with no live button.
    await type(`as ${people.tom}`);
    const confirmed = await type(`press ${ledgerConfirm} --note "still the ledger"`);
    expect(confirmed).toMatch(/^ledger-api: confirmed\. Next asked 2027-\d\d-\d\d\./);
    expect(confirmed).toMatch(/─── Updated message to Tom Okafor <tom\.okafor@northwind\.example> ───[\s\S]*ledger-api \(API\) — Ledger API\n {4}✓ Confirmed by tom\.okafor@northwind\.example on 2026-12-01/);
    expect(await type(`press ${ledgerConfirm}`)).toBe('ledger-api was already confirmed by tom.okafor@northwind.example on 2026-12-01; nothing changed.\n');

    // Lena corrects a fact, and snoozes the key she just claimed (which needs a reason and a length).
    await type(`as ${people.lena}`);
    expect(await type('inbox')).toMatch(/─── To Lena Fischer <lena\.fischer@northwind\.example> ───\n2 items to confirm/);
    const updated = await type(`press ${numberFor(day3, 'search-api', 'Update…')} --set purpose="Product search for the web shop and the app"`);
    expect(updated).toMatch(/^search-api: confirmed with 1 change/);
    const snooze = numberFor(day3, 'warehouse-sftp-key', 'Snooze…');
    expect(await type(`press ${snooze} --days 14`)).toMatch(/^Snooze… needs --reason, e\.g\. press \d+ --days 14 --reason/);
    expect(await type(`press ${snooze} --days 14 --set purpose=x`)).toMatch(/^Snooze… takes --days, --reason; --set is for other actions\./);
    expect(await type(`press ${snooze} --days 14 --reason "warehouse move in January"`)).toMatch(/^warehouse-sftp-key: snoozed until 2026-12-15\./);
    expect(await type('inbox')).toBe(`Nothing is waiting for ${people.lena}. (inbox --all shows every open message, channels too.)\n`);

    // Nobody else answers: reminders, then escalations up the ladder, then expiry into the security queue.
    expect(await type('tick --at 2026-12-05T09:00Z')).toMatch(/─── To Sam Lee <sam\.lee@northwind\.example> ───\nReminder: /);
    const day10 = await type('tick --at 2026-12-08T09:00Z');
    expect(day10).toMatch(/Escalation: /);
    expect(day10).toMatch(/customer-profile-api \(API\)[^\n]*\n {4}Waiting on +sam\.lee@northwind\.example since 2026-12-01/);
    expect(day10).toMatch(/github-deploy-token \(identity\)[^\n]*\n {4}Warning +expired on 2026-12-08/);

    // Sam says the profile API is not theirs: it is offered to the owner Sam suggests, who accepts it.
    await type(`as ${people.sam}`);
    const disputed = await type(`press ${numberFor(day3, 'customer-profile-api', 'Not mine')} --reason "identity team owns it now" --owner marta.kowalska@northwind.example`);
    expect(disputed).toMatch(/^customer-profile-api: noted as not yours\. Request #1 ownership transfer of API customer-profile-api goes to the identity-platform team's channel; marta\.kowalska@northwind\.example is asked to accept it\. Until they accept, you stay accountable\./);
    expect(disputed).toMatch(/─── To Marta Kowalska <marta\.kowalska@northwind\.example> ───\nsam\.lee@northwind\.example offers you API customer-profile-api/);
    await type('as marta.kowalska@northwind.example');
    expect(await type(`press ${numberFor(disputed, 'customer-profile-api', 'Accept')}`)).toMatch(/^You accepted #1 ownership transfer of API customer-profile-api/);

    expect(await type('tick --at 2026-12-15T09:00Z')).toMatch(/─── To the security channel ───\nEscalation: /);
    const day24 = await type('tick --at 2026-12-22T09:00Z');
    expect(day24).toMatch(/^Tick at 2026-12-22 09:00 UTC: .*\d+ attestations? expired/);
    expect(day24).toMatch(/─── To the security channel ───\n\d+ items? without an accountable owner[\s\S]*github-deploy-token \(identity\)[^\n]*\n {4}Why +nobody confirmed it is still needed/);

    // Two months in: the cadence asks again; the clock does not go back.
    expect(await type('tick --at 2027-01-28T09:00Z')).toMatch(/^Tick at 2027-01-28 09:00 UTC: /);
    expect(await type('tick --at 2027-01-01T09:00Z')).toBe("The console's clock is at 2027-01-28 09:00 UTC and only moves forward. (`steward tick --at` on the command line runs at any time.)\n");

    // The trail shows who did what, refusals included, and it is intact.
    const ledger = await type('history ledger-api');
    expect(ledger).toMatch(/^ledger-api \(API\): \d+ audit events\n/);
    expect(ledger).toMatch(/2026-12-01 09:00 UTC +steward:tick +asked tom\.okafor@northwind\.example to confirm it \(attestation \d+\), due 2026-12-08\n/);
    expect(ledger).toMatch(/2026-12-01 09:00 UTC +priya\.shah@northwind\.example +refused an answer: not theirs to answer\n/);
    expect(ledger).toMatch(/2026-12-01 09:00 UTC +tom\.okafor@northwind\.example +confirmed \(attestation \d+\); note: still the ledger\n/);
    expect(await type('history customer-profile-api')).toMatch(/reminded sam\.lee@northwind\.example \(reminder 1\)[\s\S]*escalated to marta\.kowalska@northwind\.example \(level 1\)[\s\S]*said it is not theirs/);
    expect(await type('audit verify')).toMatch(/^The audit trail is intact: \d+ events/);

    // The store agrees with what the console showed.
    const answered = attestations(store)
      .filter((a) => a.answeredBy !== null)
      .map((a) => ({ ref: a.ref, outcome: a.outcome, by: a.answeredBy }))
      .sort((a, b) => a.ref.localeCompare(b.ref));
    expect(answered).toEqual([
      { ref: 'customer-profile-api', outcome: 'disputed', by: people.sam },
      { ref: 'ledger-api', outcome: 'attested', by: people.tom },
      { ref: 'search-api', outcome: 'attested', by: people.lena },
      { ref: 'warehouse-sftp-key', outcome: 'snoozed', by: people.lena },
    ]);
    expect(everything()).not.toMatch(/\n\s+at /);
    await quit();
  });

  test('when attest is typed on the console, then it answers as the person the console acts as, or as --as', async () => {
    const { type, quit } = await startConsole();
    await type('tick --at 2026-12-01T09:00Z');

    expect(await type('attest ledger-api')).toBe('Say who is answering: act as them first (as EMAIL), or add --as EMAIL.\n');
    expect(await type(`attest ledger-api --as ${people.alice}`)).toBe("Only ledger-api's accountable person (tom.okafor@northwind.example) or backup (none) can answer for it.\n");
    await type(`as ${people.tom}`);
    const attested = await type('attest ledger-api --note "checked"');
    expect(attested).toMatch(/^ledger-api: confirmed\. Next asked /);
    expect(attested).toContain('─── Updated message to Tom Okafor');
    expect(await type('attest ledger-api')).toMatch(/^ledger-api has no open attestation to answer; the next one is due on 2027-/);
    await quit();
  });

  test('when the scheduler ticks under serve, then its messages appear between commands, and nothing when nothing is due', async () => {
    let job: (() => Promise<void>) | undefined;
    let stopped = false;
    const { type, quit, everything } = await startConsole({
      schedule: (run) => {
        job = run;
        return { stop: async () => void (stopped = true) };
      },
    });
    expect(job).toBeDefined();

    await job?.();
    expect(everything()).toMatch(/\(The scheduler ticked at 2026-11-28 09:00 UTC\.\)\n\n─── To /);
    const before = everything().length;
    await job?.();
    expect(everything().slice(before)).toBe('');
    expect(await type('tick')).toContain('nothing was due');

    await quit();
    expect(stopped).toBe(true);
  });

  // A newcomer starts the demo at any hour of any day: the numbers the README gives must be the ones they see.
  test.each([loadedAt, '2026-11-28T00:30:00Z', '2026-11-28T18:00:00Z', '2027-03-14T23:59:00Z'])("when the README's walkthrough is typed as written (the demo started at %s), then every press reaches the core and the story it tells happens", async (at) => {
    const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| you type | what happens |'));
    const lines = [...table.slice(0, table.indexOf('\n\n')).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] as string);
    expect(lines.length).toBeGreaterThan(10);
    const { type, quit } = await startConsole({ at });
    await type('tick'); // what `serve` does when it starts

    const answers: string[] = [];
    for (const line of lines) answers.push(await type(line));

    const said = (command: string) => answers[lines.indexOf(command)] ?? '';
    for (const [i, line] of lines.entries())
      if (line.startsWith('press')) expect(answers[i], line).not.toMatch(/^There is no action|is for other actions|^\S+ needs --/);
    expect(said('press 6 --team data-platform')).toMatch(/^warehouse-sftp-key is yours now/);
    expect(said('press 26')).toMatch(/^Only ledger-api's accountable person/);
    expect(answers[lines.lastIndexOf('press 26')]).toMatch(/^ledger-api was already confirmed/);
    expect(said('press 26 --note "still the ledger"')).toMatch(/^ledger-api: confirmed/);
    expect(said('press 63')).toMatch(/^You accepted #1 ownership transfer of API customer-profile-api: customer-profile-api is yours now/);
    expect(said('request scope_change ledger-db-migrator --scopes "ddl:ledger dml:ledger" --reason "backfills write rows"')).toMatch(/─── To #payments \(team payments\) ───\nApproval needed: scope change of identity ledger-db-migrator[\s\S]*\[65\] Approve {3}\[66\] Reject/);
    expect(said('press 65')).toMatch(/^You asked for #2 scope change of identity ledger-db-migrator, so someone else must decide it/);
    expect(said('press 65 --reason "for the January backfill"')).toMatch(/^You approved #2 scope change[\s\S]*─── To Tom Okafor <tom\.okafor@northwind\.example> ───\nYour request #2 scope change of identity ledger-db-migrator: approved/);
    expect(said('history ledger-db-migrator')).toMatch(/approved request #2 \(scope change\): for the January backfill[\s\S]*scopes changed by request #2/);
    expect(said('history ledger-api')).toMatch(/priya\.shah@northwind\.example +refused an answer/);
    expect(said('tick --at +14d')).toMatch(/─── To the security channel ───\nSteward digest — [\s\S]*Overdue now +\d+ +\(\+\d+\)\n +Overdue by team, worst first: payments \d+/);
    // Two months of Mondays have passed: the scheduler posted their digests, and this one compares with the last.
    expect(said('digest --print')).toMatch(/^Steward digest — [\s\S]*APIs with an operational owner +\d+ of \d+ \(\d+%\) +\((?:no change|[+−][\d,]+)[^)]*\)[\s\S]*Audit trail head: \d+:[0-9a-f]{64}/);
    expect(said('audit verify')).toMatch(/^The audit trail is intact/);
    await quit();
  });
});
