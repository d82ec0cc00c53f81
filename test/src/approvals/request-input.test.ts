import { describe, expect, it } from 'vitest';
import { maxScopes, readKind, requestedScopes, requestFieldErrors, waivableRules, type RequestInput } from '../../../src/approvals/request-input.js';
import { Policy } from '../../../src/policy/policy.js';
import { secretShapes } from '../../support/secret-shapes.js';

/* Every field rule of a request, whoever asks: the CLI, the console, chat, a button. */

const now = '2026-11-02T09:00:00.000Z';
const policy = Policy.parse({ securityChannel: '#sec' });
const errorsOf = (input: RequestInput, withPolicy: Policy = policy) => requestFieldErrors(input, now, withPolicy);
const codes = (input: RequestInput, withPolicy: Policy = policy) => errorsOf(input, withPolicy).map((e) => `${e.field} ${e.code}`);

const scopeChange = (scopes: string, justification: string | null = 'deploys write artefacts'): RequestInput => ({ kind: 'scope_change', scopes, justification });
const exception = (until: string, justification: string | null = 'audit freeze', rule: string | null = null): RequestInput => ({ kind: 'exception', until, rule, justification });

describe('requestFieldErrors: the justification', () => {
  it.each<[string, RequestInput, string[]]>([
    ['a scope change with no reason', scopeChange('read write', null), ['reason required']],
    ['a scope change with a blank reason', scopeChange('read write', '   '), ['reason required']],
    ['an exception with no reason', exception('2026-12-01', null), ['reason required']],
    ['a rotation with no reason', { kind: 'rotation', trigger: 'owner', justification: null }, []],
    ['a decommission with no reason', { kind: 'decommission', justification: null }, []],
    ['a transfer with no reason', { kind: 'ownership_transfer', to: 'cy@acme.example', team: null, justification: null }, []],
    ['a scope change that says why', scopeChange('read write'), []],
  ])('when %s is asked, then the errors are %j', (_, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });

  it('when the reason for a required justification is missing, then the words say who reads it', () => {
    expect(errorsOf(scopeChange('read write', null))[0]?.message).toBe('Say why: the approver reads it before deciding a scope change.');
    expect(errorsOf(exception('2026-12-01', null))[0]?.message).toBe('Say why: the approver reads it before deciding an exception.');
  });

  it.each<[string, RequestInput]>([
    ['a scope change', scopeChange('read', 'x'.repeat(2001))],
    ['a rotation', { kind: 'rotation', trigger: 'owner', justification: 'x'.repeat(2001) }],
    ['a decommission', { kind: 'decommission', justification: 'x'.repeat(2001) }],
  ])('when the justification of %s is 2,001 characters, then it is refused naming the limit', (_, input) => {
    expect(errorsOf(input)).toEqual([{ field: 'reason', code: 'too_long', message: 'Keep it to 2,000 characters (this is 2,001).' }]);
  });

  it('when the justification is exactly 2,000 characters, then it is taken', () => {
    expect(codes(scopeChange('read', 'x'.repeat(2000)))).toEqual([]);
  });

  it.each<[string, string, string]>([
    ['a Slack bot token', secretShapes.slackBotToken(), 'a Slack token'],
    ['a GitHub token', secretShapes.githubClassicToken(), 'a GitHub token'],
    ['a private key', secretShapes.pemPrivateKey('RSA '), 'a private key'],
    ['a JSON Web Token', secretShapes.jwt(), 'a JSON Web Token'],
    ['a Stripe live key', secretShapes.stripeLiveSecretKey(), 'a Stripe live key'],
    ['a Google API key', secretShapes.googleApiKey(), 'a Google API key'],
  ])('when %s is pasted into the justification, then it is refused by kind and never repeated', (_, secret, described) => {
    const errors = errorsOf({ kind: 'decommission', justification: `retire it, the key was ${secret}` });
    expect(errors.map((e) => `${e.field} ${e.code}`)).toEqual(['reason secret']);
    expect(errors[0]?.message).toMatch(new RegExp(`^That looks like ${described}; Steward never stores secrets`));
    expect(errors[0]?.message).not.toContain(secret);
    expect(errors[0]?.message).not.toContain(secret.slice(0, 12));
  });

  it('when a secret is pasted among the scopes, then the scopes field is refused without repeating it', () => {
    const secret = secretShapes.githubClassicToken();
    const errors = errorsOf(scopeChange(`read ${secret}`));
    expect(errors.map((e) => `${e.field} ${e.code}`)).toEqual(['scopes secret']);
    expect(errors[0]?.message).not.toContain(secret);
  });
});

