import { describe, expect, test } from 'vitest';
import { describeEvent, renderHistory } from '../../../adapters/text/render-history.js';

describe('describeEvent', () => {
  test.each([
    ['attestation.opened', { attestation: 7, person: 'alice@acme.example', dueAt: '2026-12-12T09:00:00.000Z' }, 'asked alice@acme.example to confirm it (attestation 7), due 2026-12-12'],
    ['attestation.reminded', { attestation: 7, person: 'alice@acme.example', reminder: 2 }, 'reminded alice@acme.example (reminder 2)'],
    ['attestation.escalated', { attestation: 7, level: 1, to: 'person:3', recipient: 'tom@acme.example' }, 'escalated to tom@acme.example (level 1)'],
    ['attestation.escalated', { attestation: 7, level: 4, to: 'security' }, 'escalated to security (level 4)'],
    ['attestation.expired', { attestation: 7 }, 'nobody answered: attestation 7 expired'],
    ['attestation.answered', { attestation: 7, outcome: 'attested', changes: { purpose: ['Old', 'New'] }, note: 'moved' }, 'confirmed (attestation 7); purpose: "Old" → "New"; note: moved'],
    ['attestation.answered', { attestation: 7, outcome: 'snoozed', snoozedUntil: '2026-12-20T09:00:00.000Z', note: 'vendor' }, 'snoozed it (attestation 7); until 2026-12-20; note: vendor'],
    ['attestation.answered', { attestation: 7, outcome: 'disputed', suggestedOwner: 'bo@acme.example' }, 'said it is not theirs (attestation 7); suggests bo@acme.example'],
    ['attestation.answer_refused', { attestation: 7, code: 'not_owner' }, 'refused an answer: not theirs to answer'],
    ['queue.added', { queue: 'security', reason: 'attestation_expired', detail: null }, 'put in the security queue: attestation expired'],
    ['credential.expiry_warned', { expiresAt: '2026-12-08T00:00:00.000Z', offsetDays: 7 }, 'warned: expires 2026-12-08 (the 7-day warning)'],
    ['credential.expiry_warned', { expiresAt: '2026-12-08T00:00:00.000Z', offsetDays: 0 }, 'warned: expired on 2026-12-08'],
    ['item.owner_changed', { reason: 'claimed', to: { team: 'data', accountable: 'lena@acme.example' } }, 'owner changed (claimed): now data / lena@acme.example'],
    ['something.new', { a: 1 }, 'something.new {"a":1}'],
  ])('when the event is %s %j, then it reads "%s"', (action, details, words) => {
    expect(describeEvent({ action, details })).toBe(words);
  });
});

describe('renderHistory', () => {
  test('when the trail has events, then each is a line with its time and actor, and a cut trail says so', () => {
    const text = renderHistory('payments-api (API)', {
      total: 5,
      events: [
        { id: 4, at: '2026-12-05T09:00:00.000Z', actor: 'steward:tick', action: 'attestation.opened', details: { attestation: 7, person: 'alice@acme.example', dueAt: '2026-12-12T09:00:00.000Z' } },
        { id: 5, at: '2026-12-06T10:30:00.000Z', actor: 'bob@acme.example', action: 'attestation.answer_refused', details: { attestation: 7, code: 'not_owner' } },
      ],
    });

    expect(text.split('\n')).toEqual([
      'payments-api (API): 5 audit events (the last 2 shown)',
      '  2026-12-05 09:00 UTC  steward:tick      asked alice@acme.example to confirm it (attestation 7), due 2026-12-12',
      '  2026-12-06 10:30 UTC  bob@acme.example  refused an answer: not theirs to answer',
    ]);
  });

  test('when the trail is empty, then it says so', () => {
    expect(renderHistory('ci-token (identity)', { total: 0, events: [] })).toBe('ci-token (identity): no audit events yet.');
  });
});
