import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openDatabase } from '../../../adapters/cli/open-database.js';
import { InputError } from '../../../src/errors.js';
import { removeTempDirs, tempDir } from '../../support/run-steward.js';
import { secretShapes } from '../../support/secret-shapes.js';

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
    { case: 'the path is a folder', setUp: (dir: string) => (fs.mkdirSync(path.join(dir, 'folder.db')), 'folder.db'), reason: 'it is a folder, not a file' },
    { case: 'the path is a device', setUp: () => '/dev/null', reason: 'it is a device, FIFO or socket, not a file' },
  ])('when $case, then it is bad configuration naming the path, not a crash', ({ setUp, reason }) => {
    const dir = tempDir();
    const given = setUp(dir);
    const file = path.isAbsolute(given) ? given : path.join(dir, given);

    expect(() => openDatabase(file)).toThrow(new InputError(`${file}: cannot open the database: ${reason} (set --db or STEWARD_DB to another path)`));
  });

  test('when the path looks like a token, then it is refused without being repeated, and nothing is created', () => {
    const dir = tempDir();
    const token = secretShapes.githubClassicToken();
    const file = path.join(dir, token);

    expect(() => openDatabase(file)).toThrow(/^the database path \(--db or STEWARD_DB\) looks like a GitHub token; Steward does not take a secret as a path/);
    expect(() => openDatabase(file)).not.toThrow(token);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
