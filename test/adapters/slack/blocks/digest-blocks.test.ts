import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, test } from 'vitest';
import { chartMissingBlock, renderDigest } from '../../../../adapters/slack/blocks/digest-blocks.js';
import { renderMessage } from '../../../../adapters/slack/blocks/render-message.js';
import type { DigestGroup, DigestView } from '../../../../src/digest/digest-view.js';
import type { OutgoingMessage } from '../../../../src/messages/outgoing-message.js';
import { buttons, checkBlockKitLimits, findBlockKitViolation } from '../../../support/block-kit-limits.js';
import { aDigest, digestHeadHash } from './core-messages.js';

/*
 * A digest in Block Kit: the core's figures laid out as fields, within every limit however much the core wrote,
 * with nothing dropped silently.
 */

const sections = (blocks: readonly KnownBlock[]) => blocks.filter((b): b is SectionBlock => b.type === 'section');
const fieldTexts = (blocks: readonly KnownBlock[]) => sections(blocks).flatMap((b) => (b.fields ?? []).map((f) => f.text));
const contextTexts = (blocks: readonly KnownBlock[]) => blocks.flatMap((b) => (b.type === 'context' ? (b as ContextBlock).elements.map((e) => ('text' in e ? e.text : '')) : []));

function digestMessage(previous = 0): { message: OutgoingMessage; digest: DigestView } {
  const { message } = aDigest(previous).message;
  if (message.digest === undefined) throw new Error('the core made a digest without its view');
  return { message, digest: message.digest };
}

function withView(overrides: Partial<DigestView>, text = 'A digest.'): { message: OutgoingMessage; digest: DigestView } {
  const { message, digest } = digestMessage(3);
  const view = { ...digest, ...overrides };
  return { message: { ...message, text, digest: view }, digest: view };
}

describe('renderDigest: a weekly digest', () => {
  test('when a digest follows three others, then it has the title as header, the period and headline, a section per group with every figure and its change, the notes, and the audit head last', () => {
    const { message, digest } = digestMessage(3);

    const { text, blocks } = renderDigest(message, digest);

    checkBlockKitLimits(blocks);
    expect(blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Steward digest — Mon 7 Dec 2026', emoji: true } });
    expect(contextTexts(blocks)[0]).toBe('Scheduled for Mon 7 Dec 2026, 09:00 (Europe/Paris)');
    expect(sections(blocks)[0]?.text?.text).toBe(message.text);
    expect(text).toBe(`Steward digest — Mon 7 Dec 2026: ${message.text}`);
    // One section per group, titled in bold, in the core's order.
    expect(sections(blocks).slice(1).map((s) => s.text?.text)).toEqual(digest.groups.map((g) => `*${g.title}*`));
    // Every figure, with its change and whether that is for the better.
    expect(fieldTexts(blocks)).toHaveLength(digest.groups.reduce((n, g) => n + g.rows.length, 0));
    expect(fieldTexts(blocks)).toContain('*Overdue now*\n31 · −3 (better)');
    expect(fieldTexts(blocks)).toContain('*APIs with an operational owner*\n293 of 310 (95%) · +1, +0.3 points (better)');
    expect(fieldTexts(blocks)).toContain('*Items in the unowned queue*\n9 · no change');
    expect(contextTexts(blocks)).toContain('Overdue by team, worst first: payments 12, ledger 5, (no team) 1');
    expect(contextTexts(blocks).at(-1)).toBe(
      `Audit trail head: \`1234:${digestHeadHash}\` — keep it: \`steward audit verify --expect-head 1234:${digestHeadHash}\` proves no event was removed since.`,
    );
    expect(buttons(blocks)).toEqual([]);
  });

  test('when it is the first digest, then each figure shows its value alone, with no change and no trend', () => {
    const { message, digest } = digestMessage(0);

    const { blocks } = renderDigest(message, digest);

    checkBlockKitLimits(blocks);
    expect(digest.groups.flatMap((g) => g.rows).every((r) => r.change === null)).toBe(true);
    expect(fieldTexts(blocks)).toContain('*Overdue now*\n40');
    expect(fieldTexts(blocks).some((f) => f.includes(' · '))).toBe(false);
    expect(sections(blocks)[0]?.text?.text).toMatch(/^The first digest: /);
  });

  test('when the core sends a digest through renderMessage, then the digest layout is the one used', () => {
    const { message, digest } = digestMessage(1);

    expect(renderMessage(message)).toEqual(renderDigest(message, digest));
  });

  test('when the audit trail is empty, then the digest says so rather than printing a head', () => {
    const { message, digest } = withView({ anchor: { events: 0, headHash: '' } });

    expect(contextTexts(renderDigest(message, digest).blocks).at(-1)).toBe('The audit trail holds no events yet.');
  });
});

describe('renderDigest: within Block Kit’s limits', () => {
  const row = (i: number) => ({ label: `Figure ${i} ${'ł'.repeat(1500)}`, value: `${i} of ${'9'.repeat(1500)}`, change: `+${i} <@here> & more ${'x'.repeat(600)}`, trend: 'worse' as const });
  const group = (g: number, rows: number, notes: number): DigestGroup => ({
    title: `Group ${g} <!channel> ${'t'.repeat(4000)}`,
    rows: Array.from({ length: rows }, (_, i) => row(i)),
    notes: Array.from({ length: notes }, (_, i) => `Note ${i} for <!here> & ${'n'.repeat(4000)}`),
  });

  test('when a group has 45 figures and 14 notes, all of them long and full of markup, then it keeps every limit and counts the figures it leaves out', () => {
    const { message, digest } = withView({ groups: [group(1, 45, 14)] });

    const { blocks } = renderDigest(message, digest);

    checkBlockKitLimits(blocks);
    const fields = fieldTexts(blocks);
    expect(sections(blocks).slice(1).map((s) => s.fields?.length)).toEqual([10, 10, 10]);
    expect(fields.at(-1)).toBe('…and 16 more figures: `steward digest --print` lists them all');
    // Ten context elements at most: the notes past nine share the last.
    const notes = blocks.filter((b): b is ContextBlock => b.type === 'context').find((b) => b.elements.length === 10);
    expect(notes?.elements).toHaveLength(10);
    expect(JSON.stringify(blocks)).not.toMatch(/<!here>|<!channel>|<@here>/);
  });

  test('when there are 60 groups, then as many as fit in 49 blocks are shown (one kept for the chart’s line), the rest counted, and the audit head still ends it', () => {
    const { message, digest } = withView({ groups: Array.from({ length: 60 }, (_, g) => group(g, 3, 2)) });

    const { blocks } = renderDigest(message, digest);

    checkBlockKitLimits(blocks);
    expect(blocks.length).toBeLessThanOrEqual(49);
    const shown = sections(blocks).length - 1;
    expect(contextTexts(blocks)).toContain(`…and ${60 - shown} more sections: \`steward digest --print\` lists them all`);
    expect(contextTexts(blocks).at(-1)).toMatch(/^Audit trail head: /);
    expect(findBlockKitViolation([...blocks, chartMissingBlock('The chart could not be drawn this time; the figures below are complete.')])).toBeNull();
  });

  test('when a group has no figures, then its title still shows, alone', () => {
    const { message, digest } = withView({ groups: [{ title: 'Quiet', rows: [] }] });

    const { blocks } = renderDigest(message, digest);

    checkBlockKitLimits(blocks);
    expect(sections(blocks).at(-1)).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*Quiet*', verbatim: true } });
  });
});
