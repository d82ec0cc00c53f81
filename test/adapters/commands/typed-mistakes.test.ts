import { describe, expect, it } from 'vitest';
import { exitCodes } from '../../../adapters/commands/exit-codes.js';
import { isSharedCommand, runCommand } from '../../../adapters/commands/run-command.js';
import { runChatCommand } from '../../../adapters/chat/run-chat-command.js';
import { runSlashCommand } from '../../../adapters/slack/run-slash-command.js';
import { sourceFormats } from '../../../adapters/sources/formats.js';
import { parseCommand, type Surface } from '../../../src/commands/grammar.js';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { dumpTables } from '../../storage/support/dump-tables.js';
import { apiEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, tick } from '../../support/loop.js';
import { consoleTranscript } from '../../support/console-transcript.js';
import { secretShapes } from '../../support/secret-shapes.js';

/*
 * Mistakes typed on each surface, through the path each surface takes: a mistyped import format or item ref
 * gets the nearest one; a secret typed as a query is refused on the CLI's and the console's path and in
 * Slack's /steward reply, never repeated, and nothing is written (no refusal event holds it either).
 */

const importedAt = '2026-11-02T09:00:00.000Z';
const now = plusDays(importedAt, 8);
const policy = loopPolicy();
const inventory = [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger', 'leo') }), apiEntry({ ref: 'checkout-api', owner: ownedBy('payments', 'ana', 'ben') })];

async function asked(): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, inventory);
  await tick(store, policy, plusDays(importedAt, 7));
  return store;
}

