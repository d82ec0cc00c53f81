import type { InputBlock, ModalView, SectionBlock } from '@slack/types';
import { describe, expect, test } from 'vitest';
import { decisionBlockIds, decisionModal, readDecisionSubmission, type SubmittedDecisionView } from '../../../../adapters/slack/blocks/decision-modals.js';
import type { DecisionModalId } from '../../../../adapters/slack/slack-registry.js';
import { checkViewLimits } from '../../../support/block-kit-limits.js';
import { secretShapes } from '../../../support/secret-shapes.js';
import { aStoredApproval, anApprovalItem } from './core-messages.js';

/*
 * The decision modals hold the core's decision rules (src/approvals/decision-input.ts): what Slack sends back in
 * is read by readDecisionForm and decisionFieldErrors, and the errors land on the block they concern.
 */

const source = { channel: 'C0PAYMENTS', ts: '1700000000.000100' };
const inputs = (view: ModalView) => view.blocks.filter((b): b is InputBlock => b.type === 'input');

function submitted(view: ModalView, typed: Record<string, string | null>): SubmittedDecisionView {
  const values = Object.fromEntries(inputs(view).map((b) => [b.block_id as string, { value: { type: 'plain_text_input', value: typed[b.block_id as string] ?? null } }]));
  return { private_metadata: view.private_metadata ?? '', state: { values } };
}

describe('decisionModal', () => {
  test.each<[DecisionModalId, string, boolean]>([
    ['approval.approve', 'Approve', true],
    ['approval.reject', 'Reject', false],
    ['transfer.decline', 'Decline', false],
  ])('when %s is opened, then it shows what is asked, a reason (optional only to approve), within Slack’s limits', (id, submit, reasonOptional) => {
    const view = decisionModal(id, aStoredApproval(), source);

    checkViewLimits(view);
    expect(view.callback_id).toBe(id);
    expect(view.submit?.text).toBe(submit);
    expect(JSON.parse(view.private_metadata ?? '')).toEqual({ requestId: 12, ref: 'ci-deployer', destructive: false, source });
    expect((view.blocks[0] as SectionBlock).text?.text).toBe(
      ['*#12 scope change of identity ci-deployer*', 'Change: scopes contents:read → contents:read contents:write', 'Why: Deploys now publish &lt;artefacts&gt; &amp; tags'].join('\n'),
    );
    expect(inputs(view).map((b) => [b.block_id, b.optional, (b.element as { max_length?: number }).max_length])).toEqual([[decisionBlockIds.reason, reasonOptional, 2000]]);
  });

  test('when approving a decommission is opened, then it asks for the ref typed, required', () => {
    const view = decisionModal('approval.approve', aStoredApproval('decommission'), null);

    checkViewLimits(view);
    expect(inputs(view).map((b) => [b.block_id, b.label.text, b.optional])).toEqual([
      [decisionBlockIds.reason, 'Why? (optional)', true],
      [decisionBlockIds.confirmRef, 'Type ci-deployer to confirm', false],
    ]);
    expect(JSON.parse(view.private_metadata ?? '')).toMatchObject({ destructive: true, source: null });
  });

  test('when rejecting a decommission is opened, then no ref is asked: only approving destroys', () => {
    expect(inputs(decisionModal('approval.reject', aStoredApproval('decommission'), null)).map((b) => b.block_id)).toEqual([decisionBlockIds.reason]);
  });

  test('when the ref is long and full of markup, then the modal still keeps every limit', () => {
    const ref = `<!channel>${'r'.repeat(3000)}`;
    const view = decisionModal('approval.approve', aStoredApproval('decommission', { item: anApprovalItem({ ref }) }), source);
    checkViewLimits(view);
    // Too long to keep in the metadata: the core checks the typed ref when the decision is applied.
    expect(JSON.parse(view.private_metadata ?? '')).toMatchObject({ ref: null, destructive: true });
    expect(readDecisionSubmission('approval.approve', submitted(view, { [decisionBlockIds.confirmRef]: 'rrr' }))).toMatchObject({ ok: true });
  });
});

describe('readDecisionSubmission', () => {
  const approve = decisionModal('approval.approve', aStoredApproval(), source);
  const destroy = decisionModal('approval.approve', aStoredApproval('decommission'), source);
  const reject = decisionModal('approval.reject', aStoredApproval(), source);
  const decline = decisionModal('transfer.decline', aStoredApproval('ownership_transfer'), null);
  const subject = { requestId: 12, ref: 'ci-deployer', destructive: false, source };

  test('when Approve is submitted with nothing typed, then it is an approval with no reason', () => {
    expect(readDecisionSubmission('approval.approve', submitted(approve, {}))).toEqual({ ok: true, decision: { action: 'approve', reason: null, confirmRef: null }, subject });
  });

  test('when a decommission’s approval has the ref typed (case aside, spaces trimmed), then it is read', () => {
    expect(readDecisionSubmission('approval.approve', submitted(destroy, { [decisionBlockIds.confirmRef]: ' CI-Deployer ', [decisionBlockIds.reason]: 'replaced' }))).toMatchObject({
      ok: true,
      decision: { action: 'approve', reason: 'replaced', confirmRef: 'CI-Deployer' },
    });
  });

  test.each<[string, ModalView, DecisionModalId, Record<string, string | null>, Record<string, string>]>([
    ['a decommission approved with the wrong ref', destroy, 'approval.approve', { [decisionBlockIds.confirmRef]: 'payments-api' }, { [decisionBlockIds.confirmRef]: 'That is not ci-deployer: type the item’s ref exactly to confirm.' }],
    ['a decommission approved with no ref', destroy, 'approval.approve', {}, { [decisionBlockIds.confirmRef]: 'Type ci-deployer to confirm: approving retires it.' }],
    ['a rejection with no reason', reject, 'approval.reject', { [decisionBlockIds.reason]: '   ' }, { [decisionBlockIds.reason]: 'Say why: the requester is told.' }],
    ['a decline with no reason', decline, 'transfer.decline', {}, { [decisionBlockIds.reason]: 'Say why: whoever offered it is told.' }],
    ['a reason over the limit', reject, 'approval.reject', { [decisionBlockIds.reason]: 'r'.repeat(2001) }, { [decisionBlockIds.reason]: 'Keep it to 2,000 characters (this is 2,001).' }],
  ])('when the modal holds %s, then the field shows the core’s words and nothing is decided', (_, view, id, typed, errors) => {
    expect(readDecisionSubmission(id, submitted(view, typed))).toEqual({ ok: false, errors });
  });

  test('when a reason holds a pasted secret, then it is refused on its field and never repeated', () => {
    const token = secretShapes.githubClassicToken();
    const result = readDecisionSubmission('approval.reject', submitted(reject, { [decisionBlockIds.reason]: `use ${token}` }));
    expect(result).toEqual({ ok: false, errors: { [decisionBlockIds.reason]: expect.stringMatching(/^That looks like a GitHub token/) } });
    expect(JSON.stringify(result)).not.toContain(token.slice(4));
  });

  test('when a view comes back with metadata Steward did not write, then it is a bug, not a user’s mistake', () => {
    expect(() => readDecisionSubmission('approval.approve', { private_metadata: '{"requestId":"12"}', state: { values: {} } })).toThrow(/did not write/);
    expect(() => readDecisionSubmission('approval.approve', { private_metadata: 'not json', state: { values: {} } })).toThrow(/without its private_metadata/);
  });
});
