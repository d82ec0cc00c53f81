import { describe, expect, it } from 'vitest';
import type { ApprovalItem, ApprovalKind } from '../../../src/approvals/approval-request.js';
import { approvalsComplete, approversFor, approverOfRecord, needsSecondApprover, type Approvers } from '../../../src/approvals/approvers.js';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import type { Exposure, Sensitivity } from '../../../src/model/vocabulary.js';
import { Policy } from '../../../src/policy/policy.js';
import { ana, ben, cy, lena, nina, paymentsApi, paymentsTeam, tom, yan, zed } from '../../support/approval-fixtures.js';

/*
 * Who approves a request, as a table: the kind × the item's sensitivity and exposure × who asks → the approvers
 * (emails, in order: the approver of record first), how many approvals are needed, and where the card is posted.
 */

const policy = Policy.parse({ securityChannel: '#sec' });

// ana is the accountable owner, ben the backup, nina a named approver, lena the team lead, tom a team member, zed and
// yan security admins, cy someone in another team, offered items.
const left = (p: TickPerson): TickPerson => ({ ...p, active: false });

const people = { ana, ben, nina, lena, tom, zed, yan, cy } as const;
type Name = keyof typeof people;

interface Setup {
  readonly sensitivity?: Sensitivity | null;
  readonly exposure?: Exposure | null;
  /** The item's named approver; none when left out. */
  readonly approver?: TickPerson | null;
  readonly lead?: TickPerson | null;
  readonly admins?: readonly TickPerson[];
}

function item(setup: Setup = {}): ApprovalItem {
  return paymentsApi({
    sensitivity: setup.sensitivity === undefined ? 'internal' : setup.sensitivity,
    exposure: setup.exposure === undefined ? 'internal' : setup.exposure,
    owner: { team: { ...paymentsTeam, lead: setup.lead === undefined ? lena : setup.lead }, accountable: ana, backup: ben },
    approver: setup.approver ?? null,
  });
}

function approvers(kind: ApprovalKind, requester: TickPerson, setup: Setup = {}, proposed: TickPerson | null = null, withPolicy: Policy = policy): Approvers {
  return approversFor({ kind, item: item(setup), requester, proposed, admins: setup.admins ?? [zed, yan] }, withPolicy);
}

/** The answer as a row reads: `team: nina, lena (2)`, or `refused`. */
function summary(answer: Approvers): string {
  if (!answer.ok) return 'refused';
  return `${answer.where}: ${answer.approvers.map((p) => p.email.split('@')[0]).join(', ') || '—'} (${answer.needed})`;
}

