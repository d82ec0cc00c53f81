import { describe, expect, it } from 'vitest';
import { checkEntry } from '../../../src/inventory/check-entries.js';
import type { CheckedEntry, InvalidEntry, ValidEntry } from '../../../src/inventory/import-entry.js';
import { apiEntry, identityEntry, personEntry, teamEntry } from '../../support/entries.js';
import { secretShapes } from '../../support/secret-shapes.js';

function valid(entry: CheckedEntry): ValidEntry {
  if (entry.type === 'invalid') throw new Error(`expected a valid entry, got: ${JSON.stringify(entry.problems)}`);
  return entry;
}

function invalid(entry: CheckedEntry): InvalidEntry {
  if (entry.type !== 'invalid') throw new Error(`expected an invalid entry, got a valid ${entry.type}`);
  return entry;
}

function dataOf(entry: CheckedEntry): Record<string, unknown> {
  return valid(entry).data as Record<string, unknown>;
}

describe('checkEntry: cleaning', () => {
  it('when a field is blank or only spaces, then it is absent', () => {
    const data = dataOf(checkEntry(apiEntry({ purpose: '   ', sensitivity: '', exposure: null })));
    expect(data).not.toHaveProperty('purpose');
    expect(data).not.toHaveProperty('sensitivity');
    expect(data).not.toHaveProperty('exposure');
  });

  it('when a value has surrounding spaces, then it is trimmed', () => {
    const data = dataOf(checkEntry(apiEntry({ ref: '  payments-api  ', name: '\tPayments API \n', purpose: ' card payments ' })));
    expect(data).toMatchObject({ ref: 'payments-api', name: 'Payments API', purpose: 'card payments' });
  });

  it('when a list holds blank items, then they are dropped', () => {
    const data = dataOf(checkEntry(teamEntry('payments', { members: ['', 'ana@acme.example', '  '] })));
    expect(data.members).toEqual(['ana@acme.example']);
  });

  it('when the owner claim is all blank, then it states nobody', () => {
    const data = dataOf(checkEntry(apiEntry({ owner: { team: ' ', accountable: '' } })));
    expect(data.owner).toEqual({});
  });

  it('when a required field is blank, then it is reported as required, not as empty text', () => {
    const problems = invalid(checkEntry(apiEntry({ name: '   ' }))).problems;
    expect(problems).toEqual([{ at: { file: 'inventory.csv', line: 2 }, field: 'name', message: 'is required' }]);
  });
});

describe('checkEntry: closed vocabularies and normalised values', () => {
  it('when an enum is written in another case, then it is accepted in lower case', () => {
    const data = dataOf(checkEntry(apiEntry({ sensitivity: 'Restricted', exposure: 'PUBLIC', lifecycle: 'Production' })));
    expect(data).toMatchObject({ sensitivity: 'restricted', exposure: 'public', lifecycle: 'production' });
  });

  it('when an identity kind and status are upper case, then they are accepted', () => {
    const data = dataOf(checkEntry(identityEntry({ identityKind: 'SERVICE_ACCOUNT', status: 'Disabled', provider: 'AWS' })));
    expect(data).toMatchObject({ identityKind: 'service_account', status: 'disabled', provider: 'aws' });
  });

  it('when emails and team slugs have capitals, then they are lower-cased (the join key)', () => {
    const data = dataOf(checkEntry(apiEntry({ owner: { team: 'Payments', accountable: 'Ana.Lima@ACME.example' } })));
    expect(data.owner).toEqual({ team: 'payments', accountable: 'ana.lima@acme.example' });
  });

  it('when times are given in any ISO form, then they are stored as UTC text', () => {
    const data = dataOf(checkEntry(identityEntry({ createdAt: '2026-01-31', expiresAt: '2027-01-31T09:00:00+02:00' })));
    expect(data).toMatchObject({ createdAt: '2026-01-31T00:00:00.000Z', expiresAt: '2027-01-31T07:00:00.000Z' });
  });

  it('when an identity leaves out status, scopes and links, then they default', () => {
    const data = dataOf(checkEntry(identityEntry()));
    expect(data).toMatchObject({ status: 'active', scopes: [], links: [] });
  });
});

