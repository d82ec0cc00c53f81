import { describe, expect, it } from 'vitest';
import { attestationActions } from '../../../src/messages/attestation-messages.js';
import { attestationIdsOf } from '../../../src/messages/attestation-ids-of.js';
import { confirmAllCovers, confirmAllFor, recountConfirmAll } from '../../../src/messages/confirm-all.js';
import type { MessageAction, MessageSection } from '../../../src/messages/outgoing-message.js';

const open = (attestationId: number): MessageSection => ({ itemId: attestationId * 10, itemKind: 'api', itemRef: `api-${attestationId}`, itemName: 'x', attestationId, facts: [], actions: attestationActions(attestationId) });
const resolved = (attestationId: number): MessageSection => ({ ...open(attestationId), actions: [], resolved: 'Confirmed' });
const watchOnly = (attestationId: number): MessageSection => ({ ...open(attestationId), actions: [] });
const queued: MessageSection = { itemId: 99, itemKind: 'identity', itemRef: 'orphan', itemName: 'orphan', facts: [], actions: [{ id: 'queue.claim', label: 'Claim', value: '99' }] };

describe('confirmAllCovers: which attestations a Confirm all still covers', () => {
  it.each<[string, MessageSection[], number[]]>([
    ['every open one', [open(1), open(2), open(3)], [1, 2, 3]],
    ['not a resolved one', [open(1), resolved(2), open(3)], [1, 3]],
    ['not one shown without buttons (an escalation to someone who cannot answer)', [open(1), watchOnly(2)], [1]],
    ['not a queue item', [open(1), queued], [1]],
    ['nothing', [], []],
  ])('when the sections hold %s, then it covers them', (_, sections, ids) => {
    expect(confirmAllCovers(sections)).toEqual(ids);
  });
});

describe('confirmAllFor and recountConfirmAll', () => {
  const confirmAll: MessageAction = { id: 'attest.confirm_all', label: 'Confirm all 3', value: '1,2,3', style: 'primary' };
  const other: MessageAction = { id: 'queue.take', label: 'Take', value: '7' };

  it('when two or more are open, then Confirm all names how many and carries their ids', () => {
    expect(confirmAllFor([open(4), open(5)])).toEqual([{ id: 'attest.confirm_all', label: 'Confirm all 2', value: '4,5', style: 'primary' }]);
  });

  it('when one is open, then there is no Confirm all (it has its own Confirm)', () => {
    expect(confirmAllFor([open(4), resolved(5)])).toEqual([]);
  });

  it('when a message is recounted, then only its Confirm all changes', () => {
    expect(recountConfirmAll([other, confirmAll], [open(1), resolved(2), open(3)])).toEqual([other, { ...confirmAll, label: 'Confirm all 2', value: '1,3' }]);
    expect(recountConfirmAll([other, confirmAll], [open(1)])).toEqual([other]);
  });
});

describe('attestationIdsOf: what a button value carries', () => {
  it.each<[string | undefined, number[]]>([
    ['17', [17]],
    ['17,18, 19', [17, 18, 19]],
    ['', []],
    [undefined, []],
    ['0,-3,1.5,1e3,0x10,abc,7', [7]],
    ['99999999999999999999', []],
  ])('when the value is %j, then the ids are %j', (value, ids) => {
    expect(attestationIdsOf(value)).toEqual(ids);
  });
});
