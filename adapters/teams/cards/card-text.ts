/**
 * Untrusted text (names, facts, reasons from an import or a person) on a card. TextBlock text and both sides of a
 * Fact are Markdown in Teams: bold, italic, lists and links (learn.microsoft.com, "Format cards in Microsoft
 * Teams"); no HTML, headers, tables or images. Text must show as it was written, so what Teams would read as markup
 * is neutralised where it could change what a reader sees:
 *
 * - A link (`[Verify here](https://evil.example)`) would show words that are not its target: a WORD JOINER (U+2060,
 *   invisible) after each `]` that a `(`, `[` or `:` follows breaks every link form, inline or by reference, in any
 *   parser, and needs no backslash. A bare URL is left alone: what Teams shows of it is where it goes.
 * - Lists, quotes and headings start a line: a WORD JOINER before the marker makes the line plain text.
 * - An entity (`&lt;`) would show another character: a WORD JOINER after its `&`.
 * - Emphasis, code spans and strike-through swallow their `*`, `_`, `` ` `` and `~` (a scope `s3:Get*Object*` would
 *   show as `s3:GetObject` in italics). Only a backslash stops them (CommonMark), and some Teams mobile clients
 *   have shown the backslash (MicrosoftDocs/msteams-docs#5793), so it is written only where markup could form:
 *   when the text holds two or more of the character (one alone pairs with nothing), and never for an `_` inside a
 *   word (`ci_token_prod`), which CommonMark never reads as emphasis. A backslash that would escape the next
 *   character is itself escaped.
 *
 * Control characters (other than new lines and tabs) show as U+FFFD: they are invisible or garble a card.
 */
export const ellipsis = '…';

const wordJoiner = '\u2060';
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` cut to at most `max` UTF-16 code units, ending in `…` when cut. It cuts between grapheme clusters, so never
 * inside a surrogate pair, an emoji sequence or a letter and its combining marks.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  if (room <= 0) return max >= ellipsis.length ? ellipsis : '';
  // A cluster boundary depends on the characters before it and the one after: one past the room is enough to see it.
  let end = 0;
  for (const { index, segment } of graphemes.segment(text.slice(0, room + 1))) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  return `${text.slice(0, end).trimEnd()}${ellipsis}`;
}

const asciiPunctuation = /[!-/:-@[-`{-~]/;
const wordCharacter = /[\p{L}\p{N}]/u;

function isWordCharacter(char: string | undefined): boolean {
  return char !== undefined && wordCharacter.test(char);
}

/** Emphasis, code and strike-through need two delimiters: a character that appears once pairs with nothing. */
function pairable(text: string): { star: boolean; tick: boolean; tilde: boolean; underscore: boolean } {
  const count = (char: string) => text.split(char).length - 1;
  let looseUnderscores = 0;
  const chars = Array.from(text);
  chars.forEach((char, i) => {
    if (char === '_' && !(isWordCharacter(chars[i - 1]) && isWordCharacter(chars[i + 1]))) looseUnderscores++;
  });
  return { star: count('*') > 1, tick: count('`') > 1, tilde: count('~') > 1, underscore: looseUnderscores > 1 };
}

/** A list item, quote or heading, and a line of `-`, `=`, `*` or `_` (a rule, or the line under a heading). */
const lineStartMarkup = /^([ \t]{0,3})((?:[-+*]|\d{1,9}[.)]|#{1,6})(?=[ \t]|$)|>|[-=*_](?=(?:[ \t]*[-=*_\\])*[ \t]*$))/gm;
const entity = /^&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[A-Za-z][A-Za-z\d]{1,31});/;

/** Control characters other than a new line or a tab, as U+FFFD. */
function visible(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : '\uFFFD'));
}

/** Text as it was written, safe to put in a TextBlock or a Fact: see the comment at the top of this file. */
export function markdownSafe(raw: string): string {
  const text = visible(raw.replace(/\r\n?/g, '\n'));
  const pairs = pairable(text);
  const chars = Array.from(text);
  let out = '';
  chars.forEach((char, i) => {
    const next = chars[i + 1];
    if (char === '\\') out += next !== undefined && asciiPunctuation.test(next) ? '\\\\' : '\\';
    else if (char === '*') out += pairs.star ? '\\*' : '*';
    else if (char === '`') out += pairs.tick ? '\\`' : '`';
    else if (char === '~') out += pairs.tilde ? '\\~' : '~';
    else if (char === '_') out += pairs.underscore && !(isWordCharacter(chars[i - 1]) && isWordCharacter(next)) ? '\\_' : '_';
    else if (char === ']' && (next === '(' || next === '[' || next === ':')) out += `]${wordJoiner}`;
    else if (char === '&' && entity.test(chars.slice(i, i + 40).join(''))) out += `&${wordJoiner}`;
    else out += char;
  });
  return out.replace(lineStartMarkup, `$1${wordJoiner}$2`);
}

const rightToLeft = /[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;

/**
 * Text holding right-to-left script inside a first-strong isolate (U+2068 … U+2069), so a Hebrew or Arabic name
 * keeps its own order without reordering the labels and punctuation around it. Other text is left alone.
 */
export function isolate(text: string): string {
  return rightToLeft.test(text) ? `\u2068${text}\u2069` : text;
}

/** Untrusted text for a TextBlock or a Fact: cut to `max` code units as written, then made safe and isolated. */
export function cardText(text: string, max: number): string {
  return isolate(markdownSafe(cutText(text, max)));
}

/** Untrusted text for a plain-text property (a button's tooltip, an input's label): cut and isolated, not escaped. */
export function plainText(text: string, max: number): string {
  return isolate(cutText(visible(text), max));
}
