import { describe, expect, test } from 'vitest';
import { formatExpiry, renderItemDetail, renderWho } from '../../../adapters/text/render-who.js';
import { aPerson, aSummary, aTeam, anApi, anIdentity, detailOf } from '../../support/items.js';

const now = new Date('2026-11-28T09:00:00Z');
const alice = aPerson('alice@example.com', 'Alice Nguyen');
const tom = aPerson('tom@example.com', 'Tom Okafor');
const priya = aPerson('priya@example.com', 'Priya Shah');

describe('renderItemDetail', () => {
  test('when an API has every fact, then each is on its own labelled line, aligned', () => {
    const detail = detailOf(
      anApi({
        owner: { team: aTeam('payments', { name: 'Payments', lead: priya, channel: '#payments' }), accountable: alice, backup: tom, approver: priya, since: '2026-10-01T09:00:00.000Z' },
        system: 'checkout',
      }),
      {
        links: [
          { direction: 'out', relation: 'depends_on', kind: 'api', ref: 'ledger-api', name: 'Ledger API' },
          { direction: 'out', relation: 'depends_on', kind: 'api', ref: 'fx-api', name: null },
          { direction: 'in', relation: 'serves', kind: 'identity', ref: 'gateway-client', name: 'Gateway client' },
        ],
        history: [{ team: 'checkout', accountable: 'sam@example.com', backup: null, approver: null, fromAt: null, toAt: '2026-10-01T09:00:00.000Z' }],
        suggestions: [{ source: 'codeowners:CODEOWNERS', owners: ['@acme/payments'], team: 'payments', reason: 'services/payments/ matches line 4' }],
        lastAttestation: { at: '2026-11-02T10:00:00.000Z', outcome: 'attested', by: 'alice@example.com' },
      },
    );

    expect(renderItemDetail(detail, priya, now)).toBe(
      [
        'payments-api (API) — Payments API',
        '  Owning team:     payments (Payments), #payments',
        '  Accountable:     Alice Nguyen <alice@example.com>',
        '  Backup:          Tom Okafor <tom@example.com>',
        '  Approver:        Priya Shah <priya@example.com>',
        '  Purpose:         Takes card payments',
        '  Sensitivity:     restricted',
        '  Exposure:        public',
        '  Auth method:     OAuth 2.0',
        '  Revocation path: https://runbooks.example/revoke',
        '  Lifecycle:       production, system checkout',
        '  Linked:          depends on api ledger-api; depends on api fx-api (not in the inventory); served by identity gateway-client',
        '  Last attested:   2026-11-02 attested by alice@example.com',
        '  Owner since:     2026-10-01',
        '  Source:          backstage:catalog.yaml (api:default/payments-api), last seen 2026-11-01',
        '  Earlier owner:   checkout / sam@example.com until 2026-10-01',
        '  Suggested owner: @acme/payments — services/payments/ matches line 4 (codeowners:CODEOWNERS)',
      ].join('\n'),
    );
  });

  test('when an identity is shown, then its kind, scopes, expiry, dates, last use and recovery are', () => {
    const detail = detailOf(
      anIdentity({
        scopes: ['contents:read', 'deployments:write'],
        expiresAt: '2026-12-08T00:00:00.000Z',
        lastRotatedAt: '2026-09-15T00:00:00.000Z',
        lastUsedAt: '2026-11-27T13:00:00.000Z',
        lastUsedService: 'github-actions',
        recoveryProcedure: 'Regenerate in GitHub settings',
      }),
    );

    expect(renderItemDetail(detail, null, now)).toBe(
      [
        'ci-deploy-token (identity) — CI deploy token',
        '  Owning team:   payments',
        '  Accountable:   Alice <alice@example.com>',
        '  Backup:        —',
        '  Approver:      —',
        '  Purpose:       Deploys the checkout service',
        '  Kind:          token (github), active',
        '  Scopes:        contents:read deployments:write',
        '  Expires:       2026-12-08 (in 9 days)',
        '  Created:       2026-09-01',
        '  Last rotated:  2026-09-15',
        '  Last used:     2026-11-27 (github-actions)',
        '  Recovery:      Regenerate in GitHub settings',
        '  Linked:        —',
        '  Last attested: never',
        '  Owner since:   2026-10-01',
        '  Source:        csv:identities.csv (ci-deploy-token), last seen 2026-11-01',
      ].join('\n'),
    );
  });

  test('when an identity has no expiry, no use recorded and no scopes, then it says so rather than leaving blanks', () => {
    const detail = detailOf(anIdentity({ expiresAt: null, scopes: [], lastUsedAt: null }));

    const text = renderItemDetail(detail, null, now);

    expect(text).toContain('  Expires:       never\n');
    expect(text).toContain('  Last used:     never recorded\n');
    expect(text).toContain('  Scopes:        —\n');
  });

  test('when the approver is the team lead by policy, then it says so', () => {
    const detail = detailOf(anApi({ owner: { team: aTeam('payments', { lead: priya }), accountable: alice, backup: null, approver: null, since: null } }));

    expect(renderItemDetail(detail, priya, now)).toContain('Approver:        Priya Shah <priya@example.com> (team lead, by policy)');
  });

  test.each([
    {
      state: 'a team owns it but names no person',
      owner: { team: aTeam('partner-integrations'), accountable: null },
      warning: '  ! team-owned, no accountable person yet: partner-integrations should name one',
    },
    { state: 'nobody owns it', owner: { team: null, accountable: null }, warning: '  ! unowned: no owning team and no accountable person' },
    { state: 'a person owns it without a team', owner: { team: null, accountable: alice }, warning: '  ! no owning team' },
    {
      state: 'the accountable person has left',
      owner: { team: aTeam('payments'), accountable: aPerson('gone@example.com', null, false) },
      warning: '  ! the accountable person gone@example.com is no longer active',
    },
  ])('when $state, then the detail ends with a warning', ({ owner, warning }) => {
    const detail = detailOf(anApi({ owner: { backup: null, approver: null, since: null, ...owner } }));

    expect(renderItemDetail(detail, null, now).split('\n').at(-1)).toBe(warning);
  });

  test('when the accountable person has left, then the Accountable line marks them inactive', () => {
    const detail = detailOf(anApi({ owner: { team: aTeam('payments'), accountable: aPerson('gone@example.com', 'Gone Person', false), backup: null, approver: null, since: null } }));

    expect(renderItemDetail(detail, null, now)).toContain('Accountable:     Gone Person <gone@example.com> (inactive)');
  });

  test('when the item vanished from its source, then it says from which and when', () => {
    const item = anApi();
    const detail = detailOf({ ...item, provenance: { ...item.provenance, vanishedAt: '2026-11-20T09:00:00.000Z' } });

    expect(renderItemDetail(detail, null, now)).toMatch(/\n {2}! vanished from backstage:catalog\.yaml on 2026-11-20$/);
  });
});

