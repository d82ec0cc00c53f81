import { detectSecret, secretKindDescriptions, type SecretKind } from '../secrets/detect-secret.js';

/**
 * Which option values are free text (a note, a reason, `--set field=value`'s value): the answer rules check
 * those for secrets where they would be stored; everything else typed is a name, a ref, a time or an address.
 */
export type FreeText = 'value' | 'after_equals';

/**
 * The kind of secret the words typed look like, or null: every word but free text, and the words together (a
 * private key pasted into `who` arrives as several words). The name-based entropy test is not used: a typed
 * ref or key id may be long and random-looking; a token format or an AWS secret key is never a ref.
 */
export function secretTyped(words: readonly string[], freeText: (option: string) => FreeText | undefined = () => undefined): SecretKind | null {
  const looked: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] ?? '';
    const option = /^(?:--|[\u2013\u2014])([^=]+)(?:=([\s\S]*))?$/.exec(word);
    const free = option ? freeText(option[1] ?? '') : undefined;
    if (!option || free === undefined) {
      looked.push(word);
      continue;
    }
    looked.push(`--${option[1] ?? ''}`);
    let value = option[2];
    // As the grammar reads it: the next word is the value unless it is an option itself.
    if (value === undefined && words[i + 1] !== undefined && !words[i + 1]?.startsWith('--')) value = words[(i += 1)];
    if (free === 'after_equals' && value !== undefined) looked.push(value.split('=')[0] ?? '');
  }
  return detectSecret('query', looked.join(' '));
}

/**
 * What Steward says instead of repeating a secret typed as a query: what it looks like, that it is not searched
 * for, and that nothing was kept. No closing full stop: a surface may add its own sentence after it.
 */
export function secretRefusal(kind: SecretKind): string {
  return `That looks like ${secretKindDescriptions[kind]}; Steward does not search by secrets, and nothing was looked up, shown or kept. If it is real, revoke it`;
}
