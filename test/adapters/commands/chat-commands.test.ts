import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../../adapters/commands/exit-codes.js';
import { chatListLimit } from '../../../adapters/commands/run-list.js';
import { isSharedCommand, runCommand } from '../../../adapters/commands/run-command.js';
import { parseCommand, type Surface } from '../../../src/commands/grammar.js';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';
import type { ActorKey } from '../../../src/ports/attestation-store.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { dumpTables } from '../../storage/support/dump-tables.js';
import { apiEntry, identityEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { secretShapes } from '../../support/secret-shapes.js';
import { deliverAll, importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../../support/loop.js';
import { attestations, auditEvents, itemOf, lastAuditId, openAttestationOf, openQueue, outboxAt, rewritten } from '../../storage/support/loop-state.js';

/*
 * The chat commands end to end through `runCommand`, as a chat adapter runs them: the words parsed on the chat
 * surface, the speaker named by their Slack user id, a real database, and the answer read from what was written.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const answeredAt = plusDays(askedAt, 1);
const policy = loopPolicy();

const inventory = [
  apiEntry({ ref: 'checkout-api', name: 'Checkout API', purpose: 'Takes card payments', sensitivity: 'restricted', exposure: 'public', owner: ownedBy('payments', 'ana', 'ben') }),
  apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') }),
  identityEntry({ ref: 'ci-deploy-key', identityKind: 'api_key', purpose: 'Deploys checkout', scopes: ['deploy:write'], expiresAt: '2027-03-01', owner: ownedBy('payments', 'ben', 'ana') }),
  apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger', 'leo') }),
  apiEntry({ ref: 'orphan-api', purpose: 'Nobody knows' }),
];

/**
 * The inventory imported, its first attestations opened and queues filled, every message delivered (so an answer
 * updates them in place, as in Slack); Ana and Leo linked to their Slack accounts.
 */
async function asked(items = inventory): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, items);
  await tick(store, policy, askedAt);
  await deliverAll(store, askedAt);
  for (const [name, slackUserId] of [
    ['ana', 'U0ANA'],
    ['leo', 'U0LEO'],
  ] as const) {
    const person = await store.chatPersonBy({ email: `${name}@acme.example` });
    await store.linkChatAccount(person?.personId ?? 0, { platform: 'slack', accountId: slackUserId }, `D${slackUserId}`);
  }
  return store;
}

