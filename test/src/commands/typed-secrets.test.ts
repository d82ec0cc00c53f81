import { describe, expect, it } from 'vitest';
import { commandsFor, helpText, parseCommand, type Surface } from '../../../src/commands/grammar.js';
import { secretShapes } from '../../support/secret-shapes.js';

/*
 * A secret typed where Steward expects a name, a ref, a time or an address (a token pasted into `who` by
 * mistake, a key as `--at`) is refused before anything looks it up, shows it or keeps it: the answer says it
 * looks like a secret and that Steward does not search by secrets, and never repeats it.
 */

const secrets = {
  slackBotToken: secretShapes.slackBotToken(),
  githubToken: secretShapes.githubClassicToken(),
  awsSecretAccessKey: secretShapes.awsSecretAccessKey(),
  jwt: secretShapes.jwt(),
  googleApiKey: secretShapes.googleApiKey(),
  slackWebhookUrl: secretShapes.slackWebhookUrl(),
};

/** The words typed, with the secret where a query, a ref, a time or an option's value goes. */
const placements: ReadonlyArray<readonly [string, (secret: string) => string[]]> = [
  ['as the who query', (s) => ['who', s]],
  ['inside a several-word who query', (s) => ['who', 'the', 'key', s]],
  ['as the history ref', (s) => ['history', s]],
  ['as the attest ref', (s) => ['attest', s, '--as', 'ana@acme.example']],
  ['as the claim ref', (s) => ['claim', s]],
  ['as the team', (s) => ['team', s]],
  ['as tick --at', (s) => ['tick', '--at', s]],
  ['as tick --at=…', (s) => [`tick`, `--at=${s}`]],
  ['as the person to act as', (s) => ['as', s]],
  ['as an email-shaped --as', (s) => ['attest', 'petstore', '--as', `${s}@acme.example`]],
  ['as list --team', (s) => ['list', '--team', s]],
  ['as list --owner', (s) => ['list', '--owner', s]],
  ['as claim --team', (s) => ['claim', 'petstore', '--team', s]],
  ['as import --source', (s) => ['import', 'csv', 'apis.csv', '--source', s]],
  ['as an unknown option', (s) => ['who', 'petstore', `--${s}`]],
  ['as a stray word', (s) => ['list', s]],
  ['as the command', (s) => [s]],
  ['as the help topic', (s) => ['help', s]],
  ['as the import format', (s) => ['import', s, 'apis.csv']],
];

const surfaces: readonly Surface[] = ['cli', 'console', 'chat'];
const cases = surfaces.flatMap((surface) =>
  placements.flatMap(([where, words]) =>
    Object.entries(secrets).map(([kind, secret]) => ({ surface, where, kind, secret, words: words(secret) })),
  ),
);

describe('parseCommand: a secret typed as a query', () => {
  it.each(cases)('when $kind is typed $where in $surface, then it is refused as a secret and never echoed', ({ surface, secret, words }) => {
    const result = parseCommand(words, surface);
    expect(result).toMatchObject({ ok: false, code: 'looks_like_secret' });
    if (result.ok) return;
    expect(result.message).toMatch(/^That looks like .+; Steward does not search by secrets/);
    const said = `${result.message}\n${result.usage ?? ''}`;
    // Not the secret, nor any long part of it.
    for (let at = 0; at + 12 <= secret.length; at += 6) expect(said).not.toContain(secret.slice(at, at + 12));
  });

  it.each(surfaces)('when the help on %s is asked about a secret-shaped topic, then the help never names it', (surface) => {
    const secret = secrets.slackBotToken;
    expect(helpText(surface, secret)).not.toContain(secret.slice(5, 20));
    expect(helpText(surface, secret).split('\n')[0]).toMatch(/^That looks like a Slack token; Steward does not search by secrets/);
  });

  it.each(['cli', 'console', 'chat'] as const)('when a note holds a secret on %s, then the grammar leaves it to the answer rules, which refuse it with their own words', (surface) => {
    const words = surface === 'cli' ? ['attest', 'petstore', '--as', 'ana@acme.example', '--note', secrets.githubToken] : ['attest', 'petstore', '--note', secrets.githubToken];
    expect(parseCommand(words, surface)).toMatchObject({ ok: true, command: { name: 'attest', note: secrets.githubToken } });
  });

  it.each(surfaces)('when ordinary refs, names, emails and times are typed on %s, then none is taken for a secret', (surface) => {
    const ordinary = [
      ['who', 'payments-api'],
      ['who', 'identity:svc-ci-deploy@northwind-prod.iam.gserviceaccount.com'],
      ['who', 'arn:aws:iam::123456789012:user/ci-deploy'],
      ['who', 'Payments', 'API', 'v2'],
      ['history', 'identity:k8s:payments/payments-worker'],
      ['tick', '--at', '2027-01-05T09:00:00.000+01:00'],
    ].filter(([name]) => commandsFor(surface).some((spec) => spec.name === name));
    for (const words of ordinary) expect(parseCommand(words, surface)).toMatchObject({ ok: true });
  });
});
