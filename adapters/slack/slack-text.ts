/** `&`, `<` and `>` are Slack's control characters in message text; everything else shows as written. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack shows about 4,000 characters of a message's text well; longer answers are cut at a line, saying so. */
const maxChars = 3_800;

/**
 * A command's answer as Slack shows it: in a preformatted block, so the columns the text renderers line up
 * stay lined up, cut at a line when it is too long for one message.
 */
export function preformatted(text: string): string {
  const trimmed = text.replace(/\s+$/, '');
  if (trimmed === '') return '';
  let body = trimmed;
  if (body.length > maxChars) {
    const cut = body.lastIndexOf('\n', maxChars);
    const kept = body.slice(0, cut > 0 ? cut : maxChars);
    const left = body.slice(kept.length).split('\n').filter((l) => l.trim() !== '').length;
    body = `${kept}\n… ${left} more line${left === 1 ? '' : 's'}: \`steward\` on the command line shows everything.`;
  }
  return `\`\`\`${escapeSlackText(body)}\`\`\``;
}
