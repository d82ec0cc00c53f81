import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isBlankRecord, readCsvRecords, type CsvRecord, type ReadCsvOptions } from '../../../../adapters/sources/csv/read-csv-records.js';
import { InputError } from '../../../../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-csv-records-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let files = 0;
function write(text: string | Buffer): string {
  const file = path.join(dir, `file-${(files += 1)}.csv`);
  fs.writeFileSync(file, text);
  return file;
}

const records = (file: string, options?: ReadCsvOptions): CsvRecord[] => [...readCsvRecords(file, options)];

// Every trap at once: a byte-order mark, a quoted comma, doubled quotes, a field over three lines, a blank
// line, multi-byte characters (2, 3 and 4 bytes in UTF-8) and no final line end.
const tricky = [
  '\uFEFFref,purpose,owner',
  'petstore,"Sells pets, and ""toys""",ana@example.com',
  'ledger,"first line',
  'second line',
  'third line",bo@example.com',
  '',
  'café,€ and 😀,"x"',
].join('\n');
const trickyRecords: CsvRecord[] = [
  { line: 1, fields: ['ref', 'purpose', 'owner'] },
  { line: 2, fields: ['petstore', 'Sells pets, and "toys"', 'ana@example.com'] },
  { line: 3, fields: ['ledger', 'first line\nsecond line\nthird line', 'bo@example.com'] },
  { line: 6, fields: [''] },
  { line: 7, fields: ['café', '€ and 😀', 'x'] },
];

describe('readCsvRecords: fields and lines', () => {
  it('when a file has LF line ends, then each record has its fields and the line it starts on', () => {
    expect(records(write('ref,name\npetstore,Pet Store\nledger,Ledger\n'))).toEqual([
      { line: 1, fields: ['ref', 'name'] },
      { line: 2, fields: ['petstore', 'Pet Store'] },
      { line: 3, fields: ['ledger', 'Ledger'] },
    ]);
  });

  it('when fields are quoted with commas, doubled quotes and newlines, then they read as written and later lines still count from the file', () => {
    expect(records(write(tricky))).toEqual(trickyRecords);
  });

  it('when the same file has CRLF line ends, then it reads the same, a line break inside a quoted field included', () => {
    expect(records(write(tricky.replaceAll('\n', '\r\n')))).toEqual(trickyRecords);
  });

  it('when there is no byte-order mark, then the first column name is read the same', () => {
    expect(records(write(tricky.slice(1)))[0]).toEqual({ line: 1, fields: ['ref', 'purpose', 'owner'] });
  });

  it('when blank lines come first and between records, then they are blank records that count as lines', () => {
    const read = records(write('\n\nref\n\npetstore\n'));
    expect(read).toEqual([
      { line: 1, fields: [''] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['ref'] },
      { line: 4, fields: [''] },
      { line: 5, fields: ['petstore'] },
    ]);
    expect(read.map(isBlankRecord)).toEqual([true, true, false, true, false]);
  });

  it('when a record has one empty field among others, then it is not a blank record', () => {
    expect(isBlankRecord({ line: 1, fields: ['', ''] })).toBe(false);
    expect(isBlankRecord({ line: 1, error: 'x' })).toBe(false);
  });
});

describe('readCsvRecords: chunk boundaries', () => {
  // Small chunks cut the file inside the mark, inside multi-byte characters, inside quoted fields, between CR
  // and LF, and right before a blank line: each must read as the whole file does.
  it.each([1, 2, 3, 4, 5, 7, 11, 13, 64])('when the file is read %i bytes at a time, then the records are the same', (chunkBytes) => {
    const lf = write(tricky);
    const crlf = write(tricky.replaceAll('\n', '\r\n'));
    expect(records(lf, { chunkBytes })).toEqual(trickyRecords);
    expect(records(crlf, { chunkBytes })).toEqual(trickyRecords);
  });

  it('when a blank line starts exactly where a chunk starts, then it still counts as a line', () => {
    // 'ab\n' is three bytes: the second chunk begins with the blank line's own newline.
    expect(records(write('ab\n\ncd\n'), { chunkBytes: 3 })).toEqual([
      { line: 1, fields: ['ab'] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['cd'] },
    ]);
  });

  it('when a file is larger than many chunks, then every record and line number survives', () => {
    const rows = Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? `r${i},"two\nlines"` : `r${i},"a, b"`));
    const file = write(`ref,purpose\r\n${rows.join('\r\n')}\r\n`);
    const read = records(file, { chunkBytes: 7 });
    expect(read).toEqual(records(file));
    expect(read).toHaveLength(501);
    // The header, then one line per row, plus one more for each earlier row that spans two lines.
    const spanning = rows.slice(0, 499).filter((row) => row.includes('\n')).length;
    expect(spanning).toBe(72);
    expect(read[500]).toEqual({ line: 1 + 499 + spanning + 1, fields: ['r499', 'a, b'] });
  });
});

describe('readCsvRecords: bad input', () => {
  it('when a quoted field is never closed, then an error record names the line it opens on, after the good records', () => {
    const file = write('ref,purpose\npetstore,fine\nledger,"never closed\nmore text\n');
    expect(records(file)).toEqual([
      { line: 1, fields: ['ref', 'purpose'] },
      { line: 2, fields: ['petstore', 'fine'] },
      { line: 3, error: expect.stringContaining('a quoted field is never closed') },
    ]);
    expect(records(file, { chunkBytes: 5 })).toEqual(records(file));
  });

  it('when text follows a closing quote, then that record is an error naming its line', () => {
    expect(records(write('ref,purpose\npetstore,"quoted"tail\n'))).toEqual([
      { line: 1, fields: ['ref', 'purpose'] },
      { line: 2, error: expect.stringContaining('text after its closing quote') },
    ]);
  });

  it('when an unclosed quote leaves a record larger than the limit, then reading stops there with an error at its line', () => {
    const file = write(`ref,purpose\nbig,"${'x'.repeat(200)}\n`);
    expect(records(file, { chunkBytes: 16, maxRecordBytes: 64 })).toEqual([
      { line: 1, fields: ['ref', 'purpose'] },
      { line: 2, error: 'a quoted field is never closed (or one record is larger than 64 bytes)' },
    ]);
  });

  it('when the file does not exist, then reading throws an InputError naming it', () => {
    const missing = path.join(dir, 'missing.csv');
    expect(() => records(missing)).toThrow(InputError);
    expect(() => records(missing)).toThrow(`${missing}: cannot read the file (ENOENT)`);
  });

  it('when the path is a directory, then reading throws an InputError naming it as a folder, not a bare system error', () => {
    expect(() => records(dir)).toThrow(new InputError(`${dir}: is a folder; give the file(s)`));
  });

  it('when the file is empty, then there are no records', () => {
    expect(records(write(''))).toEqual([]);
  });
});
