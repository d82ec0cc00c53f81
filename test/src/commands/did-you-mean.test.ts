import { describe, expect, it } from 'vitest';
import { nearestWord } from '../../../src/commands/did-you-mean.js';
import { helpText, parseCommand, type ParseResult, type Surface } from '../../../src/commands/grammar.js';

/*
 * A mistyped command, option or value is answered with the nearest one ("did you mean …"), in Steward's own
 * words on every surface: never the Node argument parser's advice about `--` and positional arguments.
 */

function failureOf(result: ParseResult) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.command)}`);
  return result;
}

describe('nearestWord', () => {
  it.each([
    ['whp', ['who', 'list', 'help'], 'who'],
    ['histroy', ['history', 'help'], 'history'],
    ['backstag', ['backstage', 'csv', 'codeowners'], 'backstage'],
    ['Backstag', ['backstage', 'csv'], 'backstage'],
    ['aws', ['backstage', 'aws-credential-report', 'gcp-keys'], 'aws-credential-report'],
    ['kube', ['kubernetes', 'codeowners'], 'kubernetes'],
  ])('when %s is typed among %j, then the nearest is %s', (word, candidates, nearest) => {
    expect(nearestWord(word, candidates)).toBe(nearest);
  });

  it.each([
    ['frobnicate', ['who', 'list', 'help']],
    ['c', ['csv', 'codeowners', 'check']],
    ['co', ['codeowners', 'csv', 'check', 'claim']],
    ['x', ['a', 'b']],
  ])('when %s is near nothing among %j (or near several alike), then there is no suggestion', (word, candidates) => {
    expect(nearestWord(word, candidates)).toBeNull();
  });
});

describe('parseCommand: mistyped commands', () => {
  it.each([
    ['cli', 'whp', 'who'],
    ['cli', 'histroy', 'history'],
    ['cli', 'improt', 'import'],
    ['console', 'atest', 'attest'],
    ['console', 'unownd', 'unowned'],
  ] as const)('when %s is given "%s", then it is no command here and the answer suggests %s', (surface, word, nearest) => {
    expect(failureOf(parseCommand([word, 'x'], surface))).toMatchObject({ code: 'unknown_command', message: `${word} is not a command here (did you mean \`${nearest}\`?)` });
  });

  it('when chat is given a mistyped command, then the help it answers with suggests the nearest', () => {
    expect(parseCommand(['whp', 'payments-api'], 'chat')).toEqual({ ok: true, command: { name: 'help', topic: 'whp' } });
    expect(helpText('chat', 'whp').split('\n')[0]).toBe('whp is not a command here (did you mean `who`?). Commands:');
  });

  it.each(['cli', 'console', 'chat'] as const)('when help on %s is asked about a mistyped command, then it suggests the nearest', (surface) => {
    expect(helpText(surface, 'hlep').split('\n')[0]).toBe('hlep is not a command here (did you mean `help`?). Commands:');
  });
});

describe('parseCommand: option mistakes, in Steward words', () => {
  const nodeWords = /To specify a positional argument|Unknown option|argument is ambiguous|ERR_PARSE_ARGS/;

  it.each([
    ['cli', ['who', 'petstore', '--jsn'], '`--jsn` is not an option of who (did you mean `--json`?)'],
    ['console', ['list', '--unowend'], '`--unowend` is not an option of list (did you mean `--unowned`?)'],
    ['cli', ['import', 'csv', 'a.csv', '--dryrun'], '`--dryrun` is not an option of import (did you mean `--dry-run`?)'],
    ['cli', ['tick', '--when', '+3d'], '`--when` is not an option of tick; its options: --at, --dry-run, --json'],
    ['cli', ['list', '-j'], '`-j` is not an option of list; its options: --unowned, --team, --owner, --kind, --expiring, --json'],
    ['chat', ['attest', 'petstore', '--as', 'ana@acme.example'], '`--as` is not an option of attest here; its options: --note'],
    ['chat', ['mine', '--all'], 'mine takes no options'],
  ] as const)('when %s is given %j, then it says %s', (surface, words, message) => {
    const failure = failureOf(parseCommand(words, surface));
    expect(failure).toMatchObject({ code: 'bad_usage', message });
    expect(failure.message).not.toMatch(nodeWords);
  });

  it.each([
    [['list', '--team'], '--team needs a value, e.g. --team T'],
    [['list', '--team', '--json'], '--team needs a value, e.g. --team T'],
    [['who', 'petstore', '--json=yes'], '--json takes no value'],
    [['tick', '--at', '+1d', '--at', '+2d'], '--at is given twice'],
  ] as const)('when the words are %j, then it says %s', (words, message) => {
    const failure = failureOf(parseCommand(words, 'cli'));
    expect(failure).toMatchObject({ code: 'bad_usage', message });
    expect(failure.message).not.toMatch(nodeWords);
  });

  it('when a value starts with a dash, then it is the option’s value, not an option', () => {
    expect(failureOf(parseCommand(['list', '--expiring', '-3'], 'cli')).message).toBe('--expiring takes a whole number of days');
    expect(parseCommand(['press', '3', '--reason', '-', '--note', '-1'], 'console')).toMatchObject({ ok: true, command: { reason: '-', note: '-1' } });
  });

  it('when a phone turned -- into a dash (—json, –team), then it is still the option', () => {
    expect(parseCommand(['who', 'payments-api', '\u2014json'], 'chat')).toEqual({ ok: true, command: { name: 'who', query: 'payments-api', json: true } });
    expect(parseCommand(['claim', 'orphan-api', '\u2013team', 'payments'], 'chat')).toEqual({ ok: true, command: { name: 'claim', ref: 'orphan-api', team: 'payments' } });
  });

  it('when words follow --, then they are words, not options', () => {
    expect(parseCommand(['who', '--', '--json'], 'cli')).toMatchObject({ ok: true, command: { name: 'who', query: '--json', json: false } });
  });

  it.each([
    [['list', '--kind', 'identiy'], '--kind must be api or identity (did you mean `identity`?)'],
    [['check', 'x.yaml', '--format', 'backstag'], '--format must be backstage or csv (did you mean `backstage`?)'],
    [['audit', 'verfy'], 'the audit command is `audit verify` (did you mean `verify`?)'],
  ] as const)('when a value is mistyped (%j), then the nearest is suggested', (words, message) => {
    expect(failureOf(parseCommand(words, 'cli')).message).toBe(message);
  });
});

describe('parseCommand: tick --at before and after now', () => {
  it.each([
    ['+3d', 3],
    ['-3d', -3],
    ['-0d', 0],
    ['+30D', 30],
  ] as const)('when --at is %s, then the tick runs that many days from now', (at, days) => {
    for (const surface of ['cli', 'console'] as Surface[]) expect(parseCommand(['tick', '--at', at], surface)).toEqual({ ok: true, command: { name: 'tick', at: { relativeDays: days }, dryRun: false, json: false } });
  });

  it('when --at=-3d is given in one word, then it is the same', () => {
    expect(parseCommand(['tick', '--at=-3d', '--dry-run'], 'cli')).toEqual({ ok: true, command: { name: 'tick', at: { relativeDays: -3 }, dryRun: true, json: false } });
  });

  it('when --at is a time or days in words it does not take, then it says what it takes, -Nd included', () => {
    expect(failureOf(parseCommand(['tick', '--at', 'yesterday'], 'cli')).message).toBe(
      '--at takes an ISO 8601 time (2027-01-05T09:00Z, 2027-01-05) or days from now (+7d, -3d), not "yesterday"',
    );
  });
});
