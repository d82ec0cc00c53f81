import { describe, expect, it } from 'vitest';
import type { ChatReply } from '../../../adapters/chat/chat-reply.js';
import { runChatCommand, type ChatCommandRequest } from '../../../adapters/chat/run-chat-command.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { dumpTables } from '../../storage/support/dump-tables.js';
import { apiEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';
import { openAttestationOf } from '../../storage/support/loop-state.js';
import { secretShapes } from '../../support/secret-shapes.js';

/*
 * The chat command runner every chat platform shares: the words as typed, the speaker, the platform's
 * invocation in; a reply of words and preformatted blocks out, in no platform's markup, for the platform to render.
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const policy = loopPolicy();
const inventory = [apiEntry({ ref: 'payments-api', purpose: 'Takes card payments <all of them> & more', owner: ownedBy('payments', 'ana', 'ben') }), apiEntry({ ref: 'orphan-api' })];

async function asked(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory);
  await tick(store, policy, askedAt);
  return store;
}

/** `text` typed by `email` in a chat invoked by `invocation` (Teams' `@Steward` unless said). */
function typed(text: string, options: { email?: string; invocation?: string } = {}): ChatCommandRequest {
  return { platform: 'teams', speaker: { email: options.email ?? 'ana@acme.example' }, text, invocation: options.invocation ?? '@Steward' };
}

async function reply(store: SqliteStore, request: ChatCommandRequest): Promise<ChatReply> {
  return runChatCommand({ store, clock: fixedClock(plusDays(askedAt, 1)), policy }, request);
}

const textOf = (answer: ChatReply) => answer.parts.map((part) => part.text).join('\n');

describe('the reply is platform-neutral', () => {
  it('when who is asked, then the answer is one preformatted block holding the text as the renderers wrote it, unescaped', async () => {
    const answer = await reply(await asked(), typed('who payments-api'));
    expect(answer).toMatchObject({ error: false, parts: [{ kind: 'preformatted' }] });
    expect(textOf(answer)).toContain('Takes card payments <all of them> & more');
    expect(textOf(answer)).not.toMatch(/```|&lt;|&amp;/);
  });

  it('when a quote is not closed, then the answer is words alone, marked as an error', async () => {
    expect(await reply(await asked(), typed('who "payments'))).toEqual({ error: true, parts: [{ kind: 'text', text: 'A quote is not closed; try again with both quotes.' }] });
  });

  it('when the words do not fit the command, then the refusal is words and the usage a preformatted block, as typed on this platform', async () => {
    expect(await reply(await asked(), typed('mine please'))).toEqual({
      error: true,
      parts: [
        { kind: 'text', text: 'mine takes no words of its own (got "please")' },
        { kind: 'preformatted', text: 'Usage: @Steward mine' },
      ],
    });
  });

  it('when the command is refused while running (someone else attests), then the reply is marked as an error and nothing is recorded', async () => {
    const store = await asked();
    const { id } = openAttestationOf(store, 'payments-api');
    const answer = await reply(store, typed('attest payments-api', { email: 'zed@acme.example' }));
    expect(answer.error).toBe(true);
    expect(openAttestationOf(store, 'payments-api').id).toBe(id);
  });

  it('when the speaker owns it and attests, then the answer is no error, and it is recorded as theirs', async () => {
    const store = await asked();
    const answer = await reply(store, typed('attest payments-api'));
    expect(answer.error).toBe(false);
    expect(textOf(answer)).toMatch(/payments-api: confirmed/);
    expect(() => openAttestationOf(store, 'payments-api')).toThrow();
  });
});

describe('each platform’s own invocation', () => {
  it.each([
    ['@Steward', '  @Steward who <query>'],
    ['/steward', '  /steward who <query>'],
  ])('when the help is asked where commands start with %s, then every usage starts with it', async (invocation, who) => {
    const answer = await reply(await asked(), typed('help', { invocation }));
    expect(answer.parts).toHaveLength(1);
    const lines = textOf(answer).split('\n');
    expect(lines[0]).toBe('Commands:');
    expect(lines.filter((line) => line.startsWith(who))).toHaveLength(1);
    expect(lines.filter((line) => /^ {2}\S/.test(line)).every((line) => line.startsWith(`  ${invocation} `))).toBe(true);
  });

  it('when a word is no command, then the help names it and the nearest command, as typed here', async () => {
    const lines = textOf(await reply(await asked(), typed('whp payments-api'))).split('\n');
    expect(lines[0]).toBe('whp is not a command here (did you mean `who`?). Commands:');
    expect(lines.some((line) => line.startsWith('  @Steward mine '))).toBe(true);
  });

  it('when mine is asked, then the hint to confirm says how to type attest here', async () => {
    expect(textOf(await reply(await asked(), typed('mine')))).toContain('Confirm the facts as shown with @Steward attest <ref> [--note TEXT]');
  });
});

describe('typed secrets', () => {
  const token = secretShapes.slackBotToken();

  it.each([`who ${token}`, `claim ${token}`, token, `help ${token}`])('when "%s" is typed, then the reply refuses it, repeats none of it, and nothing is written', async (text) => {
    const store = await asked();
    const before = dumpTables(store);
    const answer = await reply(store, typed(text));
    expect(textOf(answer)).toMatch(/^That looks like a Slack token; Steward does not search by secrets/);
    expect(textOf(answer)).not.toContain(token.slice(5));
    expect(dumpTables(store)).toEqual(before);
  });
});
