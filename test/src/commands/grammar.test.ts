import { describe, expect, it } from 'vitest';
import { commandsFor, helpText, parseCommand, type Command, type ParseResult, type Surface } from '../../../src/commands/grammar.js';

function commandOf(result: ParseResult): Command {
  if (!result.ok) throw new Error(`expected a command, got ${result.code}: ${result.message}`);
  return result.command;
}

/** Slack's invocation: chat usages and help start with it. */
const inSlack = { invocation: '/steward' };

function failureOf(result: ParseResult) {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.command)}`);
  return result;
}

describe('parseCommand: which commands each surface offers', () => {
  const offered: ReadonlyArray<readonly [Surface, readonly string[]]> = [
    ['cli', ['who', 'list', 'import', 'check', 'tick', 'attest', 'history', 'audit', 'digest', 'evidence', 'backup', 'outbox', 'request', 'transfer', 'approvals', 'decide', 'delegate', 'serve', 'help']],
    [
      'console',
      ['who', 'list', 'mine', 'team', 'unowned', 'import', 'check', 'tick', 'attest', 'claim', 'history', 'audit', 'digest', 'outbox', 'request', 'transfer', 'approvals', 'decide', 'delegate', 'as', 'inbox', 'press', 'help'],
    ],
    ['chat', ['who', 'mine', 'team', 'unowned', 'attest', 'claim', 'request', 'transfer', 'approvals', 'decide', 'delegate', 'help']],
  ];

  it.each(offered)('when the surface is %s, then it offers exactly %j', (surface, names) => {
    expect(commandsFor(surface).map((s) => s.name)).toEqual(names);
  });

  it.each([
    ['serve', 'console'],
    ['press', 'cli'],
    ['mine', 'cli'],
    ['claim', 'cli'],
    ['team', 'cli'],
    ['unowned', 'cli'],
  ] as const)('when %s is typed in %s, then it is not a command there', (name, surface) => {
    const words = ['serve', 'mine', 'unowned'].includes(name) ? [name] : [name, 'backstage'];
    expect(failureOf(parseCommand(words, surface))).toMatchObject({ code: 'unknown_command', message: `${name} is not a command here` });
  });

  it.each([['serve'], ['import'], ['check'], ['tick'], ['as'], ['list'], ['frobnicate'], ['Frobnicate']])(
    'when %s is typed in chat, then the answer is the help, which names the word as no command here',
    (name) => {
      expect(commandOf(parseCommand([name, 'backstage', 'catalog.yaml'], 'chat'))).toEqual({ name: 'help', topic: name });
      expect(helpText('chat', name).split('\n')[0]).toBe(`${name} is not a command here. Commands:`);
    },
  );

  const invocations: Readonly<Record<string, readonly string[]>> = {
    who: ['who', 'petstore'],
    list: ['list', '--unowned'],
    import: ['import', 'backstage', 'catalog-info.yaml'],
    check: ['check', 'catalog-info.yaml'],
    serve: ['serve'],
    tick: ['tick', '--at', '2027-01-05T09:00Z'],
    mine: ['mine'],
    team: ['team', 'payments'],
    unowned: ['unowned'],
    attest: ['attest', 'petstore', '--note', 'still needed'],
    claim: ['claim', 'petstore'],
    history: ['history', 'petstore'],
    audit: ['audit', 'verify'],
    as: ['as', 'ana@acme.example'],
    inbox: ['inbox'],
    press: ['press', '3'],
    help: ['help'],
  };
  const everySurfaceAndCommand = (['cli', 'console', 'chat'] as const).flatMap((surface) =>
    Object.entries(invocations).map(([name, words]) => [surface, name, words, commandsFor(surface).some((s) => s.name === name)] as const),
  );

  it.each(everySurfaceAndCommand)('when %s is given "%s", then it parses as that command only if the surface offers it', (surface, name, words, offeredThere) => {
    const result = parseCommand(words, surface);
    // Chat answers any other word with the help; the CLI and the console call it an unknown command.
    if (offeredThere) expect(result).toMatchObject({ ok: true, command: { name } });
    else if (surface === 'chat') expect(result).toEqual({ ok: true, command: { name: 'help', topic: name } });
    else expect(result).toMatchObject({ ok: false, code: 'unknown_command' });
  });

  it('when the word is not a command anywhere, then it is an unknown command', () => {
    expect(failureOf(parseCommand(['frobnicate'], 'cli')).code).toBe('unknown_command');
  });
});

describe('parseCommand: who', () => {
  it.each(['cli', 'console', 'chat'] as const)('when "who payments-api" is typed in %s, then it asks who owns it', (surface) => {
    expect(commandOf(parseCommand(['who', 'payments-api'], surface))).toEqual({ name: 'who', query: 'payments-api', json: false });
  });

  it('when the query is several words, then they make one query', () => {
    expect(commandOf(parseCommand(['who', 'Payments', 'API', '--json'], 'cli'))).toEqual({ name: 'who', query: 'Payments API', json: true });
  });

  it('when the command name is capitalised, then it is still recognised', () => {
    expect(commandOf(parseCommand(['WHO', 'petstore'], 'chat'))).toMatchObject({ name: 'who', query: 'petstore' });
  });

  it.each([
    ['no query', ['who']],
    ['only --json', ['who', '--json']],
    ['an empty quoted query', ['who', '']],
    ['a query of spaces', ['who', '   ']],
  ])('when there is %s, then it is a usage error with the usage line', (_what, words) => {
    expect(failureOf(parseCommand(words, 'chat', inSlack))).toMatchObject({ code: 'bad_usage', message: 'say what to look up, e.g. `who payments-api`', usage: '/steward who <query> [--json]' });
  });
});

describe('parseCommand: list', () => {
  it.each(['cli', 'console'] as const)('when "list" is typed in %s, then it lists everything', (surface) => {
    expect(commandOf(parseCommand(['list'], surface))).toEqual({ name: 'list', unowned: false, json: false });
  });

  it('when every filter is given, then each is kept', () => {
    const words = ['list', '--unowned', '--team', 'payments', '--owner', 'ana@acme.example', '--kind', 'Identity', '--expiring', '30', '--json'];
    expect(commandOf(parseCommand(words, 'cli'))).toEqual({
      name: 'list',
      unowned: true,
      team: 'payments',
      owner: 'ana@acme.example',
      kind: 'identity',
      expiringDays: 30,
      json: true,
    });
  });

  it('when --expiring is 0, then it means already expired', () => {
    expect(commandOf(parseCommand(['list', '--expiring=0'], 'console'))).toMatchObject({ expiringDays: 0 });
  });

  it.each([
    ['--kind bogus', ['list', '--kind', 'bogus'], '--kind must be api or identity'],
    ['--expiring=-3', ['list', '--expiring=-3'], '--expiring takes a whole number of days'],
    ['--expiring 2.5', ['list', '--expiring', '2.5'], '--expiring takes a whole number of days'],
    ['--expiring soon', ['list', '--expiring', 'soon'], '--expiring takes a whole number of days'],
    ['--expiring with an empty value', ['list', '--expiring='], '--expiring takes a whole number of days'],
    ['--expiring 1e2', ['list', '--expiring', '1e2'], '--expiring takes a whole number of days'],
    ['--expiring 0x10', ['list', '--expiring', '0x10'], '--expiring takes a whole number of days'],
    ['a stray word', ['list', 'payments'], 'list takes no words of its own (got "payments")'],
  ])('when given %s, then it is a usage error saying what is wrong', (_what, words, message) => {
    expect(failureOf(parseCommand(words, 'cli'))).toMatchObject({ code: 'bad_usage', message, usage: expect.stringMatching(/^steward list /) });
  });

  it('when --expiring is followed by -3, then it is a usage error naming --expiring', () => {
    const failure = failureOf(parseCommand(['list', '--expiring', '-3'], 'console'));
    expect(failure.code).toBe('bad_usage');
    expect(failure.message).toContain('--expiring');
  });

  it('when an option is unknown, then it is a usage error naming it', () => {
    const failure = failureOf(parseCommand(['list', '--bogus'], 'console'));
    expect(failure).toMatchObject({ code: 'bad_usage', usage: expect.stringMatching(/^list /) });
    expect(failure.message).toContain('`--bogus`');
  });

  it('when a string option has no value, then it is a usage error naming it', () => {
    const failure = failureOf(parseCommand(['list', '--team'], 'cli'));
    expect(failure.code).toBe('bad_usage');
    expect(failure.message).toContain('--team');
  });
});

describe('parseCommand: import, check, serve, help', () => {
  it('when import is given a format and files, then it keeps them with its options', () => {
    expect(commandOf(parseCommand(['import', 'csv', 'apis.csv', 'ids.csv', '--dry-run', '--source', 'hr'], 'cli'))).toEqual({
      name: 'import',
      format: 'csv',
      paths: ['apis.csv', 'ids.csv'],
      dryRun: true,
      json: false,
      source: 'hr',
    });
  });

  it.each([[['import']], [['import', 'csv']]])('when import is given %j, then it asks for a format and a file', (words) => {
    expect(failureOf(parseCommand(words, 'console')).message).toBe('give a format and at least one file, e.g. `import backstage catalog-info.yaml`');
  });

  it('when check is given files, a format and a policy, then it keeps them', () => {
    expect(commandOf(parseCommand(['check', 'catalog.yaml', '--format', 'backstage', '--policy', 'policy.yaml'], 'cli'))).toEqual({
      name: 'check',
      paths: ['catalog.yaml'],
      format: 'backstage',
      policy: 'policy.yaml',
      json: false,
    });
  });

  it.each([
    [['check'], 'give at least one catalog file, e.g. `check catalog-info.yaml`'],
    [['check', 'x.json', '--format', 'json'], '--format must be backstage or csv'],
  ])('when check is given %j, then it is a usage error', (words, message) => {
    expect(failureOf(parseCommand(words, 'cli')).message).toBe(message);
  });

  it('when serve is typed in the CLI, then it serves; with a word after it, it is refused', () => {
    expect(commandOf(parseCommand(['serve'], 'cli'))).toEqual({ name: 'serve' });
    expect(failureOf(parseCommand(['serve', 'now'], 'cli')).message).toBe('serve takes no arguments');
  });

  it.each([[[]], [['--help']], [['-h']], [['help']]])('when the words are %j, then it is help', (words) => {
    expect(commandOf(parseCommand(words, 'chat'))).toEqual({ name: 'help' });
  });

  it('when a command is followed by --help, then it is help on that command', () => {
    expect(commandOf(parseCommand(['list', '--kind', 'bogus', '--help'], 'console'))).toEqual({ name: 'help', topic: 'list' });
  });

  it('when help names a topic, then the topic is kept', () => {
    expect(commandOf(parseCommand(['help', 'who'], 'console'))).toEqual({ name: 'help', topic: 'who' });
  });
});

describe('parseCommand: the attestation loop (tick, attest, history, audit)', () => {
  it.each([
    [['tick'], { name: 'tick', dryRun: false, json: false }],
    [['tick', '--at', '2027-01-05T09:00Z', '--dry-run', '--json'], { name: 'tick', at: { iso: '2027-01-05T09:00:00.000Z' }, dryRun: true, json: true }],
    [['tick', '--at', '2027-01-05'], { name: 'tick', at: { iso: '2027-01-05T00:00:00.000Z' }, dryRun: false, json: false }],
    [['tick', '--at', '2027-01-05T10:00+01:00'], { name: 'tick', at: { iso: '2027-01-05T09:00:00.000Z' }, dryRun: false, json: false }],
    [['tick', '--at', '+7d'], { name: 'tick', at: { relativeDays: 7 }, dryRun: false, json: false }],
  ] as const)('when the words are %j, then the tick runs then', (words, command) => {
    expect(commandOf(parseCommand(words, 'cli'))).toEqual(command);
  });

  it.each([
    [['tick', '--at', 'tomorrow'], /^--at takes an ISO 8601 time .* not "tomorrow"$/],
    [['tick', '--at', '2027-02-30'], /not "2027-02-30"$/],
    [['tick', '--at', '+7'], /not "\+7"$/],
    [['tick', 'now'], /^tick takes no words of its own/],
  ] as const)('when the words are %j, then it is a usage error naming what is wrong', (words, message) => {
    expect(failureOf(parseCommand(words, 'cli'))).toMatchObject({ code: 'bad_usage', message: expect.stringMatching(message), usage: 'steward tick [--at ISO|+Nd|-Nd] [--dry-run] [--json]' });
  });

  it('when attest names an item, a person and a note, then it keeps them', () => {
    expect(commandOf(parseCommand(['attest', 'petstore', '--as', 'ana@acme.example', '--note', 'still serves the shop'], 'cli'))).toEqual({
      name: 'attest',
      ref: 'petstore',
      as: 'ana@acme.example',
      note: 'still serves the shop',
    });
  });

  it('when attest on the console names no one, then it is left to the person the console acts as', () => {
    expect(commandOf(parseCommand(['attest', 'petstore'], 'console'))).toEqual({ name: 'attest', ref: 'petstore' });
  });

  it.each([
    [['attest'], 'say which item, e.g. `attest payments-api --as alice@example.com`'],
    [['attest', 'a', 'b'], 'attest takes one item ref'],
    [['attest', 'petstore', '--as', 'ana'], '--as takes an email address, not "ana"'],
  ])('when attest is given %j, then it is a usage error', (words, message) => {
    expect(failureOf(parseCommand(words, 'cli')).message).toBe(message);
  });

  it('when history and audit verify are asked, then they parse; audit alone is a usage error', () => {
    expect(commandOf(parseCommand(['history', 'identity:ci-token', '--json'], 'cli'))).toEqual({ name: 'history', ref: 'identity:ci-token', json: true });
    expect(commandOf(parseCommand(['audit', 'verify'], 'console'))).toEqual({ name: 'audit', action: 'verify', json: false });
    expect(failureOf(parseCommand(['audit'], 'cli')).message).toBe('the audit command is `audit verify`');
  });
});

describe('parseCommand: the console as a chat platform (as, inbox, press)', () => {
  it('when as names a person, then the console acts as them (lower-cased); alone, it asks who', () => {
    expect(commandOf(parseCommand(['as', 'Ana@Acme.example'], 'console'))).toEqual({ name: 'as', email: 'ana@acme.example' });
    expect(commandOf(parseCommand(['as'], 'console'))).toEqual({ name: 'as' });
    expect(failureOf(parseCommand(['as', 'ana'], 'console')).message).toBe('as takes one email address, e.g. `as alice@example.com`');
  });

  it('when inbox is asked, with or without --all, then it parses', () => {
    expect(commandOf(parseCommand(['inbox'], 'console'))).toEqual({ name: 'inbox', all: false });
    expect(commandOf(parseCommand(['inbox', '--all'], 'console'))).toEqual({ name: 'inbox', all: true });
  });

  it('when press is given a number and every option, then each is kept, --set as field and value', () => {
    const words = ['press', '12', '--note', 'n', '--reason', 'r', '--owner', 'bo@acme.example', '--days', '14', '--team', 'payments', '--set', 'purpose=Nightly exports', '--set', 'expires=2027-06-30'];
    expect(commandOf(parseCommand(words, 'console'))).toEqual({
      name: 'press',
      number: 12,
      note: 'n',
      reason: 'r',
      owner: 'bo@acme.example',
      days: 14,
      team: 'payments',
      set: { purpose: 'Nightly exports', expires: '2027-06-30' },
    });
  });

  it('when press is given only a number, then it has no options and no settings', () => {
    expect(commandOf(parseCommand(['press', '3'], 'console'))).toEqual({ name: 'press', number: 3, set: {} });
  });

  it.each([
    [['press'], 'say which action to press by its number, e.g. `press 3`'],
    [['press', '0'], 'say which action to press by its number, e.g. `press 3`'],
    [['press', 'three'], 'say which action to press by its number, e.g. `press 3`'],
    [['press', '3', 'moved', 'teams'], 'press takes one number (got "moved" too); quote text with spaces, e.g. --reason "moved to team X"'],
    [['press', '3', '--days', 'two'], '--days takes a whole number of days'],
    [['press', '3', '--owner', 'bob'], '--owner takes an email address, not "bob"'],
    [['press', '3', '--set', 'purpose'], '--set takes field=value, e.g. --set purpose="Nightly settlement exports" (got "purpose")'],
    [['press', '3', '--set', 'purpose=a', '--set', 'purpose=b'], '--set purpose is given twice'],
  ])('when press is given %j, then it is a usage error', (words, message) => {
    expect(failureOf(parseCommand(words, 'console')).message).toBe(message);
  });
});

describe('parseCommand: the chat commands (mine, team, unowned, attest, claim)', () => {
  it.each(['console', 'chat'] as const)('when mine, team and unowned are typed in %s, then they parse', (surface) => {
    expect(commandOf(parseCommand(['mine'], surface))).toEqual({ name: 'mine' });
    expect(commandOf(parseCommand(['team', 'Payments'], surface))).toEqual({ name: 'team', team: 'payments' });
    expect(commandOf(parseCommand(['team', '#payments'], surface))).toEqual({ name: 'team', team: 'payments' });
    expect(commandOf(parseCommand(['UNOWNED'], surface))).toEqual({ name: 'unowned' });
  });

  it.each([
    [['mine', 'please'], 'mine takes no words of its own (got "please")', '/steward mine'],
    [['team'], 'say which team, by its slug, e.g. `team payments`', '/steward team <team>'],
    [['team', ''], 'say which team, by its slug, e.g. `team payments`', '/steward team <team>'],
    [['team', 'pay', 'ments'], 'team takes one team slug, e.g. `team payments`', '/steward team <team>'],
    [['unowned', 'apis'], 'unowned takes no words of its own (got "apis")', '/steward unowned'],
    [['claim'], 'say which item, e.g. `claim payments-api`', '/steward claim <ref> [--team SLUG]'],
    [['claim', 'a', 'b'], 'claim takes one item ref', '/steward claim <ref> [--team SLUG]'],
    [['attest'], 'say which item, e.g. `attest payments-api`', '/steward attest <ref> [--note TEXT]'],
  ])('when chat is given %j, then it is a usage error with the usage line', (words, message, usage) => {
    expect(failureOf(parseCommand(words, 'chat', inSlack))).toEqual({ ok: false, code: 'bad_usage', message, usage });
  });

  it.each(['console', 'chat'] as const)('when claim names an item and a team in %s, then both are kept; without a team, none is', (surface) => {
    expect(commandOf(parseCommand(['claim', 'identity:ci-token', '--team', 'payments'], surface))).toEqual({ name: 'claim', ref: 'identity:ci-token', team: 'payments' });
    expect(commandOf(parseCommand(['claim', 'orphan-api'], surface))).toEqual({ name: 'claim', ref: 'orphan-api' });
  });

  it('when attest is typed in chat, then it answers as the speaker: a note is kept, and --as is not an option there', () => {
    expect(commandOf(parseCommand(['attest', 'petstore', '--note', 'still serves the shop'], 'chat'))).toEqual({ name: 'attest', ref: 'petstore', note: 'still serves the shop' });
    const refused = failureOf(parseCommand(['attest', 'petstore', '--as', 'ana@acme.example'], 'chat', inSlack));
    expect(refused).toMatchObject({ code: 'bad_usage', usage: '/steward attest <ref> [--note TEXT]' });
    expect(refused.message).toContain('`--as`');
  });

  it('when attest is typed on the console, then --as may name someone else, and without it the person acted as answers', () => {
    expect(commandOf(parseCommand(['attest', 'petstore', '--as', 'ana@acme.example'], 'console'))).toEqual({ name: 'attest', ref: 'petstore', as: 'ana@acme.example' });
    expect(commandOf(parseCommand(['attest', 'petstore'], 'console'))).toEqual({ name: 'attest', ref: 'petstore' });
  });

  it.each([
    ['cli', 'Usage: steward attest <ref> --as EMAIL [--note TEXT]', true],
    ['console', 'Usage: attest <ref> [--note TEXT]', true],
    ['chat', 'Usage: /steward attest <ref> [--note TEXT]', false],
  ] as const)('when %s asks for help on attest, then its usage is %j, and --as is listed only where it is taken', (surface, usage, listsAs) => {
    const text = helpText(surface, 'attest', surface === 'chat' ? inSlack : {});
    expect(text.split('\n')[0]).toBe(usage);
    expect(text.includes('--as EMAIL')).toBe(listsAs);
    expect(text).toContain('--note TEXT');
  });

  it('when chat gets an unknown word after a known one, then it is still the command that parses', () => {
    expect(failureOf(parseCommand(['mine', '--all'], 'chat', inSlack))).toMatchObject({ code: 'bad_usage', usage: '/steward mine' });
  });
});

describe('helpText', () => {
  it('when chat in Slack asks for help, then it lists only chat commands, each as /steward …', () => {
    const text = helpText('chat', undefined, inSlack);
    expect(text.split('\n')[0]).toBe('Commands:');
    expect(text).toContain('/steward who <query> [--json]');
    for (const usage of ['mine', 'team <team>', 'unowned', 'attest <ref> [--note TEXT]', 'claim <ref> [--team SLUG]', 'help [command]']) expect(text).toContain(`/steward ${usage}`);
    expect(text).not.toMatch(/\bimport\b|\bserve\b|\bcheck\b|\/steward list\b|--as\b/);
  });

  it('when the CLI asks for help, then every command is listed as steward …', () => {
    const text = helpText('cli');
    for (const name of ['who', 'list', 'import', 'check', 'serve', 'help']) expect(text).toMatch(new RegExp(`^  steward ${name}\\b`, 'm'));
  });

  it('when the console asks for help, then commands are listed bare, as the user types them', () => {
    expect(helpText('console')).toMatch(/^ {2}who <query>/m);
  });

  it.each([
    ['/steward', '  /steward who <query>', 'Usage: /steward mine'],
    ['@Steward', '  @Steward who <query>', 'Usage: @Steward mine'],
    ['', '  who <query>', 'Usage: mine'],
  ])('when chat is on a platform invoked by %j, then the help and the usages start with it', (invocation, listed, usage) => {
    expect(helpText('chat', undefined, { invocation }).split('\n').filter((line) => line.startsWith(listed))).toHaveLength(1);
    expect(helpText('chat', 'mine', { invocation }).split('\n')[0]).toBe(usage);
    expect(failureOf(parseCommand(['mine', 'please'], 'chat', { invocation })).usage).toBe(usage.slice('Usage: '.length));
  });

  it('when help is asked about one command, then its usage, summary and options are shown', () => {
    const text = helpText('cli', 'list');
    expect(text.split('\n').slice(0, 2)).toEqual(['Usage: steward list [--unowned] [--team T] [--owner EMAIL] [--kind api|identity] [--expiring DAYS]', '         [--json]']);
    expect(text).toContain('Options:');
    expect(text).toContain('  --expiring DAYS      only credentials expiring within DAYS (or already expired)');
    expect(text).toContain('  --kind api|identity  only APIs or only identities');
  });

  it('when help is asked about a command the surface does not offer, then it says so and lists what is offered', () => {
    const text = helpText('chat', 'import', inSlack);
    expect(text.split('\n')[0]).toBe('import is not a command here. Commands:');
    expect(text).not.toContain('/steward import');
  });
});
