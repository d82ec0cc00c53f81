import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/ports/clock.js';
import { consoleTranscript } from '../../support/console-transcript.js';
import { apiEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays } from '../../support/loop.js';
import { secretShapes } from '../../support/secret-shapes.js';

/*
 * `press` on an answer: the console collects the options and prints what the core's answer form says about
 * them (src/attestation/read-answer-form.ts holds every rule, with its table tests); the same rules as a Slack
 * modal's, said against the option that was typed, and nothing is recorded while any is wrong.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const policy = loopPolicy();
const clock = fixedClock(plusDays(importedAt, 8));

async function imported() {
  const store = memoryStore();
  await importLoop(store, importedAt, [apiEntry({ ref: 'checkout-api', owner: ownedBy('payments', 'ana', 'ben') })]);
  return store;
}

const prompt = 'steward (ana@acme.example)> ';

/**
 * Ana's prompt delivered, then `lines` typed: what each line printed, and the item's audit trail after them
 * (an answer recorded or refused by the core is an event there; a form the core did not accept never reaches it).
 */
async function afterThePrompt(lines: readonly string[]) {
  const store = await imported();
  const { printed } = await consoleTranscript(['as ana@acme.example', 'tick', ...lines, 'history checkout-api'], { store, clock, policy });
  const answers = printed.split(prompt).slice(2, -1).map((a) => a.trim());
  return { answers: answers.slice(0, -1), history: answers.at(-1) ?? '' };
}

/** Ana's prompt's actions by label: a number stands for the same action in every session of the same story. */
async function numbers(): Promise<Record<string, number>> {
  const { answers } = await afterThePrompt(['inbox']);
  return Object.fromEntries([...(answers[0] ?? '').matchAll(/\[(\d+)\] (\S+(?: \S+)?)/g)].map((m) => [m[2]?.trim(), Number(m[1])]));
}

/** What `press …` printed after Ana's prompt was delivered, and whether any attestation changed. */
async function press(line: (n: Record<string, number>) => string): Promise<{ said: string; changed: boolean }> {
  const n = await numbers();
  const before = await afterThePrompt([]);
  const after = await afterThePrompt([line(n)]);
  return { said: after.answers[0] ?? '', changed: after.history !== before.history };
}

describe('press: the core’s answer forms, said against the options typed', () => {
  it('when the prompt is delivered, then its answers are numbered', async () => {
    expect(Object.keys(await numbers())).toEqual(expect.arrayContaining(['Confirm', 'Update…', 'Not mine', 'Decommission', 'Snooze…']));
  });

  it.each<[string, (n: Record<string, number>) => string, RegExp | string]>([
    ['Update… with no fact', (n) => `press ${n['Update…']}`, /^Update… needs --set, e\.g\. press \d+ --set purpose="Nightly settlement exports"$/],
    ['Update… with a date that is none', (n) => `press ${n['Update…']} --set expires=soon`, '--set expires: Give a date like 2027-01-31.'],
    ['Update… with scopes that are only commas', (n) => `press ${n['Update…']} --set scopes=,,`, '--set scopes: List the scopes, separated by spaces.'],
    ['Update… with a purpose past 500 characters', (n) => `press ${n['Update…']} --set purpose=${'p'.repeat(501)}`, '--set purpose: Keep it to 500 characters (this is 501).'],
    ['Not mine naming an owner without a domain', (n) => `press ${n['Not mine']} --owner lena@acme`, '--owner: Give an email address, like ana@example.com, or leave it empty.'],
    ['Not mine with a note (it takes a reason)', (n) => `press ${n['Not mine']} --note "ask Lena"`, 'Not mine takes --reason, --owner; --note is for other actions.'],
    ['Snooze… past the policy’s cap', (n) => `press ${n['Snooze…']} --days 99 --reason "vendor"`, '--days: Snooze for 1 to 30 days (the policy’s limit).'],
    ['Snooze… with no reason and too many days', (n) => `press ${n['Snooze…']} --days 99`, /^Snooze… needs --reason, e\.g\. press \d+ --days 14 --reason "waiting for the vendor"\n--days: Snooze for 1 to 30 days/],
    ['Snooze… with a note', (n) => `press ${n['Snooze…']} --days 3 --reason x --note y`, 'Snooze… takes --days, --reason; --note is for other actions.'],
    ['Decommission with a reason past 2,000 characters', (n) => `press ${n['Decommission']} --reason ${'r'.repeat(2001)}`, '--reason: Keep it to 2,000 characters (this is 2,001).'],
    ['Confirm with a note past 2,000 characters', (n) => `press ${n['Confirm']} --note ${'n'.repeat(2001)}`, '--note: Keep it to 2,000 characters (this is 2,001).'],
    ['Confirm with a team (a Claim’s option)', (n) => `press ${n['Confirm']} --team payments`, 'Confirm takes --note; --team is for other actions.'],
  ])('when it is %s, then the console says what the core says, and nothing is recorded', async (_, line, expected) => {
    const { said, changed } = await press(line);
    if (typeof expected === 'string') expect(said).toBe(expected);
    else expect(said).toMatch(expected);
    expect(changed).toBe(false);
  });

  it.each<[string, (n: Record<string, number>, secret: string) => string, string]>([
    ['a fact', (n, secret) => `press ${n['Update…']} --set purpose=${secret} --set expires=soon`, '--set purpose: That looks like a Slack token'],
    ['a reason', (n, secret) => `press ${n['Not mine']} --reason "moved, key ${secret}"`, '--reason: That looks like a Slack token'],
    ['a note', (n, secret) => `press ${n['Confirm']} --note ${secret}`, '--note: That looks like a Slack token'],
  ])('when a secret is typed in %s, then it is refused on that option, never repeated, and nothing is recorded', async (_, line, start) => {
    const secret = secretShapes.slackBotToken();
    const { said, changed } = await press((n) => line(n, secret));
    expect(said.startsWith(start)).toBe(true);
    expect(said).toContain('Steward never stores secrets, so nothing was recorded. Remove it, and revoke it if it was real.');
    expect(said).not.toContain(secret.slice(5));
    expect(changed).toBe(false);
  });

  it('when a right answer is pressed, then the trail changes (so the refusals above would show if they recorded anything)', async () => {
    const { said, changed } = await press((n) => `press ${n['Confirm']} --note "still taking payments"`);
    expect(said).toMatch(/^checkout-api: confirmed\./);
    expect(changed).toBe(true);
  });

  it('when the answer is right, then it is recorded as the core read it: the owner lower-cased', async () => {
    const n = await numbers();
    const { answers, history } = await afterThePrompt([`press ${n['Not mine']} --reason "moved to ledger" --owner Leo@Acme.example`]);
    expect(answers[0]).toMatch(/^checkout-api: noted as not yours\. Request #1 ownership transfer of API checkout-api [^\n]*leo@acme\.example is asked to accept it\./);
    expect(history).toMatch(/ana@acme\.example +said it is not theirs[^\n]*leo@acme\.example/);
  });
});
