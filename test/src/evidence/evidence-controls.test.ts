import { describe, expect, it } from 'vitest';
import { controlsOf, evidenceControls, type EvidenceShape } from '../../../src/evidence/evidence-controls.js';
import { controlIds } from '../../../src/evidence/evidence-record.js';

const shape = (type: EvidenceShape['type'], outcome: string, options: { kind?: string; itemKind?: 'api' | 'identity'; named?: boolean } = {}): EvidenceShape => ({
  type,
  kind: options.kind ?? null,
  outcome,
  itemKind: options.itemKind ?? 'api',
  named: options.named ?? true,
});

describe('which controls a record evidences', () => {
  it.each([
    ['an API attested by its named owner', shape('attestation', 'attested'), ['GV.RR-02', 'ID.AM-02']],
    ["an identity attested by its named owner (its scopes and expiry among the facts)", shape('attestation', 'attested', { itemKind: 'identity' }), ['GV.RR-02', 'ID.AM-02', 'NHI5', 'NHI7']],
    ['an attestation disputed (not mine)', shape('attestation', 'disputed'), ['GV.RR-02', 'ID.AM-02']],
    ['an owner answering Decommission', shape('attestation', 'decommission_requested', { itemKind: 'identity' }), ['GV.RR-02', 'ID.AM-08', 'NHI1']],
    ['an owner snoozing, with a reason', shape('attestation', 'snoozed'), ['GV.RR-02']],
    ['an attestation snoozed by an approved exception (nobody answered it)', shape('attestation', 'snoozed', { named: false }), []],
    ['an attestation nobody answered, expired after its ladder', shape('attestation', 'expired', { named: false }), ['GV.RR-02']],
    ['a scope change approved', shape('approval', 'approved', { kind: 'scope_change' }), ['GV.RR-02', 'NHI5']],
    ['a scope change expired undecided', shape('approval', 'expired', { kind: 'scope_change', named: false }), ['GV.RR-02', 'NHI5']],
    ['a rotation rejected', shape('approval', 'rejected', { kind: 'rotation' }), ['GV.RR-02', 'NHI7']],
    ['a decommission approved', shape('approval', 'approved', { kind: 'decommission' }), ['GV.RR-02', 'ID.AM-08', 'NHI1']],
    ['a decommission cancelled (the item was retired already)', shape('approval', 'cancelled', { kind: 'decommission', named: false }), []],
    ['a scope change cancelled by the press that found it stale', shape('approval', 'cancelled', { kind: 'scope_change' }), []],
    ['an exception approved by named approvers', shape('exception', 'approved', { kind: 'exception' }), ['GV.RR-01', 'GV.RR-02']],
    ['an exception refused', shape('exception', 'rejected', { kind: 'exception' }), ['GV.RR-01', 'GV.RR-02']],
    ['an exception nobody decided', shape('exception', 'expired', { kind: 'exception', named: false }), ['GV.RR-02']],
    ['a transfer accepted', shape('transfer', 'approved', { kind: 'ownership_transfer' }), ['GV.RR-02']],
    ['a claim from the queue', shape('claim', 'claimed'), ['GV.RR-02']],
  ] as const)('%s → %j', (_name, record, controls) => {
    expect(controlsOf(record)).toEqual(controls);
  });

  it('no record evidences NHI2, and its line says why rather than claiming it', () => {
    const outcomes = ['attested', 'disputed', 'decommission_requested', 'snoozed', 'expired', 'approved', 'rejected', 'cancelled', 'claimed'];
    const types = ['attestation', 'approval', 'exception', 'transfer', 'claim'] as const;
    const kinds = [null, 'scope_change', 'rotation', 'decommission', 'ownership_transfer', 'exception'];
    for (const type of types)
      for (const outcome of outcomes)
        for (const kind of kinds)
          for (const named of [true, false]) expect(controlsOf({ type, kind, outcome, itemKind: 'identity', named })).not.toContain('NHI2');
    expect(evidenceControls.find((c) => c.id === 'NHI2')?.evidencedBy).toMatch(/^No record/);
  });

  it('the table has every control once, in the ids order, with its official title', () => {
    expect(evidenceControls.map((c) => c.id)).toEqual([...controlIds]);
    const titles = Object.fromEntries(evidenceControls.map((c) => [c.id, c.title]));
    // ../shared/FORMATS.md §8 and §9, word for word.
    expect(titles['GV.RR-02']).toBe('Roles, responsibilities, and authorities related to cybersecurity risk management are established, communicated, understood, and enforced');
    expect(titles['GV.RR-01']).toBe('Organizational leadership is responsible and accountable for cybersecurity risk and fosters a culture that is risk-aware, ethical, and continually improving');
    expect(titles['ID.AM-02']).toBe('Inventories of software, services, and systems managed by the organization are maintained');
    expect(titles['ID.AM-08']).toBe('Systems, hardware, software, services, and data are managed throughout their life cycles');
    expect([titles.NHI1, titles.NHI2, titles.NHI5, titles.NHI7]).toEqual(['Improper Offboarding', 'Secret Leakage', 'Overprivileged NHI', 'Long-Lived Secrets']);
  });
});
