import { describe, expect, test } from 'vitest';
import { decisionRecord, listedDecisions, renderTickReport } from '../../../adapters/text/render-tick.js';
import type { TickReport } from '../../../src/attestation/run-tick.js';
import type { TickDecision } from '../../../src/attestation/tick-state.js';

const at = '2026-12-05T09:00:00.000Z';
const opened: TickDecision = {
  type: 'open_attestation',
  id: 7,
  itemId: 1,
  ref: 'payments-api',
  personId: 2,
  person: 'alice@acme.example',
  reason: 'scheduled',
  dueAt: '2026-12-12T09:00:00.000Z',
  nextActionAt: '2026-12-07T09:00:00.000Z',
  facts: { purpose: 'Takes payments', linked: [] },
};
const escalated: TickDecision = { type: 'escalate', attestationId: 3, itemId: 4, ref: 'ledger-api', level: 2, target: 'person:1', to: 'priya@acme.example', nextActionAt: null };
const scheduled: TickDecision = { type: 'schedule', itemId: 1, ref: 'payments-api', nextAttestationAt: null, nextCheckAt: null };
const report = (decisions: TickDecision[], dryRun = false): TickReport => ({ at, decisions, messages: 2, dryRun });

describe('decisionRecord (tick --json)', () => {
  test.each([
    [opened, { type: 'open_attestation', item: 'payments-api', person: 'alice@acme.example', level: null, id: 7, itemId: 1, reason: 'scheduled' }],
    [escalated, { type: 'escalate', item: 'ledger-api', person: 'priya@acme.example', level: 2, attestationId: 3, target: 'person:1' }],
    [{ type: 'reassign', itemId: 5, ref: 'ci-token', from: 'ana@acme.example', toPersonId: 9, to: 'bo@acme.example' } as const, { type: 'reassign', item: 'ci-token', person: 'bo@acme.example', level: null, from: 'ana@acme.example' }],
    [{ type: 'leaver_handled', personId: 3, person: 'ana@acme.example', items: 2 } as const, { type: 'leaver_handled', item: null, person: 'ana@acme.example', level: null, items: 2 }],
    [{ type: 'flag', itemId: 6, ref: 'sftp-key', code: 'stale', detail: 'unused' } as const, { type: 'flag', item: 'sftp-key', person: null, level: null, code: 'stale' }],
  ])('when the decision is a %s, then the line names the item, the person and the level', (decision, expected) => {
    expect(decisionRecord(decision)).toMatchObject(expected);
  });

  test('when the decision carries the facts shown to the owner, then the line leaves them out', () => {
    expect(decisionRecord(opened)).not.toHaveProperty('facts');
    expect(decisionRecord(opened)).not.toHaveProperty('ref');
  });
});

describe('renderTickReport', () => {
  test('when decisions were taken, then the counts come first and each notable decision has a line; the routine ones only count', () => {
    const text = renderTickReport(report([opened, scheduled, escalated]));

    expect(text.split('\n')).toEqual([
      'Tick at 2026-12-05 09:00 UTC: 1 attestation opened, 1 escalation.',
      '  ask       payments-api → alice@acme.example, due 2026-12-12',
      '  escalate  ledger-api → priya@acme.example (level 2)',
    ]);
  });

  test('when nothing was due, then it says so', () => {
    expect(renderTickReport(report([scheduled]))).toBe('Tick at 2026-12-05 09:00 UTC: nothing was due.');
  });

  test('when the list is not wanted (the console shows the messages), then only the counts are given', () => {
    expect(renderTickReport(report([opened, escalated]), { list: false })).toBe('Tick at 2026-12-05 09:00 UTC: 1 attestation opened, 1 escalation.');
  });

  test('when there are more notable decisions than are listed, then the rest are counted and --json is pointed to', () => {
    const many = Array.from({ length: listedDecisions + 3 }, (_, i) => ({ ...opened, id: i, ref: `api-${i}` }));

    const lines = renderTickReport(report(many, true)).split('\n');

    expect(lines[0]).toBe(`Dry run of the tick at 2026-12-05 09:00 UTC: ${listedDecisions + 3} attestations opened.`);
    expect(lines).toHaveLength(listedDecisions + 2);
    expect(lines.at(-1)).toBe('  … and 3 more (--json lists every decision)');
  });
});
