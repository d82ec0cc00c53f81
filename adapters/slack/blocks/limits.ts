/**
 * Block Kit's limits, as Slack documents them (docs.slack.dev, reference/block-kit and reference/views), and the
 * text helpers that keep every rendering inside them. Lengths are counted in UTF-16 code units (`string.length`):
 * never fewer than the characters Slack counts, so a text that fits here fits there.
 */
export const slackLimits = {
  /** Blocks in one message (chat.postMessage, chat.update). */
  messageBlocks: 50,
  /** Blocks in a Home tab view (views.publish). */
  homeBlocks: 100,
  /** Blocks in a modal view (views.open). */
  modalBlocks: 100,
  /** A section's text, and any mrkdwn text object. */
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonAccessibilityLabel: 75,
  buttonValue: 2000,
  /** A confirmation dialog (the `confirm` of a button): title, text, and its two buttons. */
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  actionId: 255,
  blockId: 255,
  /**
   * The message's top-level `text`, the notification fallback. Slack truncates it at 40,000 characters; a
   * notification shows a line or two, so 3,000 is plenty and keeps a fallback from dwarfing its blocks.
   */
  fallbackText: 3000,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  /** `max_length` of a plain_text_input (1 to 3,000). */
  plainTextInput: 3000,
} as const;

export const ellipsis = '…';

/** Slack's control characters in mrkdwn, as the entities Slack asks for (docs: "Escaping text"). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const entities = ['&amp;', '&lt;', '&gt;'] as const;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` code units, ending in `…` when cut. It cuts between grapheme clusters, so it never
 * splits a surrogate pair, an emoji sequence (👩🏽‍💻, flags) or a letter from its combining marks, and it treats
 * `&amp;`, `&lt;` and `&gt;` as single characters, so escaped text never ends in half an entity.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  if (room <= 0) return max >= ellipsis.length ? ellipsis : '';
  return `${text.slice(0, quickCut(text, room) ?? graphemeCut(text, room)).trimEnd()}${ellipsis}`;
}

const plainAscii = (code: number) => code >= 0x20 && code <= 0x7e;

/**
 * A cut at or a little before `room` that is certainly a grapheme boundary, found without segmenting: before a
 * printable ASCII character, after a character below U+0600 (so neither a surrogate, nor CR, nor a Prepend
 * mark), no cluster rule joins the two. Null when there is none near (emoji, scripts without spaces).
 */
function quickCut(text: string, room: number): number | null {
  for (let cut = room; cut > 0 && cut >= room - 32; cut--) {
    if (!plainAscii(text.charCodeAt(cut)) || text.charCodeAt(cut - 1) >= 0x600 || text.charCodeAt(cut - 1) === 0x0d) continue;
    const amp = text.lastIndexOf('&', cut - 1);
    const entity = amp >= 0 && amp > cut - 5 ? entities.find((e) => text.startsWith(e, amp)) : undefined;
    if (entity === undefined || amp + entity.length <= cut) return cut;
  }
  return null;
}

/** The last grapheme boundary at or before `room`, entities counted whole. */
function graphemeCut(text: string, room: number): number {
  let end = 0;
  let skipUntil = 0;
  // A grapheme's end depends on the next few characters at most: a little more than the room finds every
  // boundary in it.
  for (const { segment, index } of graphemes.segment(text.slice(0, room + 32))) {
    if (index < skipUntil) continue;
    const entity = segment === '&' ? entities.find((e) => text.startsWith(e, index)) : undefined;
    const next = index + (entity?.length ?? segment.length);
    if (next > room) break;
    end = next;
    skipUntil = next;
  }
  return end;
}

const rightToLeft = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

export function hasRightToLeft(text: string): boolean {
  return rightToLeft.test(text);
}

/**
 * Wraps text that contains right-to-left script in a Unicode first-strong isolate (U+2068 … U+2069), so a
 * Hebrew or Arabic name does not reorder the labels and punctuation around it. Other text is left alone.
 */
export function isolate(text: string): string {
  return rightToLeft.test(text) ? `\u2068${text}\u2069` : text;
}

/** Untrusted text for a plain_text field: isolated when right-to-left, cut to `max` with the isolate counted. */
export function plainWithin(text: string, max: number): string {
  return isolate(truncate(text, rightToLeft.test(text) ? max - 2 : max));
}

/** Untrusted text for a mrkdwn field: escaped, isolated when right-to-left, cut to `max`. */
export function mrkdwnWithin(text: string, max: number): string {
  return plainWithin(escapeMrkdwn(text), max);
}

/**
 * Shares `budget` characters among texts: short ones keep their length, the long ones split what is left
 * evenly. Returns each text's allowance, in the order given.
 */
export function shareBudget(lengths: readonly number[], budget: number): number[] {
  const order = lengths.map((length, index) => ({ length, index })).sort((a, b) => a.length - b.length);
  const allowance = new Array<number>(lengths.length).fill(0);
  let left = Math.max(0, budget);
  order.forEach(({ length, index }, position) => {
    const share = Math.floor(left / (order.length - position));
    allowance[index] = Math.min(length, share);
    left -= allowance[index] ?? 0;
  });
  return allowance;
}