describe('approversFor: kind × sensitivity × exposure × who asks', () => {
  it.each<[string, ApprovalKind, Sensitivity, Exposure, Name, Setup, string]>([
    // One approval: the named approver, else the team lead (the policy's default approver).
    ['the owner asks, a named approver decides', 'scope_change', 'internal', 'internal', 'ana', { approver: nina }, 'team: nina (1)'],
    ['the owner asks, no named approver: the team lead decides', 'scope_change', 'internal', 'internal', 'ana', {}, 'team: lena (1)'],
    ['the backup asks a rotation', 'rotation', 'confidential', 'partner', 'ben', {}, 'team: lena (1)'],
    ['a team member asks a decommission', 'decommission', 'internal', 'internal', 'tom', { approver: nina }, 'team: nina (1)'],
    ['a security admin asks: they are only a requester', 'exception', 'internal', 'internal', 'zed', {}, 'team: lena (1)'],
    ['the team lead asks, a named approver decides', 'scope_change', 'internal', 'internal', 'lena', { approver: nina }, 'team: nina (1)'],
    // The requester is the approver of record: the security admins decide.
    ['the named approver asks for it themselves', 'exception', 'internal', 'internal', 'nina', { approver: nina }, 'security: zed, yan (1)'],
    ['the team lead asks and is the default approver', 'scope_change', 'internal', 'internal', 'lena', {}, 'security: zed, yan (1)'],
    // Restricted data or public exposure: a second approver (the lead, else an admin).
    ['restricted data, named approver: the lead and the admins can be second', 'scope_change', 'restricted', 'internal', 'ana', { approver: nina }, 'team: nina, lena, zed, yan (2)'],
    ['restricted data, the lead is the approver of record: an admin is second', 'scope_change', 'restricted', 'internal', 'ana', {}, 'team: lena, zed, yan (2)'],
    ['public exposure, internal data', 'decommission', 'internal', 'public', 'ben', { approver: nina }, 'team: nina, lena, zed, yan (2)'],
    ['confidential data, partner exposure: one is enough', 'rotation', 'confidential', 'partner', 'ana', { approver: nina }, 'team: nina (1)'],
    ['restricted data, the lead asks: an admin stands in for the lead', 'exception', 'restricted', 'internal', 'lena', { approver: nina }, 'team: nina, zed, yan (2)'],
    ['restricted data, an admin asks: the other admin may be second', 'exception', 'restricted', 'internal', 'zed', { approver: nina }, 'team: nina, lena, yan (2)'],
    ['restricted data, the lead asks and is the default approver', 'scope_change', 'restricted', 'public', 'lena', {}, 'security: zed, yan (2)'],
    ['restricted data to the security channel with one admin: one approval', 'scope_change', 'restricted', 'internal', 'lena', { admins: [zed] }, 'security: zed (1)'],
    // People who have left.
    ['the named approver has left', 'scope_change', 'internal', 'internal', 'ana', { approver: left(nina) }, 'security: zed, yan (1)'],
    ['the team lead (default approver) has left', 'rotation', 'internal', 'internal', 'ana', { lead: left(lena) }, 'security: zed, yan (1)'],
    ['restricted data, the lead has left: an admin is second', 'scope_change', 'restricted', 'internal', 'ana', { approver: nina, lead: left(lena) }, 'team: nina, zed, yan (2)'],
    ['restricted data, one admin has left', 'scope_change', 'restricted', 'internal', 'ana', { admins: [left(zed), yan] }, 'team: lena, yan (2)'],
    ['the team has no lead and the item no approver', 'decommission', 'internal', 'internal', 'ana', { lead: null }, 'security: zed, yan (1)'],
    // Restricted data with nobody to give a second approval: the approver of record alone, the card saying why.
    ['restricted data with no second approver anywhere', 'scope_change', 'restricted', 'internal', 'ana', { admins: [] }, 'team: lena (1)'],
    // Nobody but the requester could decide: refused, not left for nobody.
    ['the lead asks, is the default approver, and there are no admins', 'scope_change', 'internal', 'internal', 'lena', { admins: [] }, 'refused'],
    ['the lead asks and is also the only admin', 'scope_change', 'internal', 'internal', 'lena', { admins: [lena] }, 'refused'],

    ['the only admin has left and the approver asks', 'exception', 'internal', 'internal', 'nina', { approver: nina, admins: [left(zed)] }, 'refused'],
  ])('when %s (%s, %s data, %s exposure, asked by %s), then %s', (_, kind, sensitivity, exposure, requester, setup, expected) => {
    expect(summary(approvers(kind, people[requester], { sensitivity, exposure, ...setup }))).toBe(expected);
  });

  it.each<[string, Sensitivity, Name, Name, Setup, string]>([
    ['the accountable person offers it: both sides agree, no approver', 'internal', 'ana', 'cy', {}, 'team: — (0)'],
    ['the accountable person offers restricted data: still no approver', 'restricted', 'ana', 'cy', {}, 'team: — (0)'],
    ['the backup offers it: the approver of record decides', 'internal', 'ben', 'cy', {}, 'team: lena (1)'],
    ['the lead offers it to someone: the named approver decides', 'internal', 'lena', 'cy', { approver: nina }, 'team: nina (1)'],
    ['it is offered to the approver of record: the admins decide', 'internal', 'ben', 'lena', {}, 'security: zed, yan (1)'],
    ['restricted data offered to an admin: the other admin may be second', 'restricted', 'ben', 'zed', {}, 'team: lena, yan (2)'],
    ['restricted data offered to the lead: the lead is not second', 'restricted', 'ben', 'lena', { approver: nina }, 'team: nina, zed, yan (2)'],
  ])('when a transfer is offered and %s (%s data, by %s, to %s), then %s', (_, sensitivity, requester, proposed, setup, expected) => {
    const answer = approvers('ownership_transfer', people[requester], { sensitivity, ...setup }, people[proposed]);
    expect(summary(answer)).toBe(expected);
    expect(answer.ok && answer.approvers.map((p) => p.id)).not.toContain(people[proposed].id);
  });

  it.each<[string, Name, Setup]>([
    ['a named approver', 'ana', { approver: nina }],
    ['the default approver', 'ben', {}],
    ['restricted data', 'ana', { sensitivity: 'restricted', approver: nina }],
    ['the security channel', 'lena', {}],
  ])('when the card goes to %s, then the requester is never among its approvers', (_, requester, setup) => {
    const answer = approvers('scope_change', people[requester], setup);
    expect(answer.ok).toBe(true);
    expect(answer.ok && answer.approvers.map((p) => p.id)).not.toContain(people[requester].id);
  });
});

