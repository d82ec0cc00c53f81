/**
 * A chat command's answer before any platform renders it: Steward's words, and blocks of preformatted text (a
 * list, the help) whose columns must stay lined up, in order. Each platform renders it its own way (Slack: escaped
 * text and code blocks); nothing here is any platform's markup.
 */
export interface ChatReply {
  /** The command was refused or could not do what was asked (bad words, an unknown item, not theirs to answer): a platform may show it as an error. */
  readonly error: boolean;
  readonly parts: readonly ChatReplyPart[];
}

export type ChatReplyPart =
  /** Words, shown as they are. */
  | { readonly kind: 'text'; readonly text: string }
  /** Lines shown in a fixed-width font, as written (columns, indentation). */
  | { readonly kind: 'preformatted'; readonly text: string };

export const textPart = (text: string): ChatReplyPart => ({ kind: 'text', text });
export const preformattedPart = (text: string): ChatReplyPart => ({ kind: 'preformatted', text });
