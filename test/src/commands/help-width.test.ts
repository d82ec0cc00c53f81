import { describe, expect, it } from 'vitest';
import { commandsFor, helpText, parseCommand, type Surface } from '../../../src/commands/grammar.js';

/*
 * The help fits a 100-column terminal (and a Slack code block) on every surface, for the list of commands and
 * for each command's own help: long summaries and usages are wrapped, never cut.
 */

const width = 100;
const surfaces: readonly Surface[] = ['cli', 'console', 'chat'];
const everyHelp = surfaces.flatMap((surface) => [
  { surface, topic: undefined as string | undefined },
  ...commandsFor(surface).map((spec) => ({ surface, topic: spec.name as string | undefined })),
  { surface, topic: 'frobnicate' as string | undefined },
]);

/** How each surface is invoked here: chat as in Slack (`/steward`), the longest of the platforms' invocations today. */
const on = (surface: Surface) => (surface === 'chat' ? { invocation: '/steward' } : {});

/** The words of a text, whatever its line breaks and indentation. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('helpText fits 100 columns', () => {
  it.each(everyHelp)('when $surface asks for help on $topic, then no line is wider than 100 columns', ({ surface, topic }) => {
    for (const line of helpText(surface, topic, on(surface)).split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
  });

  it.each(surfaces)('when %s lists the commands, then every usage and every summary is there in full, in order', (surface) => {
    const text = words(helpText(surface, undefined, on(surface))).join(' ');
    let from = 0;
    for (const spec of commandsFor(surface)) {
      const usage = words(spec.usage).join(' ');
      const summary = words(spec.summary).join(' ');
      const at = text.indexOf(usage, from);
      expect(at, usage).toBeGreaterThanOrEqual(from);
      expect(text.indexOf(summary, at), summary).toBeGreaterThan(at);
      from = at + usage.length;
    }
  });

  it.each(everyHelp.filter(({ topic }) => topic !== undefined && topic !== 'frobnicate'))(
    'when $surface asks for help on $topic, then its usage, summary and every option’s help are there in full',
    ({ surface, topic }) => {
      const spec = commandsFor(surface).find((s) => s.name === topic);
      const text = words(helpText(surface, topic, on(surface))).join(' ');
      expect(text).toContain(words(spec?.summary ?? '?').join(' '));
      expect(text).toContain(words(spec?.usage ?? '?').join(' '));
      for (const [name, option] of Object.entries(spec?.options ?? {})) {
        if (option.surfaces !== undefined && !option.surfaces.includes(surface)) continue;
        expect(text).toContain(`--${name}`);
        expect(text).toContain(words(option.help).join(' '));
      }
    },
  );

  it.each(surfaces)('when a refusal on %s carries a usage, then after `Usage: ` it fits 100 columns too', (surface) => {
    for (const spec of commandsFor(surface)) {
      const refused = parseCommand([spec.name, '--frobnicate'], surface, on(surface));
      expect(refused.ok).toBe(false);
      if (refused.ok) continue;
      for (const line of `Usage: ${refused.usage ?? ''}`.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
      expect(words(refused.usage ?? '').join(' ')).toBe(words(`${surface === 'chat' ? '/steward ' : surface === 'cli' ? 'steward ' : ''}${spec.usage}`).join(' '));
    }
  });

  it('when a summary is wrapped in the list, then its next lines start under its first', () => {
    const lines = helpText('chat', undefined, on('chat')).split('\n');
    const who = lines.findIndex((line) => line.startsWith('  /steward who '));
    const column = (lines[who] ?? '').indexOf('who owns');
    expect(column).toBeGreaterThan(0);
    expect(lines[who + 1]).toMatch(new RegExp(`^ {${column}}\\S`));
  });
});
