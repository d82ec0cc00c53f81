/** A user mention as Slack sends it in an escaped slash command: `<@U123>` or `<@U123|name>`. */
const userMention = /<@([UW][A-Z0-9]{1,20})(?:\|[^<>]*)?>/g;

/**
 * A command's user mentions as the email of the person each names (`transfer ci-deployer --to @cy` → `--to
 * cy@acme.example`), before the grammar reads it: the grammar takes emails, the join key every source shares. A
 * mention Steward cannot turn into an email is left for `unescapeCommandText` (it becomes `@name`, which the
 * grammar refuses as not an email).
 */
export async function mentionsAsEmails(text: string, emailOf: (slackUserId: string) => Promise<string | null>): Promise<string> {
  const ids = [...new Set([...text.matchAll(userMention)].map((m) => m[1] as string))];
  if (ids.length === 0) return text;
  const emails = new Map<string, string>();
  for (const id of ids) {
    const email = await emailOf(id);
    // An email as Slack or the store has it: nothing in it for Slack's escaping to mean.
    if (email !== null && !/[<>&|\s]/.test(email)) emails.set(id, email);
  }
  return text.replace(userMention, (whole, id: string) => emails.get(id) ?? whole);
}
