import { describe, expect, it } from 'vitest';
import { approversFor } from '../../../src/approvals/approvers.js';
import { Policy } from '../../../src/policy/policy.js';
import { ana, paymentsApi, paymentsTeam, zed } from '../../support/approval-fixtures.js';

/*
 * The sentence a card gives for a second approval names the policy's actual reason: public exposure, when the policy
 * asks no second approver for restricted data.
 */

// Restricted data exposed publicly: ana owns it, lena leads its team, zed is the one admin.
const item = paymentsApi({ sensitivity: 'restricted', exposure: 'public', owner: { team: paymentsTeam, accountable: ana, backup: null } });

describe('approversFor: why a second approval is needed', () => {
  it('when only public exposure asks for a second approver, then the card names the exposure, not the data', () => {
    const exposureOnly = Policy.parse({ securityChannel: '#sec', approvals: { secondApproverFor: [], secondApproverForExposure: ['public'] } });
    const answer = approversFor({ kind: 'scope_change', item, requester: ana, proposed: null, admins: [zed] }, exposureOnly);
    expect(answer).toMatchObject({ ok: true, needed: 2 });
    expect(answer.ok && answer.why).toMatch(/A second approval is needed for public exposure\./);
  });
});