describe('checkEntry: every problem names the field as the importer labels it', () => {
  it('when an enum value is wrong, then the problem names the label, the line, the choices and the value', () => {
    const entry = apiEntry({ sensitivity: 'top-secret' }, { labels: { sensitivity: 'data_sensitivity' }, fieldLines: { sensitivity: 7 } });
    expect(invalid(checkEntry(entry)).problems).toEqual([
      { at: { file: 'inventory.csv', line: 7 }, field: 'data_sensitivity', message: 'must be one of public, internal, confidential, restricted (got "top-secret")' },
    ]);
  });

  it('when a field has no label, then the problem names our field', () => {
    const problems = invalid(checkEntry(identityEntry({ expiresAt: 'next tuesday' }))).problems;
    expect(problems).toEqual([
      { at: { file: 'inventory.csv', line: 2 }, field: 'expiresAt', message: 'is not an ISO 8601 date or time (e.g. 2027-01-31 or 2027-01-31T09:00:00Z)' },
    ]);
  });

  it('when a nested field has its own label, then the problem names that label', () => {
    const entry = apiEntry({ owner: { accountable: 'not an email' } }, { labels: { 'owner.accountable': 'accountable_email' } });
    expect(invalid(checkEntry(entry)).problems).toEqual([
      { at: { file: 'inventory.csv', line: 2 }, field: 'accountable_email', message: 'is not an email address' },
    ]);
  });

  it('when only the head of a nested field is labelled, then the label is the head’s plus the rest of the path', () => {
    const entry = apiEntry({ owner: { backup: 'nobody' } }, { labels: { owner: 'spec.owner' } });
    expect(invalid(checkEntry(entry)).problems.map((p) => p.field)).toEqual(['spec.owner.backup']);
  });

  it('when the importer gives a line for a nested field, then the problem points at that line', () => {
    const entry = apiEntry(
      { owner: { team: 'payments', accountable: 'not an email' } },
      { labels: { 'owner.accountable': 'metadata.annotations.steward.dev/accountable' }, fieldLines: { owner: 9, 'owner.accountable': 12 } },
    );
    expect(invalid(checkEntry(entry)).problems).toEqual([
      { at: { file: 'inventory.csv', line: 12 }, field: 'metadata.annotations.steward.dev/accountable', message: 'is not an email address' },
    ]);
  });

  it('when an item in a list is wrong, then the label carries its index', () => {
    const entry = apiEntry({ links: [{ relation: 'depends_on', kind: 'api', ref: 'ledger' }, { relation: 'uses', kind: 'api', ref: 'fx' }] }, { labels: { links: 'depends_on' } });
    const problems = invalid(checkEntry(entry)).problems;
    expect(problems.map((p) => p.field)).toEqual(['depends_on[1].relation']);
  });

  it('when several fields are wrong, then each is reported', () => {
    const problems = invalid(checkEntry(identityEntry({ identityKind: 'robot', provider: '', expiresAt: 'soon' }))).problems;
    expect(problems.map((p) => p.field).sort()).toEqual(['expiresAt', 'identityKind', 'provider']);
  });

  it('when a person has a bad email, then the problem names the email field', () => {
    const entry = personEntry('ana-at-acme', {}, { labels: { email: 'spec.profile.email' } });
    expect(invalid(checkEntry(entry)).problems.map((p) => [p.field, p.message])).toEqual([['spec.profile.email', 'is not an email address']]);
  });

  it('when a ref has a space, then it is refused by name', () => {
    const problems = invalid(checkEntry(apiEntry({ ref: 'payments api' }, { labels: { ref: 'metadata.name' } }))).problems;
    expect(problems.map((p) => [p.field, p.message])).toEqual([['metadata.name', 'must not contain spaces']]);
  });
});

