import { describe, expect, it } from 'vitest';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import { decideBinding, type BindChannelState, type BindTarget } from '../../../src/channels/decide-binding.js';

const person = (id: number, name: string, active = true): TickPerson => ({ id, email: `${name}@acme.example`, displayName: null, active });
const lena = person(1, 'lena');
const ana = person(2, 'ana');
const sam = person(3, 'sam');
const admins = ['sam@acme.example'];
const payments = { id: 7, slug: 'payments', lead: lena };
const teamSlugs = ['ledger', 'payments', 'platform'];

const state = (actor: TickPerson | null, target: BindTarget, parts: Partial<BindChannelState> = {}): BindChannelState => ({
  now: '2026-11-02T09:00:00.000Z',
  platform: 'teams',
  actor,
  target,
  team: target.kind === 'team' && target.slug.toLowerCase() === 'payments' ? payments : null,
  teamSlugs: target.kind === 'team' && target.slug.toLowerCase() !== 'payments' ? teamSlugs : [],
  current: null,
  address: 'conv-1',
  ...parts,
});

const team = (slug: string): BindTarget => ({ kind: 'team', slug });
const security: BindTarget = { kind: 'security' };

describe('decideBinding: who may bind which channel', () => {
  it.each<[string, TickPerson | null, BindTarget, string]>([
    ['the team’s lead binds its channel', lena, team('payments'), 'ok'],
    ['the lead types the slug in capitals', lena, team('Payments'), 'ok'],
    ['an admin binds a team’s channel', sam, team('payments'), 'ok'],
    ['an admin binds the security channel', sam, security, 'ok'],
    ['a member who is not the lead binds the team’s channel', ana, team('payments'), 'not_lead'],
    ['the lead binds the security channel', lena, security, 'not_admin'],
    ['nobody Steward knows', null, team('payments'), 'unknown_person'],
    ['a lead who has left', person(1, 'lena', false), team('payments'), 'unknown_person'],
    ['an admin who has left', person(3, 'sam', false), security, 'unknown_person'],
    ['a slug no team has', lena, team('paymnts'), 'unknown_team'],
  ])('when %s, then the outcome is %s', (_, actor, target, outcome) => {
    const result = decideBinding(state(actor, target), admins);
    expect(result.ok ? 'ok' : result.code).toBe(outcome);
  });

  it('when an admin is named in the policy in another case, then they are still an admin', () => {
    expect(decideBinding(state(sam, security), ['Sam@ACME.example']).ok).toBe(true);
  });
});

describe('decideBinding: what it says', () => {
  it('when the lead binds their team’s channel, then the team’s target is bound and the answer says what is posted there', () => {
    expect(decideBinding(state(lena, team('payments')), admins)).toEqual({
      ok: true,
      target: { kind: 'team', teamId: 7 },
      team: 'payments',
      previous: 'none',
      text: 'This channel is now team payments’s channel: its queue and escalations are posted here.',
    });
  });

  it('when another channel was bound before, then it is replaced, and the answer says so', () => {
    expect(decideBinding(state(sam, security, { current: 'conv-0' }), admins)).toMatchObject({ ok: true, target: { kind: 'security' }, team: null, previous: 'other', text: expect.stringContaining('no longer in the channel bound before') });
  });

  it('when this channel is bound already, then nothing changes, and the answer says so', () => {
    expect(decideBinding(state(lena, team('payments'), { current: 'conv-1' }), admins)).toMatchObject({ ok: true, previous: 'same', text: 'This channel is team payments’s channel already; nothing changed.' });
  });

  it('when the slug is mistyped, then the answer names the team it most likely meant', () => {
    expect(decideBinding(state(lena, team('paymnts')), admins)).toEqual({
      ok: false,
      code: 'unknown_team',
      team: 'paymnts',
      suggestion: 'payments',
      text: 'The inventory lists no team `paymnts` (did you mean `payments`?).',
    });
  });

  it('when the slug is near no team, then no team is suggested', () => {
    expect(decideBinding(state(lena, team('warehouse')), admins)).toMatchObject({ code: 'unknown_team', suggestion: null, text: 'The inventory lists no team `warehouse`.' });
  });

  it('when someone else binds a team’s channel, then the answer names its lead; when the team has none, only admins', () => {
    expect(decideBinding(state(ana, team('payments')), admins)).toMatchObject({ code: 'not_lead', team: 'payments', text: 'Only payments’s lead (lena@acme.example) or a Steward admin can bind its channel.' });
    expect(decideBinding(state(lena, team('payments'), { team: { ...payments, lead: null } }), admins)).toMatchObject({
      code: 'not_lead',
      text: 'payments has no lead in the inventory, so only a Steward admin can bind its channel.',
    });
  });
});
