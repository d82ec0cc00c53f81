import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
import { InputError } from '../../../src/errors.js';
import { cannotRead as cannotReadFile, openChecked, type FileRules } from '../source-files.js';

/** One CSV record: its fields, and the line it starts on (records with quoted newlines span several lines). */
export type CsvRecord =
  | { readonly line: number; readonly fields: readonly string[] }
  | { readonly line: number; readonly error: string };

export interface ReadCsvOptions {
  readonly chunkBytes?: number;
  /** What the file must be (see source-files.ts); by default any file or FIFO, as for a file named on the command line. */
  readonly rules?: FileRules;
  /** A record longer than this means an unclosed quote, not data; reading stops there rather than buffering the file. */
  readonly maxRecordBytes?: number;
}

/**
 * Index of the last newline that ends a record: one outside quotes. In RFC 4180 CSV an escaped quote is `""`,
 * so quote parity alone tells whether a position is inside a quoted field.
 */
function lastRecordEnd(text: string): number {
  let cut = -1;
  let inQuotes = false;
  let from = 0;
  for (;;) {
    const quote = text.indexOf('"', from);
    const segmentEnd = quote === -1 ? text.length : quote;
    if (!inQuotes && segmentEnd > from) {
      const newline = text.lastIndexOf('\n', segmentEnd - 1);
      if (newline >= from) cut = newline;
    }
    if (quote === -1) return cut;
    inQuotes = !inQuotes;
    from = quote + 1;
  }
}

function countNewlines(fields: readonly string[]): number {
  let count = 0;
  for (const field of fields) {
    if (!field.includes('\n')) continue;
    for (let i = field.indexOf('\n'); i !== -1; i = field.indexOf('\n', i + 1)) count += 1;
  }
  return count;
}

/** Papa's error in our words: what is wrong and how to write it instead. */
function describeError(error: Papa.ParseError): string {
  if (error.code === 'MissingQuotes') return 'a quoted field is never closed (a " opens it and no " closes it)';
  if (error.code === 'InvalidQuotes') return 'a quoted field has text after its closing quote (write a quote inside a quoted field as "")';
  return error.message;
}

function cannotRead(file: string, error: unknown): InputError {
  return new InputError(`${file}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, [], { cause: error });
}

/**
 * Reads a CSV file synchronously, record by record, holding one chunk in memory. Synchronous on purpose:
 * the store applies an import in one transaction, and a transaction must not span an await.
 * UTF-8 with or without a byte-order mark; CRLF or LF; quoted fields with commas, quotes and newlines.
 * A line break inside a quoted field reads as LF whichever the file uses, so converting a file's line ends
 * (git's autocrlf, an editor) does not change the values read from it.
 */
export function* readCsvRecords(file: string, options: ReadCsvOptions = {}): Generator<CsvRecord> {
  // A chunk's records are parsed together and live until the last is used: at 1 MiB they outlived the young
  // generation and filled the old one with garbage (the import's peak memory); 64 KiB read as fast.
  const chunkBytes = options.chunkBytes ?? 64 << 10;
  const maxRecordBytes = options.maxRecordBytes ?? 16 << 20;
  // Checked on the descriptor it reads, so the file checked when the import started is the file read now.
  const opened = openChecked(file, options.rules ?? { pipes: true });
  if (!opened.ok) throw cannotReadFile(file, opened.refusal);
  const fd = opened.value;
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(chunkBytes);
  let carry = '';
  let line = 1;
  let first = true;

  function* parse(text: string): Generator<CsvRecord> {
    // Records are cut at a newline outside quotes, so every CRLF here ends a record or sits inside a quoted field.
    const piece = (text.endsWith('\r') ? text.slice(0, -1) : text).replaceAll('\r\n', '\n');
    // Papa reads an empty text as no record at all; here it is one blank line, which still counts as a line.
    if (piece === '') {
      yield { line, fields: [''] };
      line += 1;
      return;
    }
    const result = Papa.parse<string[]>(piece, { delimiter: ',', quoteChar: '"', newline: '\n', skipEmptyLines: false });
    const errorRows = new Map<number, string>();
    for (const e of result.errors) if (e.row !== undefined && !errorRows.has(e.row)) errorRows.set(e.row, describeError(e));
    for (const [index, fields] of result.data.entries()) {
      const error = errorRows.get(index);
      yield error === undefined ? { line, fields } : { line, error };
      line += 1 + countNewlines(fields);
    }
  }

  const read = (): number => {
    try {
      return fs.readSync(fd, buffer, 0, chunkBytes, null);
    } catch (error) {
      // A directory opens on Linux and fails here (EISDIR); so does a file on a failing disk.
      throw cannotRead(file, error);
    }
  };

  try {
    for (;;) {
      const bytes = read();
      if (bytes === 0) break;
      let text = carry + decoder.write(buffer.subarray(0, bytes));
      // The byte-order mark is three bytes: with a tiny chunk it decodes only once a later chunk completes it.
      if (first && text.length > 0) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const cut = lastRecordEnd(text);
      if (cut === -1) {
        if (Buffer.byteLength(text) > maxRecordBytes) {
          yield { line, error: `a quoted field is never closed (or one record is larger than ${maxRecordBytes} bytes)` };
          return;
        }
        carry = text;
        continue;
      }
      carry = text.slice(cut + 1);
      yield* parse(text.slice(0, cut));
    }
    const rest = carry + decoder.end();
    if (rest.length > 0) yield* parse(first && rest.charCodeAt(0) === 0xfeff ? rest.slice(1) : rest);
  } finally {
    fs.closeSync(fd);
  }
}

/** True for a record that is an empty line, which CSV readers skip. */
export function isBlankRecord(record: CsvRecord): boolean {
  return 'fields' in record && record.fields.length === 1 && record.fields[0] === '';
}
