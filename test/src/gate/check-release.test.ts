import { describe, expect, it } from 'vitest';
import { checkRelease, checkWarnings, type GateItem } from '../../../src/gate/check-release.js';
import { ApiData, IdentityData } from '../../../src/inventory/import-entry.js';
import { defaultPolicy, parsePolicy, type Policy } from '../../../src/policy/policy.js';

const fullOwner = { team: 'payments', accountable: 'ana@acme.example', backup: 'ben@acme.example', approver: 'cho@acme.example' };

function api(line: number, data: Record<string, unknown>): GateItem {
  return { type: 'api', at: { file: 'catalog.yaml', line }, data: ApiData.parse({ ref: `api-${line}`, name: `API ${line}`, ...data }) };
}

function identity(line: number, data: Record<string, unknown>): GateItem {
  return {
    type: 'identity',
    at: { file: 'identities.csv', line },
    data: IdentityData.parse({ ref: `id-${line}`, name: `identity ${line}`, identityKind: 'api_key', provider: 'aws', ...data }),
  };
}

function policyWith(gate: unknown): Policy {
  const parsed = parsePolicy({ gate });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.policy;
}

const problems = (items: GateItem[], policy = defaultPolicy) => checkRelease(items, policy).map((f) => `${f.at.file}:${f.at.line}: ${f.ref}: ${f.problem}`);

describe('checkRelease with the default policy', () => {
  it('when an API has a team, an accountable person and a revocation path, then it passes', () => {
    expect(problems([api(1, { owner: fullOwner, revocationPath: 'https://runbooks.acme.example/revoke' })])).toEqual([]);
  });

  it('when an API has no owner and no revocation path, then each missing field is a finding', () => {
    expect(problems([api(3, {})])).toEqual([
      'catalog.yaml:3: api-3: no owning team',
      'catalog.yaml:3: api-3: no accountable person',
      'catalog.yaml:3: api-3: no revocation path',
    ]);
  });

  it('when an API is owned by a team with no person yet, then only the person is missing', () => {
    expect(problems([api(1, { owner: { team: 'payments' }, revocationPath: 'runbook' })])).toEqual(['catalog.yaml:1: api-1: no accountable person']);
  });

  it('when an identity has an owner, a purpose and an expiry, then it passes', () => {
    expect(problems([identity(2, { owner: fullOwner, purpose: 'CI deploys', expiresAt: '2027-06-30' })])).toEqual([]);
  });

  it('when an identity lacks its lifecycle owner, purpose and expiry, then each is a finding', () => {
    expect(problems([identity(4, {})])).toEqual([
      'identities.csv:4: id-4: no lifecycle owner team',
      'identities.csv:4: id-4: no accountable person',
      'identities.csv:4: id-4: no purpose',
      'identities.csv:4: id-4: no expiry',
    ]);
  });

  it('when several items fail, then findings come in input order', () => {
    const refs = checkRelease([identity(9, { owner: fullOwner, purpose: 'x' }), api(2, { owner: fullOwner })], defaultPolicy).map((f) => f.ref);
    expect(refs).toEqual(['id-9', 'api-2']);
  });
});

describe('checkRelease: items that no longer need an owner', () => {
  it('when an API is decommissioned, then it is skipped', () => {
    expect(problems([api(1, { lifecycle: 'decommissioned' })])).toEqual([]);
  });

  it('when an API is deprecated, then it is still checked', () => {
    expect(problems([api(1, { lifecycle: 'deprecated', owner: fullOwner })])).toEqual(['catalog.yaml:1: api-1: no revocation path']);
  });

  it.each(['revoked', 'decommissioned'])('when an identity is %s, then it is skipped', (status) => {
    expect(problems([identity(1, { status })])).toEqual([]);
  });

  it('when an identity is only disabled, then it is still checked (it can be re-enabled)', () => {
    expect(problems([identity(1, { status: 'disabled', owner: fullOwner, purpose: 'x' })])).toEqual(['identities.csv:1: id-1: no expiry']);
  });
});

describe('checkRelease: the policy decides what is required', () => {
  it('when the policy requires only a purpose of APIs, then an API with a purpose and no owner passes', () => {
    const policy = policyWith({ api: ['purpose'] });
    expect(problems([api(1, { purpose: 'card payments' })], policy)).toEqual([]);
    expect(problems([api(1, {})], policy)).toEqual(['catalog.yaml:1: api-1: no business purpose']);
  });

  it('when the policy requires every API field, then each missing one is named', () => {
    const policy = policyWith({ api: ['owner_team', 'accountable', 'backup', 'approver', 'purpose', 'data_sensitivity', 'exposure', 'auth_method', 'revocation_path', 'lifecycle'] });
    expect(checkRelease([api(1, {})], policy).map((f) => f.problem)).toEqual([
      'no owning team',
      'no accountable person',
      'no backup person',
      'no named approver',
      'no business purpose',
      'no data sensitivity',
      'no exposure',
      'no auth method',
      'no revocation path',
      'no lifecycle',
    ]);
  });

  it('when the policy requires scopes and a recovery procedure of identities, then an identity with empty scopes fails', () => {
    const policy = policyWith({ identity: ['scopes', 'recovery_procedure'] });
    expect(problems([identity(1, { scopes: [] })], policy)).toEqual(['identities.csv:1: id-1: no scopes recorded', 'identities.csv:1: id-1: no recovery procedure']);
    expect(problems([identity(1, { scopes: ['s3:GetObject'], recoveryProcedure: 'rotate in IAM' })], policy)).toEqual([]);
  });

  it('when the policy requires nothing, then nothing fails', () => {
    expect(problems([api(1, {}), identity(2, {})], policyWith({ api: [], identity: [] }))).toEqual([]);
  });
});

describe('checkRelease: a backup who is the accountable person is no backup', () => {
  const sameTwice = { team: 'payments', accountable: 'ana@acme.example', backup: 'ana@acme.example' };

  it.each([
    ['an API', () => api(1, { owner: sameTwice }), 'catalog.yaml:1: api-1'],
    ['an identity', () => identity(1, { owner: sameTwice }), 'identities.csv:1: id-1'],
  ])('when the policy requires a backup and %s names its accountable person as backup, then that is a finding naming them', (_what, item, where) => {
    const policy = policyWith({ api: ['backup'], identity: ['backup'] });

    expect(problems([item()], policy)).toEqual([`${where}: ana@acme.example is both its accountable person and its backup; name another backup`]);
  });

  it('when the policy requires a backup and the backup is someone else, then it passes', () => {
    expect(problems([api(1, { owner: { ...sameTwice, backup: 'ben@acme.example' } })], policyWith({ api: ['backup'] }))).toEqual([]);
  });

  it('when the policy does not require a backup, then the same person twice is no finding (only a warning)', () => {
    expect(problems([api(1, { owner: sameTwice, revocationPath: 'runbook' })])).toEqual([]);
  });
});

describe('checkWarnings: what check warns of, as import does', () => {
  it('when an item names its accountable person as its backup, then it is warned of as import warns of it', () => {
    const items = [api(3, { owner: { team: 'payments', accountable: 'ana@acme.example', backup: 'Ana@Acme.example' } }), identity(4, { owner: fullOwner })];

    expect(checkWarnings(items)).toEqual([
      {
        at: { file: 'catalog.yaml', line: 3 },
        severity: 'warning',
        code: 'owner_backup_is_accountable',
        subject: 'api:api-3',
        message: "api api-3: ana@acme.example is both its accountable person and its backup, so the escalation ladder's backup rung reaches nobody new; name another backup",
      },
    ]);
  });
});