/** One command line through the grammar and `runCommand`, as the CLI runs it (the parse error as main.ts prints it). */
async function steward(store: SqliteStore, line: string, surface: Surface = 'cli') {
  const parsed = parseCommand(splitCommandLine(line) ?? [], surface);
  if (!parsed.ok) return { code: exitCodes.badInput, out: '', err: parsed.usage ? `${parsed.message}\nUsage: ${parsed.usage}` : `${parsed.message}.` };
  if (!isSharedCommand(parsed.command)) throw new Error(`${line} is not a shared command`);
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommand(parsed.command, {
    surface,
    clock: fixedClock(now),
    policy,
    actor: 'cli:test',
    ...(surface === 'cli' ? {} : { chatActor: { email: 'ana@acme.example' } }),
    io: { out: (text) => out.push(text), err: (text) => err.push(text) },
    openStore: async () => store,
    formats: sourceFormats,
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** Lines typed at the console, and everything it printed. */
async function atTheConsole(store: SqliteStore, lines: readonly string[]): Promise<string> {
  return (await consoleTranscript(lines, { store, clock: fixedClock(now), policy, formats: sourceFormats })).printed;
}

describe('did you mean: formats and refs', () => {
  it('when an import format is mistyped, then the answer names the nearest format and lists them all, exit 2', async () => {
    const store = await asked();
    const result = await steward(store, 'import backstag catalog-info.yaml');
    expect(result.code).toBe(exitCodes.badInput);
    expect(result.err).toBe(`backstag is not an import format (did you mean \`backstage\`?). Formats: ${[...sourceFormats.keys()].join(', ')}`);
  });

  it('when only the start of a format is typed, then the format it begins is suggested', async () => {
    const result = await steward(await asked(), 'import aws report.csv');
    expect(result.err).toMatch(/^aws is not an import format \(did you mean `aws-credential-report`\?\)\./);
  });

  it.each([
    ['history ledger-apx', 'cli'],
    ['attest ledger-apx --as leo@acme.example', 'cli'],
    ['claim ledger-apx', 'console'],
    ['attest ledger-apx', 'chat'],
  ] as const)('when "%s" names a ref that is not there on %s, then the nearest ref is suggested, and nothing is done', async (line, surface) => {
    const store = await asked();
    const before = dumpTables(store);
    const result = await steward(store, line, surface);
    expect(result.code).toBe(exitCodes.badInput);
    expect(result.err).toBe('No API or identity has the ref ledger-apx (did you mean `ledger-api`?). (`who ledger-apx` searches by name and part of a ref.)');
    expect(dumpTables(store)).toEqual(before);
  });

  it('when a ref is near nothing, then no suggestion is made', async () => {
    const result = await steward(await asked(), 'history frobnicator');
    expect(result.err).toBe('No API or identity has the ref frobnicator. (`who frobnicator` searches by name and part of a ref.)');
  });
});

describe('did you mean: the facts Update corrects, on the console', () => {
  /** The number of Update… on checkout-api once Ana's prompt is shown (numbers are the same in every session). */
  async function updateNumber(): Promise<number> {
    const printed = await atTheConsole(await asked(), ['as ana@acme.example', 'tick', 'inbox']);
    const shown = printed.slice(printed.lastIndexOf('  checkout-api ('));
    return Number(/\[(\d+)\] Update…/.exec(shown)?.[1]);
  }

  it('when a fact is mistyped in --set, then the nearest fact is suggested, and nothing is recorded', async () => {
    const n = await updateNumber();
    const store = await asked();
    const printed = await atTheConsole(store, ['as ana@acme.example', 'tick', `press ${n} --set purpse="Takes card payments"`]);
    expect(printed).toContain('Update can correct purpose, scopes, expires, recovery and revocation, not "purpse" (did you mean `purpose`?).');
  });

  it('when a secret is typed as the expiry in --set, then it is refused as a secret and never repeated', async () => {
    const n = await updateNumber();
    const key = secretShapes.awsSecretAccessKey();
    const store = await asked();
    const before = dumpTables(store).attestations;
    const printed = await atTheConsole(store, ['as ana@acme.example', 'tick', `press ${n} --set expires=${key}`]);
    expect(printed).toContain('That looks like an AWS secret access key; Steward never stores secrets, so nothing was recorded.');
    expect(printed).not.toContain(key.slice(0, 20));
    expect(dumpTables(store).attestations).toEqual(before);
  });
});

describe('a secret typed as a query, on every surface', () => {
  const token = secretShapes.slackBotToken();
  const key = secretShapes.awsSecretAccessKey();
  const neverShown = (said: string) => {
    expect(said).not.toContain(token.slice(5));
    expect(said).not.toContain(key.slice(0, 20));
  };

  it.each([`who ${token}`, `history ${key}`, `attest ${token} --as leo@acme.example`, `tick --at ${key}`, `who --${token}`, `hitsory ${token}`])(
    'when the CLI is given "%s", then exit 2, it says Steward does not search by secrets, repeats nothing and writes nothing',
    async (line) => {
      const store = await asked();
      const before = dumpTables(store);
      const result = await steward(store, line);
      expect(result.code).toBe(exitCodes.badInput);
      expect(result.err).toMatch(/^That looks like (a Slack token|an AWS secret access key); Steward does not search by secrets/);
      neverShown(`${result.out}${result.err}`);
      expect(dumpTables(store)).toEqual(before);
    },
  );

  it('when the console is given secrets as queries, refs, a team, a time and a person, then it says so each time and repeats none', async () => {
    const store = await asked();
    const before = dumpTables(store);
    const printed = await atTheConsole(store, [`who ${token}`, `history ${key}`, `team ${token}`, `claim ${key}`, `tick --at ${token}`, `as ${token}@acme.example`, `attest ${key}`, token]);
    expect(printed.match(/Steward does not search by secrets/g)).toHaveLength(8);
    neverShown(printed);
    expect(dumpTables(store)).toEqual(before);
  });

  it.each([`who ${token}`, `attest ${key}`, `claim ${token}`, `team ${key}`, token, `help ${token}`, `whp ${key}`])(
    'when Slack’s /steward is given "%s", then the reply says Steward does not search by secrets and repeats none of it',
    async (text) => {
      const store = await asked();
      const before = dumpTables(store);
      const reply = await runSlashCommand((request) => runChatCommand({ store, clock: fixedClock(now), policy }, request), { email: 'ana@acme.example' }, text);
      expect(reply).toMatch(/^That looks like (a Slack token|an AWS secret access key); Steward does not search by secrets/);
      neverShown(reply);
      expect(dumpTables(store)).toEqual(before);
    },
  );
});
