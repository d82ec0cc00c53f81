import { detectSecret, secretKindDescriptions } from '../../../src/secrets/detect-secret.js';
import { compilePattern, maxPatternLength, unsupportedSyntax } from './codeowners-pattern.js';

/** One usable CODEOWNERS line. No owners means "explicitly unowned": it takes matching paths away from earlier lines. */
export interface CodeownersRule {
  readonly line: number;
  readonly pattern: string;
  /** As written: `@user`, `@org/team`, or an email. */
  readonly owners: readonly string[];
  readonly matches: (path: string) => boolean;
}

/** A line GitHub would skip, and why. */
export interface SkippedLine {
  readonly line: number;
  readonly reason: string;
}

/** A line that refuses the whole import: a secret in it, or a pattern no path could match. */
export interface RefusedLine {
  readonly line: number;
  readonly field: 'pattern' | 'owners' | 'comment';
  readonly message: string;
}

export interface CodeownersRules {
  readonly rules: readonly CodeownersRule[];
  readonly skipped: readonly SkippedLine[];
  readonly refused: readonly RefusedLine[];
  /** The rule that decides `path`'s owners: the last one that matches, or undefined when none does. */
  ownersOf(path: string): CodeownersRule | undefined;
}

const userOwner = /^@[A-Za-z0-9_-]+$/;
const teamOwner = /^@[A-Za-z0-9_-]+\/([A-Za-z0-9_.-]+)$/;
const emailOwner = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The slug of an `@org/team` owner (the part after the slash, lower-cased), or null for a user or an email. */
export function teamSlugOf(owner: string): string | null {
  return teamOwner.exec(owner)?.[1]?.toLowerCase() ?? null;
}

// `#` starts a comment anywhere on the line. GitHub does not honour `\#`, so we do not cut there: the pattern
// keeps its backslash and the line is reported as unsupported rather than silently read another way.
const comment = /(?<!\\)#.*$/;

function secretIn(value: string): string | null {
  const kind = detectSecret('', value);
  return kind === null ? null : `looks like ${secretKindDescriptions[kind]}; refused and not stored (value withheld)`;
}

function parseLine(text: string, line: number): CodeownersRule | SkippedLine | RefusedLine | null {
  // A comment is not read, but it is in the file the import names: a secret pasted there is leaked all the same.
  const commentSecret = secretIn(comment.exec(text)?.[0].slice(1) ?? '');
  const [pattern, ...owners] = text.replace(comment, '').trim().split(/\s+/);
  if (pattern === undefined || pattern === '') return commentSecret === null ? null : { line, field: 'comment', message: commentSecret };
  // Before anything quotes the line (a skipped line's reason names its bad owner): a secret anywhere refuses it.
  const patternSecret = secretIn(pattern);
  if (patternSecret !== null) return { line, field: 'pattern', message: patternSecret };
  const ownersSecret = owners.length === 0 ? null : secretIn(owners.join(' '));
  if (ownersSecret !== null) return { line, field: 'owners', message: ownersSecret };
  if (commentSecret !== null) return { line, field: 'comment', message: commentSecret };
  if (pattern.length > maxPatternLength) return { line, field: 'pattern', message: `is longer than ${maxPatternLength} characters, longer than any repository path; refused` };
  const unsupported = unsupportedSyntax(pattern);
  if (unsupported !== null) return { line, reason: `${unsupported}; GitHub skips this line` };
  const bad = owners.find((owner) => !(userOwner.test(owner) || teamOwner.test(owner) || emailOwner.test(owner)));
  if (bad !== undefined) return { line, reason: `"${bad}" is not an @user, an @org/team or an email address; GitHub skips this line` };
  return { line, pattern, owners, matches: compilePattern(pattern) };
}

/** Reads a CODEOWNERS file's text into rules, in file order, and the lines GitHub would skip. */
export function parseCodeowners(text: string): CodeownersRules {
  const rules: CodeownersRule[] = [];
  const skipped: SkippedLine[] = [];
  const refused: RefusedLine[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const parsed = parseLine(raw, i + 1);
      if (parsed === null) return;
      if ('matches' in parsed) rules.push(parsed);
      else if ('field' in parsed) refused.push(parsed);
      else skipped.push(parsed);
    });
  return {
    rules,
    skipped,
    refused,
    ownersOf(path) {
      // Last match wins, and only its owners apply.
      for (let i = rules.length - 1; i >= 0; i -= 1) if (rules[i]?.matches(path)) return rules[i];
      return undefined;
    },
  };
}
