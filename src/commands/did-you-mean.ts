import { distance } from 'fastest-levenshtein';

/** How many edits a word may be from the one meant: one in a short word, two from four letters, three from nine. */
const allowedEdits = (length: number) => (length >= 9 ? 3 : length >= 4 ? 2 : 1);

/**
 * The candidate a mistyped word most likely meant, for a "did you mean …" answer: the one fewest edits away
 * (a swapped pair of letters counts as two), or the only one the word begins (`aws` → `aws-credential-report`).
 * Null when none is near, or when several are equally near: a guess between two is no help.
 */
export function nearestWord(word: string, candidates: Iterable<string>): string | null {
  const typed = word.toLowerCase();
  const names = [...new Set(candidates)];
  const scored = names.map((name) => ({ name, edits: distance(typed, name.toLowerCase()) })).filter(({ edits }) => edits > 0 && edits <= allowedEdits(typed.length));
  const fewest = Math.min(...scored.map(({ edits }) => edits));
  const nearest = scored.filter(({ edits }) => edits === fewest);
  if (nearest.length === 1) return nearest[0]?.name ?? null;
  if (nearest.length > 1 || typed.length < 3) return null;
  const begun = names.filter((name) => name.toLowerCase().startsWith(typed) && name.length > typed.length);
  return begun.length === 1 ? (begun[0] ?? null) : null;
}

/** ` (did you mean `x`?)`, or nothing when no candidate is near: for the end of a refusal. */
export function didYouMean(word: string, candidates: Iterable<string>, show: (name: string) => string = (name) => name): string {
  const nearest = nearestWord(word, candidates);
  return nearest === null ? '' : ` (did you mean \`${show(nearest)}\`?)`;
}
