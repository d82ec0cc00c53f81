import { describe, expect, it } from 'vitest';
import { backupIsAccountable, mergeOwnerClaim, ownerAfterImport, sameOwner, type OwnerRoles, type OwnerRolesClaim } from '../../../src/inventory/merge-owner-claim.js';

const nobody: OwnerRoles<string> = { team: null, accountable: null, backup: null, approver: null };
const payments: OwnerRoles<string> = { team: 'payments', accountable: 'ana', backup: 'ben', approver: 'cho' };

describe('mergeOwnerClaim', () => {
  const cases: ReadonlyArray<readonly [string, OwnerRoles<string>, OwnerRolesClaim<string>, OwnerRoles<string>]> = [
    ['a source states a whole owner for an unowned item', nobody, { team: 'payments', accountable: 'ana', backup: 'ben', approver: 'cho' }, payments],
    ['a source states nothing', payments, {}, payments],
    ['a source names only the same team', payments, { team: 'payments' }, payments],
    ['a source names the same team and a new accountable person', payments, { team: 'payments', accountable: 'dev' }, { ...payments, accountable: 'dev' }],
    ['a source names only a new accountable person', payments, { accountable: 'dev' }, { ...payments, accountable: 'dev' }],
    ['a source names only a new backup', payments, { backup: 'eve' }, { ...payments, backup: 'eve' }],
    ['a source moves the item to another team without people', payments, { team: 'ledger' }, { team: 'ledger', accountable: null, backup: null, approver: null }],
    ['a source moves the item to another team with a person', payments, { team: 'ledger', accountable: 'fay' }, { team: 'ledger', accountable: 'fay', backup: null, approver: null }],
    ['a source names a team for a team-less item owned by a person', { ...nobody, accountable: 'ana' }, { team: 'payments' }, { ...nobody, team: 'payments' }],
    ['a source names only a person for an unowned item', nobody, { accountable: 'ana' }, { ...nobody, accountable: 'ana' }],
    ['a claim leaves a role explicitly undefined', payments, { team: 'payments', backup: undefined }, payments],
  ];

  it.each(cases)('when %s, then the owner is as expected', (_what, current, claim, expected) => {
    expect(mergeOwnerClaim(current, claim)).toEqual(expected);
  });
});

describe('sameOwner', () => {
  it('when every role matches, then the owners are the same', () => {
    expect(sameOwner(payments, { ...payments })).toBe(true);
  });

  it.each(['team', 'accountable', 'backup', 'approver'] as const)('when only %s differs, then the owners differ', (role) => {
    expect(sameOwner(payments, { ...payments, [role]: 'someone-else' })).toBe(false);
  });
});

describe('backupIsAccountable', () => {
  it.each([
    [{ team: 't', accountable: 'ana', backup: 'ana', approver: null }, true],
    [{ team: 't', accountable: 'ana', backup: 'bo', approver: 'ana' }, false],
    [{ team: 't', accountable: null, backup: null, approver: null }, false],
    [{ team: 't', accountable: null, backup: 'bo', approver: null }, false],
  ] as const)('when the owner is %j, then the backup is the accountable person: %s', (owner, expected) => {
    expect(backupIsAccountable(owner)).toBe(expected);
  });
});

describe('ownerAfterImport', () => {
  const active = (...people: string[]) => (person: string) => people.includes(person);
  const handedToBen: OwnerRoles<string> = { ...payments, accountable: 'ben', backup: null };

  it('when the source names someone new, then they take over', () => {
    expect(ownerAfterImport(payments, { accountable: 'dev' }, active('ana', 'dev'))).toEqual({ ...payments, accountable: 'dev' });
  });

  it('when the source still names a leaver the backup took over from, then the backup stays accountable', () => {
    expect(ownerAfterImport(handedToBen, { team: 'payments', accountable: 'ana', backup: 'ben' }, active('ben'))).toEqual({ ...payments, accountable: 'ben', backup: 'ben' });
  });

  it('when the one who took over has left too, then the source is followed', () => {
    expect(ownerAfterImport(handedToBen, { accountable: 'ana' }, active())).toEqual({ ...handedToBen, accountable: 'ana' });
  });

  it('when nobody was accountable, then the source is followed even if it names a leaver', () => {
    expect(ownerAfterImport(nobody, { team: 'payments', accountable: 'ana' }, active())).toEqual({ ...nobody, team: 'payments', accountable: 'ana' });
  });
});