describe('formatExpiry', () => {
  test.each([
    { expiresAt: null, shown: 'never' },
    { expiresAt: '2026-11-29T10:00:00.000Z', shown: '2026-11-29 (in 1 day)' },
    { expiresAt: '2027-01-28T09:00:00.000Z', shown: '2027-01-28 (in 61 days)' },
    { expiresAt: '2026-11-27T09:00:00.000Z', shown: '2026-11-27 (expired 1 day ago)' },
    { expiresAt: '2026-10-01T00:00:00.000Z', shown: '2026-10-01 (expired 59 days ago)' },
  ])('when a credential expires at $expiresAt, then it reads "$shown"', ({ expiresAt, shown }) => {
    expect(formatExpiry(expiresAt, now)).toBe(shown);
  });
});

describe('renderWho', () => {
  test('when the query is ambiguous, then every candidate is listed by kind and ref, with its name', () => {
    const text = renderWho(
      {
        kind: 'ambiguous',
        query: 'pay',
        candidates: [aSummary('payments-api', { name: 'Payments API' }), aSummary('payments-s3-exports', { kind: 'identity', name: 'Settlement export key' })],
        more: false,
      },
      now,
    );

    expect(text).toBe(['"pay" matches 2 items; say which:', '  api:payments-api — Payments API', '  identity:payments-s3-exports — Settlement export key'].join('\n'));
  });

  test('when more candidates match than are shown, then it says "more than"', () => {
    const text = renderWho({ kind: 'ambiguous', query: 'a', candidates: [aSummary('a1'), aSummary('a2')], more: true }, now);

    expect(text.split('\n')[0]).toBe('"a" matches more than 2 items; say which:');
  });

  test('when nothing matches, then the nearest refs are suggested, or it says plainly that nothing matches', () => {
    expect(renderWho({ kind: 'not_found', query: 'paymnts', nearest: [aSummary('payments-api', { name: 'Payments API' })] }, now)).toBe(
      ['Nothing matches "paymnts". Did you mean:', '  api:payments-api — Payments API'].join('\n'),
    );
    expect(renderWho({ kind: 'not_found', query: 'zzz', nearest: [] }, now)).toBe('Nothing matches "zzz".');
  });
});