describe('requestFieldErrors: the scopes of a scope change', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => `scope:${i}`).join(' ');
  it.each<[string, string, string[]]>([
    ['scopes as identity providers write them', 'read:org s3:GetObject https://www.googleapis.com/auth/drive roles/storage.admin', []],
    ['scopes separated by commas and new lines', 'read,write\nadmin:repo', []],
    ['a scope in double quotes', 'read "write"', ['scopes not_scope']],
    ['a scope in single quotes', "read 'write'", ['scopes not_scope']],
    ['a scope with a backslash', 'read domain\\admin', ['scopes not_scope']],
    ['a scope with angle brackets', 'read <all>', ['scopes not_scope']],
    ['a scope with a backtick', 'read `write`', ['scopes not_scope']],
    ['a scope of 201 characters', `read ${'a'.repeat(201)}`, ['scopes not_scope']],
    ['a scope with a non-ASCII letter', 'read écriture', ['scopes not_scope']],
    ['nothing but separators', ' , ', ['scopes no_scopes']],
    [`exactly ${maxScopes} scopes`, many(100), []],
    ['101 scopes', many(101), ['scopes out_of_range']],
    ['101 words of which only 100 differ', `${many(100)} scope:0`, []],
  ])('when the scopes are %s, then the errors are %j', (_, scopes, expected) => {
    expect(codes(scopeChange(scopes))).toEqual(expected);
  });

  it('when a scope is not a scope, then the words say what one looks like', () => {
    expect(errorsOf(scopeChange('read "write"'))[0]?.message).toBe('A scope is one word of visible characters (like read:org or s3:GetObject), without quotes, brackets or backslashes.');
  });

  it('when there are more than 100 scopes, then the words name the limit', () => {
    expect(errorsOf(scopeChange(many(101)))[0]?.message).toBe('List at most 100 scopes.');
  });

  it('when scopes are stored, then they are split and de-duplicated in the order given', () => {
    expect(requestedScopes('write, read\nwrite  admin')).toEqual(['write', 'read', 'admin']);
  });
});

describe('requestFieldErrors: an exception ends within the policy’s limit', () => {
  it.each<[string, string, string[]]>([
    ['tomorrow', '2026-11-03', []],
    ['in 90 days, the limit', '2027-01-31T09:00:00Z', []],
    ['a minute past the limit', '2027-01-31T09:01:00Z', ['until out_of_range']],
    ['next year', '2027-11-02', ['until out_of_range']],
    ['yesterday', '2026-11-01', ['until out_of_range']],
    ['now', now, ['until out_of_range']],
    ['not a date', 'next tuesday', ['until not_date']],
    ['a date that does not exist', '2027-02-30', ['until not_date']],
  ])('when the exception ends %s, then the errors are %j', (_, until, expected) => {
    expect(codes(exception(until))).toEqual(expected);
  });

  it('when the end date is in the past, then the words ask for a later one', () => {
    expect(errorsOf(exception('2026-10-01'))).toEqual([{ field: 'until', code: 'out_of_range', message: 'An exception ends in the future: give a later date.' }]);
  });

  it('when the end date is beyond the policy’s exceptionMaxDays, then the words name the limit and the last date allowed', () => {
    const short = Policy.parse({ securityChannel: '#sec', approvals: { exceptionMaxDays: 30 } });
    expect(codes(exception('2026-12-01'), short)).toEqual([]);
    expect(errorsOf(exception('2026-12-03'), short)).toEqual([
      { field: 'until', code: 'out_of_range', message: 'An exception lasts at most 30 days (the policy’s limit): end it by 2026-12-02.' },
    ]);
  });

  it('when the end date is not a date, then it says what a date looks like', () => {
    expect(errorsOf(exception('soon'))[0]).toMatchObject({ field: 'until', code: 'not_date', message: expect.stringMatching(/^Give a date like 2027-01-31/) });
  });

  it('when the end date and the reason are both wrong, then both are named, the reason first', () => {
    expect(codes(exception('soon', null))).toEqual(['reason required', 'until not_date']);
  });

  it('when the waived rule is past its 40 characters, then it is refused', () => {
    expect(codes(exception('2026-12-01', 'freeze', 'r'.repeat(41)))).toEqual(['rule too_long']);
  });
});

describe('requestFieldErrors: a transfer names an email', () => {
  it.each<[string, string[]]>([
    ['cy@acme.example', []],
    ['cy', ['suggestedOwner not_email']],
    ['cy@acme', ['suggestedOwner not_email']],
    ['cy@acme.example, ben@acme.example', ['suggestedOwner not_email']],
  ])('when the proposed owner is %j, then the errors are %j', (to, expected) => {
    expect(codes({ kind: 'ownership_transfer', to, team: null, justification: null })).toEqual(expected);
  });
});

describe('readKind and waivableRules', () => {
  it.each<[string, string | null]>([
    ['scope-change', 'scope_change'],
    ['Scopes', 'scope_change'],
    ['rotate', 'rotation'],
    ['transfer', 'ownership_transfer'],
    [' decommission ', 'decommission'],
    ['exception', 'exception'],
    ['decom', null],
    ['toString', null],
  ])('when the kind is typed as %j, then it reads as %s', (word, expected) => {
    expect(readKind(word)).toBe(expected);
  });

  it('when an exception waives a gate rule, then the rules are the policy’s gate fields for the item’s kind', () => {
    expect(waivableRules('api')).toContain('revocation_path');
    expect(waivableRules('identity')).toContain('expires');
    expect(waivableRules('api')).not.toContain('expires');
  });
});
