import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { maxJsonFileBytes, readJsonFile } from '../../../../adapters/sources/json/read-json-file.js';
import { scanJson } from '../../../../adapters/sources/json/scan-json.js';
import { InputError } from '../../../../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-json-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(text: string): string {
  const file = path.join(dir, 'input.json');
  fs.writeFileSync(file, text);
  return file;
}

describe('scanJson', () => {
  it.each([
    ['{}'],
    ['[]'],
    [' [1, -2.5e+3, 0, true, false, null, "a\\"b\\u00e9\\n"] '],
    ['{"a": {"b": [{"c": "d"}]}, "e": ""}'],
  ])('when the text is JSON (%s), then the scan agrees with JSON.parse', (text) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(scanJson(text, 3)?.ok).toBe(true);
  });

  it.each([
    ['[1,]', 3],
    ['{"a": 1 "b": 2}', 8],
    ['[01]', 2],
    ['["a\nb"]', 3],
    ['["\\x"]', 3],
    ['[1] 2', 4],
    ['{"a":', 5],
    ['tru', 0],
  ])('when the text is not JSON (%j), then the scan stops at offset %i', (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(scanJson(text, 0)).toEqual({ ok: false, offset });
  });

  it('when values are nested, then each is found on its own line down to the depth asked for', () => {
    const scan = scanJson('{\n "items": [\n  {\n   "metadata": {"name": "x"}\n  }\n ]\n}', 3);

    expect(scan?.ok && Object.fromEntries(scan.lines)).toEqual({ '': 1, items: 2, 'items[0]': 3, 'items[0].metadata': 4 });
  });
});

describe('readJsonFile', () => {
  it('when the file starts with a byte-order mark, then it is read', () => {
    expect(readJsonFile(write('\uFEFF[1]'), 1).value).toEqual([1]);
  });

  it('when the file is larger than the limit, then it is refused by name without being read', () => {
    const file = write('');
    fs.truncateSync(file, maxJsonFileBytes + 1); // sparse: no disk is spent

    expect(() => readJsonFile(file, 1)).toThrow(new InputError(`${file}: cannot read the file (larger than ${maxJsonFileBytes / (1 << 20)} MiB: ${maxJsonFileBytes + 1} bytes)`));
  });

  it('when the file is a device, then it is refused by name, not read for ever', () => {
    expect(() => readJsonFile('/dev/zero', 1)).toThrow(new InputError('/dev/zero: cannot read the file (a device or socket, not a file)'));
  });

  it('when the file is empty, then the InputError says so', () => {
    const file = write('  \n');

    expect(() => readJsonFile(file, 1)).toThrow(`${file}: the file is empty, not JSON`);
  });

  it('when a broken file holds a secret, then the error names the line and never quotes the text', () => {
    const secret = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
    const file = write(`[\n  {"token": "${secret}",}\n]`);

    let error: unknown;
    try {
      readJsonFile(file, 1);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(`${file}:2: not valid JSON: unexpected "}" at column 60`);
    expect(JSON.stringify({ ...(error as InputError), message: (error as InputError).message })).not.toContain(secret);
  });
});
