import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../../adapters/cli/open-database.js';
import { InputError } from '../../../src/errors.js';
import { removeTempDirs, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

describe('openDatabase', () => {
  test('when the folder does not exist yet, then it is created with the database', async () => {
    const file = path.join(tempDir(), 'data', 'steward.db');

    const store = openDatabase(file);
    await store.close();

    expect(fs.existsSync(file)).toBe(true);
  });

  test.each([
    { case: 'the file is not a database', setUp: (dir: string) => (fs.writeFileSync(path.join(dir, 'notes.db'), 'shopping list\n'.repeat(100)), 'notes.db'), reason: 'it is not a SQLite database' },
    { case: 'a folder on the path is a file', setUp: (dir: string) => (fs.writeFileSync(path.join(dir, 'file'), ''), 'file/steward.db'), reason: 'a part of the path is a file, not a folder' },
    { case: 'the path is a folder', setUp: (dir: string) => (fs.mkdirSync(path.join(dir, 'folder.db')), 'folder.db'), reason: 'the file cannot be opened or created' },
  ])('when $case, then it is bad configuration naming the path, not a crash', ({ setUp, reason }) => {
    const dir = tempDir();
    const file = path.join(dir, setUp(dir));

    expect(() => openDatabase(file)).toThrow(new InputError(`${file}: cannot open the database: ${reason} (set --db or STEWARD_DB to another path)`));
  });
});
