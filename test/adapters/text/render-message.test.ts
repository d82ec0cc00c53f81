import { describe, expect, test } from 'vitest';
import { hasLiveActions, renderAddressee, renderMessage } from '../../../adapters/text/render-message.js';
import { attestationActions } from '../../../src/messages/attestation-messages.js';
import { withResolved, type Addressee, type MessageAction, type OutgoingMessage } from '../../../src/messages/outgoing-message.js';

const alice: Addressee = { kind: 'person', personId: 2, email: 'alice@acme.example', displayName: 'Alice Nguyen' };

const prompt: OutgoingMessage = {
  kind: 'attestation_prompt',
  title: '2 items to confirm',
  text: 'Please confirm each item below is still needed.',
  sections: [
    { itemId: 1, itemKind: 'api', itemRef: 'payments-api', itemName: 'Payments API', attestationId: 7, facts: [{ label: 'Purpose', value: 'Takes payments' }, { label: 'Revocation', value: 'runbook' }], actions: attestationActions(7) },
    { itemId: 2, itemKind: 'identity', itemRef: 'ci-token', itemName: 'ci-token', attestationId: 8, facts: [{ label: 'Purpose', value: 'Deploys' }], actions: attestationActions(8) },
  ],
  actions: [{ id: 'attest.confirm_all', label: 'Confirm all 2', value: '7,8', style: 'primary' }],
};

/** Numbers actions in the order they are first seen, as the console does. */
function numbering() {
  const seen: string[] = [];
  return (action: MessageAction) => {
    const key = `${action.id}:${action.value}`;
    if (!seen.includes(key)) seen.push(key);
    return seen.indexOf(key) + 1;
  };
}

describe('renderAddressee', () => {
  test.each([
    [alice, 'Alice Nguyen <alice@acme.example>'],
    [{ kind: 'person', personId: 3, email: 'bo@acme.example', displayName: null }, 'bo@acme.example'],
    [{ kind: 'team_channel', teamId: 1, team: 'payments', channel: '#payments' }, '#payments (team payments)'],
    [{ kind: 'team_channel', teamId: 2, team: 'partners', channel: null }, "team partners's channel (none set)"],
    [{ kind: 'security_channel', channel: '#sec' }, '#sec (the security channel)'],
    [{ kind: 'security_channel', channel: null }, 'the security channel'],
  ] as const)('when the message is for %j, then it reads %s', (addressee, words) => {
    expect(renderAddressee(addressee)).toBe(words);
  });
});

describe('renderMessage', () => {
  test('when a prompt is shown, then it names whom it is for, every fact, and numbers every action', () => {
    expect(renderMessage(prompt, alice, { update: false, numberOf: numbering() }).split('\n')).toEqual([
      '─── To Alice Nguyen <alice@acme.example> ───',
      '2 items to confirm',
      'Please confirm each item below is still needed.',
      '',
      '  payments-api (API) — Payments API',
      '    Purpose     Takes payments',
      '    Revocation  runbook',
      '    [1] Confirm   [2] Update…   [3] Not mine   [4] Decommission   [5] Snooze…',
      '',
      '  ci-token (identity)',
      '    Purpose  Deploys',
      '    [6] Confirm   [7] Update…   [8] Not mine   [9] Decommission   [10] Snooze…',
      '',
      '  [11] Confirm all 2',
    ]);
  });

  test('when an item was resolved, then the update shows its outcome instead of its buttons, and the rest briefly', () => {
    const updated = withResolved(prompt, 'attestation:7', 'Confirmed by alice@acme.example on 2026-12-05');

    const text = renderMessage(updated, alice, { update: true, numberOf: numbering() });

    expect(text).toContain('─── Updated message to Alice Nguyen <alice@acme.example> ───');
    expect(text).toContain('  payments-api (API) — Payments API\n    ✓ Confirmed by alice@acme.example on 2026-12-05\n');
    expect(text).not.toContain('Takes payments');
    expect(text).toMatch(/ci-token \(identity\)\n {4}\[1\] Confirm/);
    expect(hasLiveActions(updated)).toBe(true);
    expect(hasLiveActions(withResolved(updated, 'attestation:8', 'Confirmed'))).toBe(false);
  });

  test('when brief, then a reminder shows no facts, and a warning only its warning; a prompt still shows every fact', () => {
    const reminder: OutgoingMessage = { ...prompt, kind: 'reminder' };
    const warning: OutgoingMessage = {
      kind: 'credential_warning',
      title: '1 credential needs attention',
      text: 'Rotate it.',
      sections: [{ itemId: 2, itemKind: 'identity', itemRef: 'ci-token', itemName: 'ci-token', facts: [{ label: 'Warning', value: 'expires on 2026-12-08' }, { label: 'Purpose', value: 'Deploys' }], actions: [] }],
      actions: [],
    };

    expect(renderMessage(reminder, alice, { update: false, brief: true, numberOf: numbering() })).not.toContain('Purpose');
    expect(renderMessage(warning, alice, { update: false, brief: true, numberOf: numbering() })).toMatch(/ci-token \(identity\)\n {4}Warning {2}expires on 2026-12-08$/);
    expect(renderMessage(prompt, alice, { update: false, brief: true, numberOf: numbering() })).toContain('Revocation  runbook');
  });

  test('when a batch was paged, then the page is named', () => {
    expect(renderMessage({ ...prompt, page: { index: 2, count: 3 } }, alice, { update: false, numberOf: numbering() })).toContain('2 items to confirm (page 2 of 3)');
  });
});
