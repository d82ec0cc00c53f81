import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../adapters/commands/run-command.js';
import { runConsole } from '../../../adapters/console/run-console.js';
import { runChatCommand } from '../../../adapters/chat/run-chat-command.js';
import { runSlashCommand } from '../../../adapters/slack/run-slash-command.js';
import { commandsFor } from '../../../src/commands/grammar.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { loopPolicy } from '../../support/loop.js';
import { recordingLogger } from '../../support/recording-logger.js';

/*
 * `help`, and `help <command>` for every command, as each surface shows it: the CLI's answer, the console's
 * (its banner too), and Slack's /steward reply. Every line fits 100 columns.
 */

const width = 100;
const clock = fixedClock('2026-11-02T09:00:00Z');
const policy = loopPolicy();
const tooWide = (text: string) => text.split('\n').filter((line) => line.length > width);
/** The console's lines as the user reads them: the prompt before each answer is not part of it. */
const withoutPrompts = (text: string) => text.replace(/^(?:steward(?: \([^)]*\))?> )+/gm, '');
/** Slack's reply as Slack shows it: its escapes are one character each on the screen. */
const asShown = (text: string) => text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

describe('help fits 100 columns on every surface', () => {
  it.each([undefined, ...commandsFor('cli').map((spec) => spec.name)])('when the command line is asked for help on %s, then no line is wider than 100 columns', async (topic) => {
    const out: string[] = [];
    await runCommand(topic === undefined ? { name: 'help' } : { name: 'help', topic }, {
      surface: 'cli',
      clock,
      policy,
      actor: 'cli:test',
      io: { out: (text) => out.push(text), err: (text) => out.push(text) },
      openStore: async () => memoryStore(),
      formats: new Map(),
    });
    expect(out.join('\n')).not.toBe('');
    expect(tooWide(out.join('\n'))).toEqual([]);
  });

  it('when the console starts and is asked for help on every command, then no line it prints is wider than 100 columns', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    const store = memoryStore();
    const done = runConsole({ input, output, terminal: false, logger: recordingLogger().logger, deps: { clock, policy, actor: 'console', formats: new Map(), openStore: async () => store } });
    input.end(['help', ...commandsFor('console').map((spec) => `help ${spec.name}`)].map((line) => `${line}\n`).join(''));
    await done;
    expect(withoutPrompts(printed).match(/^Usage: /gm)).toHaveLength(commandsFor('console').length);
    expect(tooWide(withoutPrompts(printed))).toEqual([]);
  });

  it.each(['', 'help', ...commandsFor('chat').map((spec) => `help ${spec.name}`), 'whp payments-api'])('when Slack’s /steward is given "%s", then the reply’s lines fit 100 columns', async (text) => {
    const reply = await runSlashCommand((request) => runChatCommand({ store: memoryStore(), clock, policy }, request), { email: 'ana@acme.example' }, text);
    expect(reply).toMatch(/Commands:|Usage: /);
    expect(tooWide(asShown(reply))).toEqual([]);
  });
});
