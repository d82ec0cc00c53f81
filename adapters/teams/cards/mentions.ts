import type { OutgoingMessage } from '../../../src/messages/outgoing-message.js';
import type { MentionEntity } from './adaptive-card.js';
import { cardText, cutText } from './card-text.js';

/** The people a message mentions, as the core names them. */
export type Mentioned = NonNullable<OutgoingMessage['mentions']>[number];

/** The longest name a mention shows, and how many people one card mentions (an approval names one or two). */
const nameLength = 60;
const mostMentioned = 10;

/**
 * A name that can sit between `<at>` and `</at>` and be matched by its entity exactly: letters, digits, marks,
 * spaces and `.'-` only (and `…` when cut), so neither Markdown nor a stray `</at>` can change what the line says. A name with none of
 * those is the email's local part, made the same way.
 */
function atName(person: Mentioned): string {
  const clean = (text: string) => cutText(text.replace(/[^\p{L}\p{N}\p{M} .'-]/gu, ' ').replace(/\s+/g, ' ').trim(), nameLength);
  return clean(person.displayName ?? '') || clean(person.email.split('@')[0] ?? '') || 'approver';
}

/**
 * The line naming the message's people for a channel to notice, and its mention entities: a person linked to a
 * Teams account (`teamsIds`: person id → Entra object id, from the chat accounts) is mentioned (`<at>Lena</at>`),
 * so Teams notifies them; anyone else is named by email as plain text. Null when the message mentions nobody.
 */
export function mentionLine(mentions: readonly Mentioned[], teamsIds: ReadonlyMap<number, string>): { readonly text: string; readonly entities: MentionEntity[] } | null {
  if (mentions.length === 0) return null;
  const shown = mentions.slice(0, mostMentioned);
  const entities: MentionEntity[] = [];
  const names = shown.map((person) => {
    const id = teamsIds.get(person.personId);
    if (id === undefined) return cardText(person.email, 254);
    const text = `<at>${atName(person)}</at>`;
    // Teams matches each entity to its text: two people of one name would both be the first, so they are numbered.
    const unique = entities.some((e) => e.text === text) ? `<at>${atName(person)} ${entities.length + 1}</at>` : text;
    entities.push({ type: 'mention', text: unique, mentioned: { id, name: cutText(person.displayName ?? person.email, nameLength) } });
    return unique;
  });
  const more = mentions.length - shown.length;
  return { text: `For ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`, entities };
}