describe('checkEntry: secrets are refused and never echoed', () => {
  const secrets: ReadonlyArray<readonly [string, string]> = [
    ['a Slack bot token', secretShapes.slackBotToken()],
    ['a GitHub token', secretShapes.githubClassicToken()],
    ['an AWS secret access key', secretShapes.awsSecretAccessKey()],
    ['a private key block', secretShapes.pemPrivateKey('OPENSSH ')],
    ['a JWT', secretShapes.jwt()],
  ];

  it.each(secrets)('when %s is in a mapped field, then the entry is refused naming the field and not the value', (_what, secret) => {
    const entry = checkEntry(apiEntry({ purpose: `for deploys: ${secret}` }, { labels: { purpose: 'description' }, fieldLines: { purpose: 5 } }));
    const problems = invalid(entry).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ at: { file: 'inventory.csv', line: 5 }, field: 'description' });
    expect(problems[0]?.message).toMatch(/refused and not stored \(value withheld\)$/);
    expect(JSON.stringify(entry)).not.toContain(secret.trim().slice(0, 12));
  });

  it.each(secrets)('when %s is in an enum field, then it is reported once, as a secret, without "got …"', (_what, secret) => {
    const entry = checkEntry(apiEntry({ sensitivity: secret }));
    const problems = invalid(entry).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^looks like /);
    expect(JSON.stringify(entry)).not.toContain(secret.trim().slice(0, 12));
  });

  it('when a secret is in a nested owner field, then the nested label is named', () => {
    const secret = secretShapes.googleApiKey();
    const entry = checkEntry(apiEntry({ owner: { accountable: secret } }, { labels: { 'owner.accountable': 'accountable_email' } }));
    expect(invalid(entry).problems.map((p) => [p.field, p.message])).toEqual([['accountable_email', 'looks like a Google API key; refused and not stored (value withheld)']]);
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('when a secret is in a scope, then the scope is named by its index', () => {
    const secret = secretShapes.githubFineGrainedToken();
    const entry = checkEntry(identityEntry({ scopes: ['repo', secret] }));
    expect(invalid(entry).problems.map((p) => p.field)).toEqual(['scopes[1]']);
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('when a secret is in a field Steward does not keep (unmapped), then the entry is refused naming that field and its line', () => {
    const secret = secretShapes.slackWebhookUrl();
    const entry = checkEntry(apiEntry({}, { unmapped: [['metadata.links[0].url', secret]], fieldLines: { 'metadata.links[0].url': 14 } }));
    expect(invalid(entry).problems).toEqual([
      { at: { file: 'inventory.csv', line: 14 }, field: 'metadata.links[0].url', message: 'looks like a Slack incoming-webhook URL; refused and not stored (value withheld)' },
    ]);
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('when an unmapped column is named like a secret and holds a random value, then it is refused', () => {
    const secret = secretShapes.generatedPassword();
    const entry = checkEntry(identityEntry({}, { unmapped: [['client_secret', secret]] }));
    expect(invalid(entry).problems.map((p) => p.field)).toEqual(['client_secret']);
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('when the source key is a secret, then the entry is refused naming the source key', () => {
    const secret = secretShapes.githubClassicToken();
    const entry = checkEntry(identityEntry({ ref: 'svc-ci-deploy' }, { sourceKey: secret }));
    expect(invalid(entry).problems.map((p) => [p.field, p.message])).toEqual([['source key', 'looks like a GitHub token; refused and not stored (value withheld)']]);
    expect(JSON.stringify(entry)).not.toContain(secret);
  });

  it('when the source key is an ARN-like path, then it is accepted (only token patterns apply to keys)', () => {
    const entry = checkEntry(identityEntry({}, { sourceKey: 'arn:aws:iam::123456789012:user/svc-ci-deploy#access-key-1' }));
    expect(entry.type).toBe('identity');
  });

  it('when a secret and an unrelated bad value come together, then both are reported and the secret still withheld', () => {
    const secret = secretShapes.slackUserToken();
    const entry = checkEntry(apiEntry({ purpose: secret, exposure: 'galactic' }));
    expect(invalid(entry).problems.map((p) => p.field).sort()).toEqual(['exposure', 'purpose']);
    expect(JSON.stringify(entry)).not.toContain(secret);
  });
});

const notText = 'holds a lone UTF-16 surrogate (half of a character, as "\\ud800" writes in JSON or YAML), which is not text; refused';

describe('checkEntry: text that is not Unicode is refused, so what is hashed is what is stored', () => {
  it('when a field holds a lone surrogate, then the entry is refused naming the field and its line', () => {
    const entry = checkEntry(apiEntry({ name: 'Pet\ud800 store' }, { fieldLines: { name: 7 } }));
    expect(invalid(entry).problems).toEqual([{ at: { file: 'inventory.csv', line: 7 }, field: 'name', message: notText }]);
  });

  it('when a lone low surrogate is in a nested owner field or a list, then that field is named', () => {
    const entry = checkEntry(identityEntry({ scopes: ['read', 'write\udc00'], owner: { team: 'pay\udfff' } }));
    expect(invalid(entry).problems.map((p) => [p.field, p.message])).toEqual([
      ['scopes[1]', notText],
      ['owner.team', notText],
    ]);
  });

  it('when a field Steward does not keep holds a lone surrogate, then it is refused too', () => {
    const entry = checkEntry(apiEntry({}, { unmapped: [['cost_centre', 'cc\ud800']] }));
    expect(invalid(entry).problems.map((p) => p.field)).toEqual(['cost_centre']);
  });

  it('when only the source key holds a lone surrogate, then the entry is refused naming the source key', () => {
    const entry = checkEntry(apiEntry({ ref: 'petstore' }, { sourceKey: 'api:pet\ud800' }));
    expect(invalid(entry).problems.map((p) => [p.field, p.message])).toEqual([['source key', notText]]);
  });

  it('when the surrogates are paired (an emoji, a rare CJK character), then the text is kept as it is', () => {
    const data = dataOf(checkEntry(apiEntry({ name: 'Pets \ud83d\udc3e and \u{20BB7}' })));
    expect(data.name).toBe('Pets 🐾 and 𠮷');
  });
});

describe('checkEntry: valid entries', () => {
  it('when every field is good, then the entry keeps its type, location and source key', () => {
    const entry = valid(checkEntry(apiEntry({ ref: 'petstore' }, { at: { file: 'all.yaml', document: 3 }, sourceKey: 'api:default/petstore' })));
    expect(entry).toMatchObject({ type: 'api', at: { file: 'all.yaml', document: 3 }, sourceKey: 'api:default/petstore' });
  });
});
