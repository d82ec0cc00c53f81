import { describe, expect, test } from 'vitest';
import { extractGlobalOptions } from '../../../adapters/cli/main.js';

describe('extractGlobalOptions', () => {
  test.each([
    { argv: ['--db', 'a.db', 'who', 'x'], globals: { db: 'a.db' }, rest: ['who', 'x'] },
    { argv: ['who', 'x', '--db=a.db'], globals: { db: 'a.db' }, rest: ['who', 'x'] },
    { argv: ['check', 'c.yaml', '--policy', 'p.yaml', '--json'], globals: { policy: 'p.yaml' }, rest: ['check', 'c.yaml', '--json'] },
    { argv: ['list', '--unowned'], globals: {}, rest: ['list', '--unowned'] },
    { argv: ['who', '--dbx'], globals: {}, rest: ['who', '--dbx'] },
  ])('when given $argv, then --db and --policy are taken out wherever they are', ({ argv, globals, rest }) => {
    expect(extractGlobalOptions(argv)).toEqual({ globals, rest });
  });

  test.each([[['list', '--db']], [['--policy=', 'list']]])('when %j has no value, then it says which option needs one', (argv) => {
    expect(extractGlobalOptions(argv)).toEqual({ error: `--${argv.join(' ').includes('policy') ? 'policy' : 'db'} needs a value` });
  });
});
