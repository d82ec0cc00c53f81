import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { DigestGroup, DigestRow, DigestView } from '../../../src/digest/digest-view.js';
import type { OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import { composeMrkdwn, header, mrkdwn } from './elements.js';
import { escapeMrkdwn, mrkdwnWithin, slackLimits } from './limits.js';
import type { SlackMessage } from './render-message.js';

/** Where every figure and note a message leaves out can be read. */
const fullList = '`steward digest --print` lists them all';

/**
 * Blocks kept free for the one line the dispatcher may add under a digest when its chart could not be attached
 * (`chartMissingBlock`), so the message stays within Slack's 50 with it.
 */
const reservedBlocks = 1;

const trendWord = { better: 'better', worse: 'worse', same: null } as const;

/** `*label*\nvalue · change (worse)`; the value alone on the first digest. Escaped, and cut to a field's 2,000. */
function field(row: DigestRow): string {
  const trend = row.trend === undefined ? null : trendWord[row.trend];
  const change = row.change === null ? [] : [' · ', { text: row.change }, ...(trend === null ? [] : [` (${trend})`])];
  return composeMrkdwn([['*', { text: row.label }, '*'], [{ text: row.value }, ...change]], slackLimits.sectionFieldText);
}

/** The most figures one group shows: three sections of ten. The core writes five or so; more is counted, not shown. */
const maxFields = 3 * slackLimits.sectionFields;

/** A group: its title over its first ten figures, further sections of ten for the rest, then its notes as context. */
function groupBlocks(group: DigestGroup): KnownBlock[] {
  const rows = group.rows.length > maxFields ? group.rows.slice(0, maxFields - 1) : group.rows;
  const hidden = group.rows.length - rows.length;
  const fields = [...rows.map((row) => mrkdwn(field(row))), ...(hidden === 0 ? [] : [mrkdwn(`…and ${hidden} more figures: ${fullList}`)])];
  const title = mrkdwn(`*${mrkdwnWithin(group.title, slackLimits.sectionText - 2)}*`);
  const sections: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += slackLimits.sectionFields) sections.push({ type: 'section', ...(i === 0 ? { text: title } : {}), fields: fields.slice(i, i + slackLimits.sectionFields) });
  if (sections.length === 0) sections.push({ type: 'section', text: title });
  return [...sections, ...notesBlocks(group.notes ?? [])];
}

/** Notes one to a line in one context block: ten elements at most, so any past nine share the last, cut to fit. */
function notesBlocks(notes: readonly string[]): ContextBlock[] {
  if (notes.length === 0) return [];
  const own = notes.length <= slackLimits.contextElements ? notes : notes.slice(0, slackLimits.contextElements - 1);
  const rest = notes.slice(own.length);
  const elements = [...own.map((note) => mrkdwnWithin(note, slackLimits.sectionText)), ...(rest.length === 0 ? [] : [mrkdwnWithin(rest.join('\n'), slackLimits.sectionText)])];
  return [{ type: 'context', elements: elements.map((text) => mrkdwn(text)) }];
}

/** The audit trail's head as a line to copy, and what keeping it is for. */
function anchorBlock(anchor: DigestView['anchor']): ContextBlock {
  const text =
    anchor.events === 0
      ? 'The audit trail holds no events yet.'
      : `Audit trail head: \`${anchor.events}:${escapeMrkdwn(anchor.headHash)}\` — keep it: \`steward audit verify --expect-head ${anchor.events}:${escapeMrkdwn(anchor.headHash)}\` proves no event was removed since.`;
  return { type: 'context', elements: [mrkdwn(mrkdwnWithin(text, slackLimits.sectionText))] };
}

/** The line that stands in for the chart when it could not be attached: why, in the reader's words. */
export function chartMissingBlock(reason: string): ContextBlock {
  return { type: 'context', elements: [mrkdwn(mrkdwnWithin(reason, slackLimits.sectionText))] };
}

/**
 * A digest in Block Kit: its title as the header, the period and the headline, a section per group with each
 * figure as a field ("*label*" over "value · change"), the group's notes as context, and the audit trail's head
 * to keep. The chart is not a block: it is the file the message is posted with (files.completeUploadExternal).
 * Within every limit however many groups, figures and notes the core wrote: groups that do not fit in 50 blocks
 * (one kept for the chart's line) are left off and counted, never dropped silently.
 */
export function renderDigest(message: OutgoingMessage, digest: DigestView): SlackMessage {
  const top: KnownBlock[] = [
    header(message.title),
    { type: 'context', elements: [mrkdwn(mrkdwnWithin(digest.period, slackLimits.sectionText))] },
    ...(message.text.trim() === '' ? [] : [{ type: 'section' as const, text: mrkdwn(mrkdwnWithin(message.text, slackLimits.sectionText)) }]),
  ];
  const anchor = anchorBlock(digest.anchor);
  const groups = digest.groups.map(groupBlocks);
  const room = slackLimits.messageBlocks - reservedBlocks - top.length - 1;
  let shown = 0;
  let used = 0;
  // The "more groups" line needs a block of its own whenever some are left off.
  while (shown < groups.length && used + (groups[shown]?.length ?? 0) + (shown + 1 < groups.length ? 1 : 0) <= room) used += groups[shown++]?.length ?? 0;
  const hidden = groups.length - shown;
  const more: KnownBlock[] = hidden === 0 ? [] : [{ type: 'context', elements: [mrkdwn(`…and ${hidden} more ${hidden === 1 ? 'section' : 'sections'}: ${fullList}`)] }];
  const blocks = [...top, ...groups.slice(0, shown).flat(), ...more, anchor];
  return { text: mrkdwnWithin(`${message.title}: ${message.text}`, slackLimits.fallbackText), blocks };
}
