/*
 * A JavaScript string may hold a lone UTF-16 surrogate (half of a character: JSON and YAML can write one as
 * "\ud800"); SQLite cannot store it, and better-sqlite3 writes replacement characters in its place. Text that
 * is hashed and then stored must therefore be well-formed first, or what was hashed is not what is stored.
 * Node 20's String methods do it at the cost of a length check (the TypeScript library we target predates them).
 */
interface WellFormedMethods {
  isWellFormed(): boolean;
  toWellFormed(): string;
}

/** True when `text` holds no lone surrogate. */
export function isWellFormedText(text: string): boolean {
  return (text as unknown as WellFormedMethods).isWellFormed();
}

/** `text` with each lone surrogate replaced by U+FFFD, the replacement character; well-formed text as it is. */
export function toWellFormedText(text: string): string {
  return (text as unknown as WellFormedMethods).toWellFormed();
}

/** Why text with a lone surrogate is refused, in the words every importer uses. */
export const loneSurrogateMessage = 'holds a lone UTF-16 surrogate (half of a character, as "\\ud800" writes in JSON or YAML), which is not text; refused';