/** Runs one `/steward …` line as `chatActor` on `surface` (chat unless said), at `at`. */
async function steward(store: SqliteStore, line: string, options: { actor?: ActorKey; surface?: Surface; at?: string } = {}) {
  const surface = options.surface ?? 'chat';
  // Chat as in Slack: the help and the hints say `/steward …`.
  const invocation = surface === 'chat' ? '/steward' : undefined;
  const parsed = parseCommand(splitCommandLine(line) ?? [], surface, { invocation });
  if (!parsed.ok) return { code: exitCodes.badInput, out: '', err: `${parsed.message}\nUsage: ${parsed.usage ?? ''}` };
  if (!isSharedCommand(parsed.command)) throw new Error(`${line} is not a shared command`);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(parsed.command, {
    surface,
    invocation,
    clock: fixedClock(options.at ?? answeredAt),
    policy,
    actor: 'test',
    ...(options.actor === undefined ? {} : { chatActor: options.actor }),
    io: { out: (text) => out.push(text), err: (text) => err.push(text) },
    openStore: async () => store,
    formats: new Map(),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const ana = { platform: 'slack', accountId: 'U0ANA' };
const leo = { platform: 'slack', accountId: 'U0LEO' };

describe('mine: what waits for the speaker, and what they own and back up', () => {
  it('when Ana asks, then her waiting attestations show with their facts, then what she is accountable for and backs up', async () => {
    const store = await asked();
    const { code, out, err } = await steward(store, 'mine', { actor: ana });
    expect({ code, err }).toEqual({ code: exitCodes.ok, err: '' });
    expect(out.split('\n')[0]).toBe('Ana <ana@acme.example>: 3 attestations waiting for your answer · 2 items you are accountable for · 1 item you back up.');
    expect(out).toMatch(/\nWaiting for your answer:\n/);
    expect(out).toMatch(/ {2}checkout-api \(API\) — Checkout API · due \d{4}-\d\d-\d\d\n {6}Purpose +Takes card payments\n {6}Risk +restricted data, public exposure/);
    expect(out).toMatch(/ {2}ci-deploy-key \(identity\) · due \d{4}-\d\d-\d\d · you are the backup\n {6}Purpose +Deploys checkout\n {6}Scopes +deploy:write/);
    expect(out).toContain('Confirm the facts as shown with /steward attest <ref> [--note TEXT]');
    expect(out).toContain('\nYou are accountable for:\n  checkout-api (API) — Checkout API · payments\n  fx-api (API) · payments\n');
    expect(out).toContain('\nYou back up:\n  ci-deploy-key (identity) · payments · accountable ben@acme.example · expires 2027-03-01');
  });

  it('when someone Steward does not know asks, then they are told so, and nothing is listed', async () => {
    const store = await asked();
    expect(await steward(store, 'mine', { actor: { platform: 'slack', accountId: 'U0STRANGER' } })).toEqual({
      code: exitCodes.badInput,
      out: '',
      err: 'Steward does not know you: ask your security team to add you to the inventory.',
    });
  });

  it('when a person owns more than a chat answer holds, then each group is cut, saying how many more there are', async () => {
    const many = Array.from({ length: chatListLimit + 5 }, (_, i) => apiEntry({ ref: `svc-${String(i).padStart(3, '0')}`, owner: ownedBy('ledger', 'leo') }));
    const store = await asked(many);
    const { out } = await steward(store, 'mine', { actor: leo });
    expect(out).toContain(`  … and 5 more (steward list --owner leo@acme.example lists them all)`);
    expect(out.match(/^ {2}svc-\d+ \(API\) · ledger$/gm)).toHaveLength(chatListLimit);
  });
});

describe('team and unowned: list, in chat', () => {
  it('when a team is asked for, then its items are listed under its name', async () => {
    const store = await asked();
    const { code, out } = await steward(store, 'team Payments');
    expect(code).toBe(exitCodes.ok);
    expect(out.split('\n')[0]).toBe('Team payments:');
    expect(out).toMatch(/\napi +checkout-api +payments +ana@acme\.example/);
    expect(out).toMatch(/\nidentity +ci-deploy-key +payments +ben@acme\.example +2027-03-01/);
    expect(out).not.toContain('ledger-api');
    expect(out.split('\n').at(-1)).toBe('3 items');
  });

  it('when the team owns nothing (or does not exist), then it says no items match', async () => {
    const store = await asked();
    expect(await steward(store, 'team marketing')).toEqual({ code: exitCodes.ok, out: 'No items match.', err: '' });
  });

  it('when unowned is asked, then the items waiting for an owner are listed', async () => {
    const store = await asked();
    const { out } = await steward(store, 'unowned');
    expect(out.split('\n')[0]).toBe('Waiting for an owner (no owning team, nobody accountable, or their person has left):');
    expect(out).toMatch(/\napi +orphan-api +— +—\n1 item$/);
  });

  it('when a team has more items than a chat answer holds, then the list is cut and points to the command line', async () => {
    const many = Array.from({ length: chatListLimit + 3 }, (_, i) => apiEntry({ ref: `svc-${String(i).padStart(3, '0')}`, owner: ownedBy('ledger', 'leo') }));
    const store = await asked(many);
    const { out } = await steward(store, 'team ledger');
    expect(out.split('\n').slice(-2)).toEqual([`${chatListLimit} of ${chatListLimit + 3} items shown`, '`steward list --team ledger` on the command line lists them all.']);
    const onConsole = await steward(store, 'team ledger', { surface: 'console' });
    expect(onConsole.out.split('\n').at(-1)).toBe(`${chatListLimit + 3} items`);
  });
});

describe('attest: the speaker confirms an item’s open attestation', () => {
  it('when the accountable person attests, then the attestation is closed as attested by them, with the note, and its prompt is updated', async () => {
    const store = await asked();
    const open = openAttestationOf(store, 'checkout-api');
    const { code, out, err } = await steward(store, 'attest checkout-api --note "still takes the payments"', { actor: ana });
    expect({ code, err }).toEqual({ code: exitCodes.ok, err: '' });
    expect(out).toMatch(/^checkout-api: confirmed\. Next asked /);
    expect(attestations(store).find((a) => a.id === open.id)).toMatchObject({ status: 'closed', outcome: 'attested', answeredBy: 'ana@acme.example', note: 'still takes the payments', closedAt: answeredAt });
    const updates = rewritten(store);
    expect(summarise(updates)).toEqual(['attestation_prompt → ana@acme.example: checkout-api, fx-api']);
    expect(updates[0]).toMatchObject({ status: 'pending', platformMessageId: expect.stringMatching(/^1700000000\./) });
    expect(updates[0]?.message.sections.map((section) => [section.itemRef, section.resolved === undefined ? 'open' : 'resolved', section.actions.length > 0])).toEqual([
      ['checkout-api', 'resolved', false],
      ['fx-api', 'open', true],
    ]);
    expect(auditEvents(store, { action: 'attestation.answered' })).toEqual([expect.objectContaining({ actor: 'ana@acme.example', subject: 'checkout-api' })]);
  });

  it('when the backup attests, then it counts as theirs', async () => {
    const store = await asked();
    expect((await steward(store, 'attest ci-deploy-key', { actor: ana })).code).toBe(exitCodes.ok);
    expect(attestations(store).find((a) => a.ref === 'ci-deploy-key')).toMatchObject({ outcome: 'attested', answeredBy: 'ana@acme.example' });
  });

  it('when the same attest comes twice, then the second finds nothing open and changes nothing', async () => {
    const store = await asked();
    await steward(store, 'attest checkout-api', { actor: ana });
    const before = dumpTables(store);
    const again = await steward(store, 'attest checkout-api', { actor: ana });
    expect(again).toMatchObject({ code: exitCodes.findings, out: '' });
    expect(again.err).toMatch(/^checkout-api has no open attestation to answer; the next one is due on \d{4}-/);
    expect(dumpTables(store)).toEqual(before);
  });

  it('when someone who is not the owner or backup attests, then they are refused, and only the refusal is recorded', async () => {
    const store = await asked();
    const auditBefore = lastAuditId(store);
    const refused = await steward(store, 'attest checkout-api', { actor: leo });
    expect(refused).toEqual({ code: exitCodes.findings, out: '', err: "Only checkout-api's accountable person (ana@acme.example) or backup (ben@acme.example) can answer for it." });
    expect(openAttestationOf(store, 'checkout-api').status).toBe('open');
    expect(auditEvents(store, { after: auditBefore }).map((e) => [e.action, e.actor, e.details.code])).toEqual([['attestation.answer_refused', 'leo@acme.example', 'not_owner']]);
  });

  it('when the note holds a secret, then nothing is recorded and the speaker is told why', async () => {
    const store = await asked();
    const refused = await steward(store, `attest checkout-api --note "token ${secretShapes.githubClassicToken()}"`, { actor: ana });
    expect(refused.code).toBe(exitCodes.badInput);
    expect(refused.err).toMatch(/Steward never stores secrets, so nothing was recorded/);
    expect(openAttestationOf(store, 'checkout-api').status).toBe('open');
  });

  it('when the item is unknown, then the speaker is given the nearest ref and pointed to who', async () => {
    const store = await asked();
    expect(await steward(store, 'attest checkout-apx', { actor: ana })).toEqual({
      code: exitCodes.badInput,
      out: '',
      err: 'No API or identity has the ref checkout-apx (did you mean `checkout-api`?). (`who checkout-apx` searches by name and part of a ref.)',
    });
  });

  it('when the chat adapter names nobody, then nothing is recorded and it says it could not tell who', async () => {
    const store = await asked();
    expect(await steward(store, 'attest checkout-api')).toEqual({ code: exitCodes.badInput, out: '', err: 'Steward could not tell who you are, so nothing was recorded.' });
    expect(openAttestationOf(store, 'checkout-api').status).toBe('open');
  });

  it('when the CLI names nobody, then it still asks for --as', async () => {
    const store = await asked();
    expect(await steward(store, 'attest checkout-api', { surface: 'cli' })).toEqual({
      code: exitCodes.badInput,
      out: '',
      err: 'Say who is answering: attest <ref> --as EMAIL (the accountable person or the backup).',
    });
  });
});

describe('claim: the speaker takes an item waiting for an owner', () => {
  it('when a person in one team claims an unowned item, then it is theirs and their team’s, it leaves the queue, and they are asked next tick', async () => {
    const store = await asked();
    const { code, out } = await steward(store, 'claim orphan-api', { actor: leo });
    expect({ code, out }).toEqual({ code: exitCodes.ok, out: 'orphan-api is yours now, owned by ledger; you will be asked to confirm it.' });
    expect(itemOf(store, 'orphan-api')).toMatchObject({ team: 'ledger', accountable: 'leo@acme.example' });
    expect(openQueue(store)).toEqual([]);
    expect(rewritten(store).map((m) => [m.kind, m.to, m.status, m.message.sections[0]?.resolved])).toEqual([
      ['unowned_queue', 'security', 'pending', `Claimed by leo@acme.example on ${answeredAt.slice(0, 10)}`],
    ]);
    await tick(store, policy, answeredAt);
    expect(summarise(outboxAt(store, answeredAt).filter((m) => m.kind === 'attestation_prompt'))).toEqual(['attestation_prompt → leo@acme.example: orphan-api']);
  });

  it('when a person in two teams claims without naming one, then they are asked which; naming it claims it', async () => {
    const store = await asked();
    expect(await steward(store, 'claim orphan-api', { actor: ana })).toEqual({
      code: exitCodes.badInput,
      out: '',
      err: 'orphan-api needs an owning team: say which of yours (payments, platform).',
    });
    expect((await steward(store, 'claim api:orphan-api --team platform', { actor: ana })).code).toBe(exitCodes.ok);
    expect(itemOf(store, 'orphan-api')).toMatchObject({ team: 'platform', accountable: 'ana@acme.example' });
  });

  it('when the item is not waiting for an owner, then nothing changes and the speaker is told who is accountable', async () => {
    const store = await asked();
    const before = dumpTables(store);
    expect(await steward(store, 'claim checkout-api', { actor: leo })).toEqual({
      code: exitCodes.findings,
      out: '',
      err: 'checkout-api is not waiting for an owner (ana@acme.example is accountable); nothing changed.',
    });
    expect({ ...dumpTables(store), audit_events: [] }).toEqual({ ...before, audit_events: [] });
  });

  it('when the item is unknown, then nothing is claimed', async () => {
    const store = await asked();
    expect((await steward(store, 'claim nothing-here', { actor: leo })).code).toBe(exitCodes.badInput);
  });
});

describe('help and anything else, in chat', () => {
  it('when help is asked, or a word that is no command is typed, then the answer is the chat help', async () => {
    const store = await asked();
    const help = await steward(store, 'help', { actor: ana });
    expect(help.code).toBe(exitCodes.ok);
    expect(help.out).toMatch(/^Commands:\n {2}\/steward who <query>/);
    const unknown = await steward(store, 'frobnicate now', { actor: ana });
    expect(unknown.out.split('\n')[0]).toBe('frobnicate is not a command here. Commands:');
    expect(unknown.out).toContain('/steward mine');
    const notInChat = await steward(store, 'import csv apis.csv', { actor: ana });
    expect(notInChat.out.split('\n')[0]).toBe('import is not a command here. Commands:');
  });

  it('when who is asked in chat, then it answers as before', async () => {
    const store = await asked();
    const { code, out } = await steward(store, 'who checkout', { actor: ana });
    expect(code).toBe(exitCodes.ok);
    expect(out).toContain('checkout-api (API) — Checkout API');
  });
});
