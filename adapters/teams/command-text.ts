import type { Activity } from 'botbuilder';
import type { BindTarget } from '../../src/channels/decide-binding.js';

/** The few entities Teams writes into a message's text (it sends `&amp;` for a typed `&`). */
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/**
 * The words of a message to Steward, as the person typed them: Steward's @mention taken out (in a channel a
 * message reaches Steward only with it), any markup Teams added stripped, its entities undone. Null when nothing
 * is left to run (a bare mention is asked for help by the grammar, so it is kept as `help`).
 */
export function commandText(activity: Partial<Activity>, removeMention: (activity: Partial<Activity>) => string): string | null {
  if (typeof activity.text !== 'string') return null;
  const withoutMention = removeMention(activity) ?? activity.text;
  const text = withoutMention
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => entities[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? 'help' : text;
}

/**
 * `here team <slug>` or `here security`: what to bind the channel to; a usage line for `here` said otherwise; null
 * for any other command (the grammar's).
 */
export function hereCommand(text: string): BindTarget | string | null {
  const words = text.split(' ');
  if (words[0]?.toLowerCase() !== 'here') return null;
  const [, what, slug, ...rest] = words;
  if (what?.toLowerCase() === 'security' && slug === undefined) return { kind: 'security' };
  if (what?.toLowerCase() === 'team' && slug !== undefined && rest.length === 0) return { kind: 'team', slug };
  return 'Usage: `@Steward here team <team>` (the team\'s lead or an admin) or `@Steward here security` (an admin), typed in the channel to bind.';
}
