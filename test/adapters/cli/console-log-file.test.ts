import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { consoleLogFile } from '../../../adapters/cli/serve.js';

describe('consoleLogFile (where the console writes its log)', () => {
  test('when two databases share a folder, then each has its own log beside it, named after it', () => {
    expect(consoleLogFile('/srv/steward/prod.db')).toBe('/srv/steward/prod.log');
    expect(consoleLogFile('/srv/steward/demo.db')).toBe('/srv/steward/demo.log');
  });

  test.each([
    ['./data/steward.db', path.resolve('data/steward.log')],
    ['/tmp/steward-demo.db', '/tmp/steward-demo.log'],
    ['/var/lib/steward/inventory', '/var/lib/steward/inventory.log'],
    ['/var/lib/steward.d/inventory.sqlite3', '/var/lib/steward.d/inventory.log'],
    ['/tmp/odd-name.log', '/tmp/odd-name.log.log'],
  ])('when the database is %s, then the log is %s', (db, log) => {
    expect(consoleLogFile(db)).toBe(log);
  });

  test('when the database is in memory, then there is no file to put a log beside', () => {
    expect(consoleLogFile(':memory:')).toBeUndefined();
  });
});
