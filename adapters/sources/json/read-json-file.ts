import { InputError } from '../../../src/errors.js';
import { cannotRead, readChecked } from '../source-files.js';
import type { SourceLocation } from '../../../src/inventory/source-location.js';
import { scanJson } from './scan-json.js';

/**
 * The most a JSON file may hold: far above any real `gcloud` or `kubectl` listing, and below what one string can
 * hold, so a device or a runaway file is refused by name instead of filling memory.
 */
export const maxJsonFileBytes = 256 << 20;

/** A parsed JSON file, with the line each value starts on down to the depth asked for. */
export interface JsonFile {
  readonly file: string;
  readonly value: unknown;
  /** Where the value at `path` (`[3]`, `items[3]`) is, for entries and problems to name. */
  at(path: string): SourceLocation;
  /** The line the value at `path` starts on, when it is within the depth scanned. */
  line(path: string): number | undefined;
}

/**
 * The line of each field an entry names (its labels, and the labels of its unmapped fields), so a problem
 * points at the field's own line rather than at the start of its object.
 */
export function fieldLinesOf(
  json: JsonFile,
  labels: Readonly<Record<string, string>>,
  unmapped: ReadonlyArray<readonly [string, string]> = [],
): Record<string, number> {
  const lines: Record<string, number> = {};
  const add = (key: string, path: string) => {
    const line = json.line(path);
    if (line !== undefined) lines[key] = line;
  };
  for (const [key, path] of Object.entries(labels)) add(key, path);
  for (const [label] of unmapped) add(label, label);
  return lines;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}

/**
 * Reads and parses a whole JSON file synchronously (imports apply in one transaction, which must not span an
 * await). A file that cannot be read, or is not JSON at all, throws an InputError naming the file and the line;
 * the message never quotes the file's text, which may hold a secret.
 */
export function readJsonFile(file: string, lineDepth: number): JsonFile {
  const read = readChecked(file, { pipes: true, maxBytes: maxJsonFileBytes });
  if (!read.ok) throw cannotRead(file, read.refusal);
  let text = read.value.toString('utf8');
  // PowerShell's redirection writes a byte-order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The parser's error is not kept as a cause: its message quotes the input, and causes get logged.
    if (text.trim() === '') throw new InputError(`${file}: the file is empty, not JSON`, [{ at: { file }, field: null, message: 'is empty, not JSON' }]);
    const scan = scanJson(text, 0);
    if (scan === null || scan.ok) throw new InputError(`${file}: not valid JSON`, [{ at: { file }, field: null, message: 'is not valid JSON' }]);
    const { line, column } = lineAndColumn(text, scan.offset);
    const found = text[scan.offset];
    const reason = found === undefined ? 'unexpected end of file' : `unexpected ${JSON.stringify(found)} at column ${column}`;
    throw new InputError(`${file}:${line}: not valid JSON: ${reason}`, [{ at: { file, line }, field: null, message: `is not valid JSON: ${reason}` }]);
  }
  const scan = scanJson(text, lineDepth);
  const lines = scan?.ok ? scan.lines : new Map<string, number>();
  return {
    file,
    value,
    // A field that is absent (or deeper than scanned) is placed at the nearest enclosing value that has a line.
    at(path) {
      for (let p = path; ; p = p.slice(0, Math.max(p.lastIndexOf('.'), p.lastIndexOf('['), 0))) {
        const line = lines.get(p);
        if (line !== undefined) return { file, line };
        if (p === '') return { file };
      }
    },
    line: (path) => lines.get(path),
  };
}
