import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { projectRoot } from '../../support/fixtures.js';
import { finished, removeTempDirs, runSteward, spawnSteward, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * `steward list | head`: the reader closes the pipe once it has what it wants. Steward then stops quietly, as Unix
 * tools do — no EPIPE stack trace, no "something went wrong". The read end is closed before Steward writes a byte,
 * so the write is sure to meet a closed pipe, whatever the output's size and the machine's speed.
 */

describe('steward, writing to a pipe its reader has closed', () => {
  test.each([
    ['help', () => ['help']],
    ['list', (db: string) => ['list', '--db', db]],
    ['who --json', (db: string) => ['who', 'github-deploy-token', '--json', '--db', db]],
  ])('when `steward %s | head` stops reading, then Steward exits quietly', async (_name, args) => {
    const db = path.join(tempDir(), 'steward.db');
    expect((await runSteward(['import', 'csv', path.join(projectRoot, 'samples/inventory/identities.csv'), '--db', db])).code).toBe(0);
    const child = spawnSteward(args(db));
    child.stdout?.destroy();

    const { code, signal, stderr } = await finished(child);

    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  });
});
