/**
 * Undoes what Slack does to a slash command's text before Steward splits it into words: links and mentions become
 * `<mailto:a@b.example|a@b.example>`, `<https://x.example|x.example>`, `<@U123|name>` or `<#C123|name>`, and
 * `&`, `<`, `>` arrive as `&amp;`, `&lt;`, `&gt;` (https://docs.slack.dev/messaging/formatting-message-text).
 */
export function unescapeCommandText(text: string): string {
  const unlinked = text.replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_whole, target: string, label: string | undefined) => {
    if (target.startsWith('mailto:')) return target.slice('mailto:'.length);
    if (target.startsWith('@') || target.startsWith('#')) return label === undefined ? target : `${target[0]}${label.replace(/^[@#]/, '')}`;
    if (target.startsWith('!')) return label ?? `@${target.slice(1)}`;
    // A bare link Slack made of what was typed (example.com → <http://example.com|example.com>): what was typed.
    return label ?? target;
  });
  // &amp; last, so an escaped "&lt;" that was typed stays as typed.
  return unlinked.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
