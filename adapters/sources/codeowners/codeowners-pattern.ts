/*
 * CODEOWNERS patterns, compiled to regular expressions over repository paths (`apps/web/index.js`, no leading
 * slash). The syntax is gitignore's, minus what GitHub documents as unsupported (FORMATS.md §6).
 *
 * Why not the `ignore` package: it implements gitignore, where a pattern that matches a directory also covers
 * everything below it, and it always tests a path's parent directories. So with `docs/*` it answers true for
 * `docs/build-app/troubleshooting.md` (checked with ignore 7.0.17, `ignorecase: false`), the very path GitHub's
 * docs say `docs/*` does NOT own. CODEOWNERS matches a file path against each pattern on its own, so we
 * translate the patterns ourselves; the cases follow GitHub's docs and hmarr/codeowners' test table.
 */

/** Why GitHub would skip a line with this pattern, or null when the pattern is usable. */
export function unsupportedSyntax(pattern: string): string | null {
  if (pattern.startsWith('!')) return '"!" negation does not work in CODEOWNERS';
  if (pattern.includes('[') || pattern.includes(']')) return '"[ ]" character ranges do not work in CODEOWNERS';
  // GitHub documents that `\#` does not escape; we cannot know what any other backslash was meant to do either.
  if (pattern.includes('\\')) return '"\\" escapes do not work in CODEOWNERS';
  if (pattern.includes('***')) return 'three asterisks in a row are not a pattern';
  return null;
}

/** The longest pattern read: no repository path is longer (Linux's PATH_MAX), so a longer pattern is not a pattern. */
export const maxPatternLength = 4096;

/** One `/`-separated piece of a pattern: `**` (any number of folders) or a glob over one path segment. */
type Segment = { readonly kind: 'any_depth' } | { readonly kind: 'glob'; readonly glob: string };

/**
 * `*` (any characters) and `?` (one character) over one path segment, which holds no `/`. The greedy walk with
 * one resumption point takes at most (segment × glob) steps: no pattern can make it backtrack exponentially,
 * as a regular expression of many `*` does against a path that nearly matches.
 */
function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (t < text.length) {
    const c = glob[g];
    if (c === '*') {
      starAt = g;
      g += 1;
      resumeAt = t;
    } else if (c !== undefined && (c === '?' || c === text[t])) {
      g += 1;
      t += 1;
    } else if (starAt !== -1) {
      g = starAt + 1;
      resumeAt += 1;
      t = resumeAt;
    } else return false;
  }
  while (glob[g] === '*') g += 1;
  return g === glob.length;
}

/**
 * Compiles a pattern that `unsupportedSyntax` accepted into a test of repository paths. Matching is
 * case-sensitive, as on GitHub. `**` stands for any number of folders (at the end: at least one thing inside),
 * a lone `*` for exactly one non-empty name, and the last piece of a pattern may name a folder, whose files it
 * then owns. Matching goes piece by piece with a table of (piece, path segment) answers, so its cost is bounded
 * by the sizes of the two, whatever the pattern.
 */
export function compilePattern(pattern: string): (path: string) => boolean {
  if (pattern === '/') return () => false; // the root itself is not a file: matches nothing
  let pieces = pattern.split('/');
  if (pieces[0] === '') pieces = pieces.slice(1); // a leading slash anchors to the root
  // A pattern with no slash but a trailing one (`*.js`, `logs`, `apps/`) matches at any depth.
  else if (pieces.length === 1 || (pieces.length === 2 && pieces[1] === '')) {
    if (pieces[0] !== '**') pieces = ['**', ...pieces];
  }
  // A trailing slash means "the files in this directory, recursively".
  if (pieces.length > 1 && pieces[pieces.length - 1] === '') pieces[pieces.length - 1] = '**';
  // `**/**` means what `**` does.
  const segments: Segment[] = [];
  for (const piece of pieces) {
    if (piece !== '**') segments.push({ kind: 'glob', glob: piece });
    else if (segments.at(-1)?.kind !== 'any_depth') segments.push({ kind: 'any_depth' });
  }
  const globs = segments.filter((s) => s.kind === 'glob').length;
  const last = segments.length - 1;

  return (path) => {
    const parts = path.split('/');
    // Each glob takes exactly one segment: a pattern with more globs than the path has segments cannot match.
    if (globs > parts.length) return false;
    const width = parts.length + 1;
    // 0 unknown, 1 matches, 2 does not: does segments[i..] match parts[j..]?
    const memo = new Uint8Array((segments.length + 1) * width);
    const matches = (i: number, j: number): boolean => {
      const known = memo[i * width + j];
      if (known !== 0 && known !== undefined) return known === 1;
      const answer = decide(i, j);
      memo[i * width + j] = answer ? 1 : 2;
      return answer;
    };
    const decide = (i: number, j: number): boolean => {
      const segment = segments[i];
      if (segment === undefined) return j === parts.length;
      if (segment.kind === 'any_depth') {
        // At the end, `**` needs something inside the folder (and a whole `**` pattern, a non-empty path).
        if (i === last) return j < parts.length && (i > 0 || path !== '');
        for (let k = j; k <= parts.length; k += 1) if (matches(i + 1, k)) return true;
        return false;
      }
      const part = parts[j];
      if (part === undefined) return false;
      if (segment.glob === '*') {
        if (part === '') return false;
        return i === last ? j === parts.length - 1 : matches(i + 1, j + 1);
      }
      if (!globMatches(segment.glob, part)) return false;
      // The last piece may name a folder: it then owns everything below it.
      return i === last ? true : matches(i + 1, j + 1);
    };
    return matches(0, 0);
  };
}
