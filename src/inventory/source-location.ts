/** Where a record or a field came from, so every error can name the file, the line (or document, or row) and the field. */
export interface SourceLocation {
  readonly file: string;
  /** 1-based line in the file, when the format has lines. */
  readonly line?: number;
  /** 1-based YAML document within a multi-document file. */
  readonly document?: number;
}

/** `file:line`, or `file (document N)`, or `file` — the form compilers and linters use, so editors can jump to it. */
export function formatLocation(at: SourceLocation): string {
  if (at.line !== undefined) return `${at.file}:${at.line}`;
  if (at.document !== undefined) return `${at.file} (document ${at.document})`;
  return at.file;
}

/** One reason an input was refused: where, which field, and why. Never carries the offending value when it may be a secret. */
export interface Problem {
  readonly at: SourceLocation;
  readonly field: string | null;
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  const field = problem.field === null ? '' : ` ${problem.field}:`;
  return `${formatLocation(problem.at)}:${field} ${problem.message}`;
}
