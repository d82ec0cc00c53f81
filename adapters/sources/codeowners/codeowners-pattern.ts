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

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One path segment with `*` (any characters but `/`) and `?` (one character but `/`). */
function segmentSource(segment: string): string {
  return [...segment].map((ch) => (ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : escapeRegExp(ch))).join('');
}

/** Compiles a pattern that `unsupportedSyntax` accepted. Matching is case-sensitive, as on GitHub. */
export function compilePattern(pattern: string): RegExp {
  if (pattern === '/') return /^(?!)/; // the root itself is not a file: matches nothing
  let segments = pattern.split('/');
  if (segments[0] === '') segments = segments.slice(1); // a leading slash anchors to the root
  // A pattern with no slash but a trailing one (`*.js`, `logs`, `apps/`) matches at any depth.
  else if (segments.length === 1 || (segments.length === 2 && segments[1] === '')) {
    if (segments[0] !== '**') segments = ['**', ...segments];
  }
  // A trailing slash means "the files in this directory, recursively".
  if (segments.length > 1 && segments[segments.length - 1] === '') segments[segments.length - 1] = '**';

  const last = segments.length - 1;
  let source = '';
  let needSlash = false;
  segments.forEach((segment, i) => {
    if (segment === '**') {
      if (i === 0 && i === last) source += '.+';
      else if (i === 0) source += '(?:.+/)?';
      else if (i === last) source += '/.*';
      else source += '(?:/.+)?';
      needSlash = i !== 0;
      return;
    }
    if (needSlash) source += '/';
    needSlash = true;
    // A lone `*` stays one level: `docs/*` owns `docs/a.md`, not `docs/build-app/b.md`.
    if (segment === '*') source += '[^/]+';
    // Any other last segment may name a directory, whose files it then owns (`/apps/github`).
    else source += segmentSource(segment) + (i === last ? '(?:/.*)?' : '');
  });
  return new RegExp(`^${source}$`);
}