describe('approversFor: the sentence the card shows', () => {
  it.each<[string, Name, Setup, RegExp]>([
    ['a named approver', 'ana', { approver: nina }, /^nina@acme\.example decides as the item’s named approver\.$/],
    ['the default approver', 'ana', {}, /^lena@acme\.example decides as the owning team’s lead \(the policy’s default approver\)\.$/],
    ['restricted data', 'ana', { sensitivity: 'restricted' }, /A second approval is needed for restricted data\./],
    ['public exposure', 'ana', { exposure: 'public' }, /A second approval is needed for public exposure\./],
    ['an approver who left', 'ana', { approver: left(nina) }, /security channel because its approver nina@acme\.example has left; the security admins decide\./],
    ['an approver who asked', 'nina', { approver: nina }, /because its approver nina@acme\.example asked for it/],
    ['no approver at all', 'ana', { lead: null }, /because the item has no approver of record/],
    ['one admin for two approvals', 'lena', { sensitivity: 'restricted', admins: [zed] }, /Only one security admin can decide, so one approval is enough\./],
  ])('when it goes to %s, then the card says why', (_, requester, setup, why) => {
    const answer = approvers('scope_change', people[requester], setup);
    expect(answer.ok && answer.why).toMatch(why);
  });

  it('when the transfer goes to the admins because the approver is the proposed owner, then the card says so', () => {
    const answer = approvers('ownership_transfer', ben, {}, lena);
    expect(answer.ok && answer.why).toMatch(/its approver lena@acme\.example is the proposed owner/);
  });

  it('when a transfer needs no approver, then the card says both sides agree', () => {
    const answer = approvers('ownership_transfer', ana, {}, cy);
    expect(answer.ok && answer.why).toBe('ana@acme.example offers it and the proposed owner accepts: both sides agree, so no approver is needed.');
  });

  it('when the request is refused, then the words name the item and the requester and say what to do', () => {
    const answer = approvers('scope_change', lena, { admins: [] });
    expect(answer).toEqual({
      ok: false,
      text: "Nobody but you could approve this for payments-api: name an approver for it in the inventory, or ask Steward's admins (the policy's `admins`) to add a security lead who is not lena@acme.example.",
    });
  });
});

describe('approversFor: the policy decides the default approver and when a second one is needed', () => {
  it('when the default approver is none and the item names nobody, then the admins decide in the security channel', () => {
    const none = Policy.parse({ securityChannel: '#sec', approvals: { defaultApprover: 'none' } });
    expect(summary(approvers('scope_change', ana, {}, null, none))).toBe('security: zed, yan (1)');
    expect(summary(approvers('scope_change', ana, { admins: [] }, null, none))).toBe('refused');
  });

  it('when the policy asks a second approver for confidential data too, then confidential data gets two', () => {
    const strict = Policy.parse({ securityChannel: '#sec', approvals: { secondApproverFor: ['confidential', 'restricted'] } });
    expect(summary(approvers('rotation', ana, { sensitivity: 'confidential', approver: nina }, null, strict))).toBe('team: nina, lena, zed, yan (2)');
    expect(summary(approvers('rotation', ana, { sensitivity: 'confidential', approver: nina }))).toBe('team: nina (1)');
  });

  it.each<[Sensitivity | null, Exposure | null, boolean]>([
    ['restricted', 'internal', true],
    ['internal', 'public', true],
    ['confidential', 'partner', false],
    [null, null, false],
    [null, 'public', true],
  ])('when the item holds %s data with %s exposure, then a second approver is needed: %s', (sensitivity, exposure, expected) => {
    expect(needsSecondApprover({ sensitivity, exposure }, policy)).toBe(expected);
  });

  it('when the item names an approver, then they are the approver of record whatever the policy; else the lead, unless the policy says none', () => {
    const none = Policy.parse({ securityChannel: '#sec', approvals: { defaultApprover: 'none' } });
    expect(approverOfRecord(item({ approver: nina }), none)).toBe(nina);
    expect(approverOfRecord(item(), policy)).toBe(lena);
    expect(approverOfRecord(item(), none)).toBeNull();
  });
});

describe('approvalsComplete: enough approvals, the approver of record among them when posted to the team', () => {
  const ids = (...names: Name[]) => names.map((n) => people[n].id);
  it.each<[string, Name[], number, 'team' | 'security' | null, Name[], boolean]>([
    ['one needed, none given', ['nina'], 1, 'team', [], false],
    ['one needed, the approver of record gave it', ['nina'], 1, 'team', ['nina'], true],
    ['two needed, the approver of record and an admin', ['nina', 'lena', 'zed'], 2, 'team', ['zed', 'nina'], true],
    ['two needed, the lead and an admin but not the approver of record', ['nina', 'lena', 'zed'], 2, 'team', ['lena', 'zed'], false],
    ['two needed, only the approver of record', ['nina', 'lena', 'zed'], 2, 'team', ['nina'], false],
    ['two needed in the security channel, any two admins', ['zed', 'yan'], 2, 'security', ['yan', 'zed'], true],
    ['one needed in the security channel, any admin', ['zed', 'yan'], 1, 'security', ['yan'], true],
    ['two needed in the security channel, one given', ['zed', 'yan'], 2, 'security', ['yan'], false],
    ['a transfer its owner offered (none needed)', [], 0, 'team', [], true],
  ])('when %s, then complete is %s', (_, approverNames, needed, where, approvedBy, expected) => {
    expect(approvalsComplete(approverNames.map((n) => people[n]), needed, where, ids(...approvedBy))).toBe(expected);
  });
});
