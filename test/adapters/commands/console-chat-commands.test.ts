import { describe, expect, test } from 'vitest';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays } from '../../support/loop.js';
import { itemOf, openAttestationOf } from '../../storage/support/loop-state.js';
import { consoleTranscript } from '../../support/console-transcript.js';

/*
 * The console offers what Slack offers: the person it acts as (`as EMAIL`) is the one speaking, so `mine`,
 * `attest` and `claim` act as them, and the messages an answer or a claim updates are shown again at once.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const consoleAt = plusDays(importedAt, 7);

const inventory = [
  apiEntry({ ref: 'checkout-api', name: 'Checkout API', purpose: 'Takes card payments', sensitivity: 'restricted', exposure: 'public', owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') }),
  apiEntry({ ref: 'orphan-api', purpose: 'Nobody knows' }),
];

/** Types `lines` into a console whose clock stands at `consoleAt`, ends the input, and returns what it printed. */
async function converse(lines: readonly string[]): Promise<{ printed: string; store: SqliteStore }> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory);
  const { printed } = await consoleTranscript(lines, { store, clock: fixedClock(consoleAt), policy: loopPolicy() });
  return { printed, store };
}

/** What the console printed in answer to each line typed, in order (the text between its prompts). */
function answers(printed: string): string[] {
  return printed.split(/steward(?: \([^)]*\))?> /).slice(1);
}

describe('the console offers the chat commands, as the person it acts as', () => {
  test('when nobody is acted as yet, then mine, attest and claim ask who is speaking', async () => {
    const { printed, store } = await converse(['tick', 'mine', 'attest checkout-api', 'claim orphan-api']);
    expect(printed).toContain('Whose items? Act as someone first: as EMAIL.');
    expect(printed).toContain('Say who is answering: act as them first (as EMAIL), or add --as EMAIL.');
    expect(printed).toContain('Who is claiming it? Act as someone first: as EMAIL.');
    expect(openAttestationOf(store, 'checkout-api').status).toBe('open');
    expect(itemOf(store, 'orphan-api').accountable).toBeNull();
  });

  test('when Ana asks for mine, attests and claims, then each acts as her and the updated messages are shown', async () => {
    const { printed, store } = await converse(['tick', 'as ana@acme.example', 'mine', 'attest checkout-api', 'claim orphan-api', 'claim orphan-api --team platform']);
    const mine = printed.slice(printed.indexOf('Ana <ana@acme.example>: 2 attestations waiting'));
    expect(mine).toMatch(/^Ana <ana@acme\.example>: 2 attestations waiting for your answer · 2 items you are accountable for · 0 items you back up\.\n/);
    expect(mine).toMatch(/ {2}checkout-api \(API\) — Checkout API · due \d{4}-\d\d-\d\d\n {6}Purpose +Takes card payments/);
    expect(mine).toContain('Confirm the facts as shown with attest <ref> [--note TEXT]');

    expect(printed).toMatch(/checkout-api: confirmed\. Next asked [^\n]*\n\n─── Updated message to Ana <ana@acme\.example> ───/);
    expect(openAttestationOf(store, 'fx-api').status).toBe('open');
    expect(printed).toContain('orphan-api needs an owning team: say which of yours (payments, platform).');
    expect(printed).toMatch(/orphan-api is yours now, owned by platform; you will be asked to confirm it\.\n\n─── Updated message to #sec-ownership \(the security channel\) ───[\s\S]*✓ Claimed by ana@acme\.example/);
    expect(itemOf(store, 'orphan-api')).toMatchObject({ team: 'platform', accountable: 'ana@acme.example' });
  });

  test('when the console acts as Ana, then attest --as still answers as the person it names', async () => {
    const { printed } = await converse(['tick', 'as ana@acme.example', 'attest checkout-api --as ben@acme.example']);
    expect(printed).toMatch(/checkout-api: confirmed\./);
    expect(printed).toContain('─── Updated message to Ana <ana@acme.example> ───');
  });

  test('when team and unowned are typed, then they list as list --team and list --unowned do, in full', async () => {
    const { printed } = await converse(['team payments', 'unowned', 'help']);
    const [team, unowned, help] = answers(printed);
    expect(team).toMatch(/^Team payments:\nKIND +REF +TEAM +ACCOUNTABLE +EXPIRES\napi +checkout-api +payments +ana@acme\.example\napi +fx-api +payments +ana@acme\.example\n2 items\n$/);
    expect(unowned).toMatch(/\napi +orphan-api +— +—\n1 item\n$/);
    for (const usage of ['mine', 'team <team>', 'unowned', 'attest <ref> [--note TEXT]', 'claim <ref> [--team SLUG]']) expect(help).toContain(`\n  ${usage} `);
  });
});
