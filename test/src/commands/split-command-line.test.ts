import { describe, expect, it } from 'vitest';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';

describe('splitCommandLine', () => {
  const cases: ReadonlyArray<readonly [string, string, string[] | null]> = [
    ['plain words', 'who payments-api', ['who', 'payments-api']],
    ['runs of spaces and tabs', '  list \t --unowned  ', ['list', '--unowned']],
    ['an empty line', '', []],
    ['only spaces', '   ', []],
    ['double quotes around spaces', 'who "Payments API"', ['who', 'Payments API']],
    ['single quotes around spaces', "who 'Payments API'", ['who', 'Payments API']],
    ['a quote of the other kind inside quotes', `who "O'Brien's API"`, ['who', "O'Brien's API"]],
    ['quotes inside a word', 'who pay"ments api"x', ['who', 'payments apix']],
    ['an empty quoted word', 'who ""', ['who', '']],
    ['an option with a quoted value', 'list --team="core platform"', ['list', '--team=core platform']],
    ['phone-style curly double quotes', 'who “Payments API”', ['who', 'Payments API']],
    ['phone-style curly single quotes', 'who ‘Payments API’', ['who', 'Payments API']],
    ['a curly apostrophe inside a word', 'who o’brien-api', ['who', 'o’brien-api']],
    ['an unclosed double quote', 'who "Payments API', null],
    ['an unclosed single quote', "who 'Payments", null],
    ['an unclosed curly quote', 'who “Payments API', null],
  ];

  it.each(cases)('when the line has %s, then the words are as a shell would split them', (_what, line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });
});
