import { describe, expect, it } from 'vitest';
import type { ApprovalItem } from '../../../src/approvals/approval-request.js';
import { approversFor } from '../../../src/approvals/approvers.js';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import { Policy } from '../../../src/policy/policy.js';

/*
 * The sentence a card gives for a second approval names the policy's actual reason: public exposure, when the policy
 * asks no second approver for restricted data.
 */

const person = (id: number, name: string): TickPerson => ({ id, email: `${name}@acme.example`, displayName: null, active: true });
const ana = person(1, 'ana');
const lena = person(4, 'lena');
const zed = person(6, 'zed');

const item: ApprovalItem = {
  id: 100,
  kind: 'api',
  ref: 'payments-api',
  name: 'Payments API',
  sensitivity: 'restricted',
  exposure: 'public',
  identityKind: null,
  status: null,
  lifecycle: 'production',
  scopes: [],
  revocationPath: null,
  recoveryProcedure: null,
  owner: { team: { id: 10, slug: 'payments', channel: '#payments', lead: lena }, accountable: ana, backup: null },
  approver: null,
  vanished: false,
};

describe('approversFor: why a second approval is needed', () => {
  it('when only public exposure asks for a second approver, then the card names the exposure, not the data', () => {
    const exposureOnly = Policy.parse({ securityChannel: '#sec', approvals: { secondApproverFor: [], secondApproverForExposure: ['public'] } });
    const answer = approversFor({ kind: 'scope_change', item, requester: ana, proposed: null, admins: [zed] }, exposureOnly);
    expect(answer).toMatchObject({ ok: true, needed: 2 });
    expect(answer.ok && answer.why).toMatch(/A second approval is needed for public exposure\./);
  });
});
