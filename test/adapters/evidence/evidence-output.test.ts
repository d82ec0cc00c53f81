import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkEvidenceOut, fileOutput } from '../../../adapters/evidence/evidence-output.js';
import { InputError } from '../../../src/errors.js';
import { removeTempDirs, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

describe('--out', () => {
  it('when its folder does not exist, then it is refused naming the folder', () => {
    const dir = tempDir();
    const missing = path.join(dir, 'no-such-folder');
    expect(() => checkEvidenceOut(path.join(missing, 'evidence.csv'))).toThrow(new InputError(`--out: the folder ${missing} does not exist; create it first or name a file in another folder. Nothing was written.`));
  });

  it('when the file exists, then it is refused and left as it was: an earlier export is evidence too', () => {
    const file = path.join(tempDir(), 'evidence.csv');
    fs.writeFileSync(file, 'last year');
    expect(() => checkEvidenceOut(file)).toThrow(/exists already; an export never replaces a file/);
    expect(fs.readFileSync(file, 'utf8')).toBe('last year');
  });

  it('when the export finishes, then the file has its name and nothing else is left in the folder', async () => {
    const dir = tempDir();
    const file = checkEvidenceOut(path.join(dir, 'evidence.csv'));
    const output = await fileOutput(file);
    await output.sink.write('a,b\r\n');
    expect(fs.readdirSync(dir)).toEqual([expect.stringMatching(/^\.evidence\.csv\.[0-9a-f]{8}\.partial$/)]);
    await output.finish();
    expect(fs.readdirSync(dir)).toEqual(['evidence.csv']);
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\r\n');
  });

  it('when the export fails midway, then nothing is left: no half file under the name, no partial file beside it', async () => {
    const dir = tempDir();
    const output = await fileOutput(checkEvidenceOut(path.join(dir, 'evidence.json')));
    await output.sink.write('{"records": [');
    await output.sink.flush();
    await output.discard();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('when a file appears under the name while the export is written, then it is kept and the export discarded', async () => {
    const dir = tempDir();
    const file = checkEvidenceOut(path.join(dir, 'evidence.csv'));
    const output = await fileOutput(file);
    await output.sink.write('ours');
    fs.writeFileSync(file, 'theirs');
    await expect(output.finish()).rejects.toThrow(/appeared while the export was written/);
    expect(fs.readdirSync(dir)).toEqual(['evidence.csv']);
    expect(fs.readFileSync(file, 'utf8')).toBe('theirs');
  });
});
