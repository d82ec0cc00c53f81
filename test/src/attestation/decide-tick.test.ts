import { describe, expect, it } from 'vitest';
import { decideTick } from '../../../src/attestation/decide-tick.js';
import { addresseeKey } from '../../../src/messages/attestation-messages.js';
import type { TickAttestation, TickItem, TickPerson, TickState, TickTeam } from '../../../src/attestation/tick-state.js';
import { Policy } from '../../../src/policy/policy.js';

/* The pure tick on hand-built state: the rules about order and routing, without a database. */

const policy = Policy.parse({ securityChannel: '#sec' });
const now = '2027-01-11T09:00:00.000Z';
const opened = '2027-01-04T09:00:00.000Z'; // 7 days before now: the backup's rung is due.

const person = (id: number, email: string, active = true): TickPerson => ({ id, email, displayName: null, active });
const ana = person(1, 'ana@acme.example');
const ben = person(2, 'ben@acme.example');
const lena = person(3, 'lena@acme.example');
const leo = person(4, 'leo@acme.example');
const payments: TickTeam = { id: 10, slug: 'payments', channel: '#payments', lead: lena };

function item(overrides: Partial<TickItem> = {}): TickItem {
  return {
    id: 100,
    kind: 'api',
    ref: 'checkout-api',
    name: 'checkout-api',
    sensitivity: 'restricted',
    exposure: null,
    lifecycle: 'production',
    identityKind: null,
    status: null,
    scopes: [],
    createdAt: null,
    expiresAt: null,
    lastUsedAt: null,
    facts: { purpose: 'Pay', linked: [] },
    owner: { team: payments, accountable: ana, backup: ben },
    firstSeenAt: '2026-12-01T09:00:00.000Z',
    ownedSince: '2026-12-01T09:00:00.000Z',
    vanished: false,
    nextAttestationAt: null,
    openAttestationId: null,
    openAttestationPersonId: null,
    openQueue: null,
    warnedOffsets: [],
    flags: [],
    ...overrides,
  };
}

function attestation(overrides: Partial<TickAttestation> = {}): TickAttestation {
  const { id, kind, ref, name, facts, owner, sensitivity, exposure, identityKind, scopes, createdAt, expiresAt } = item();
  return {
    id: 5,
    item: { id, kind, ref, name, facts, owner, sensitivity, exposure, identityKind, scopes, createdAt, expiresAt },
    person: ana,
    openedAt: opened,
    dueAt: '2027-01-11T09:00:00.000Z',
    remindersSent: 2,
    escalationLevel: 0,
    unreachableAtLevel: null,
    ...overrides,
  };
}

const state = (parts: Partial<TickState>): TickState => ({ now, policyVersion: 'v', items: [], attestations: [], leavers: [], teamsWithBoundChannel: [], nextAttestationId: 6, ...parts });
const types = (s: TickState) => decideTick(s, policy).decisions.map((d) => d.type);

describe('decideTick: order within one tick', () => {
  it('when an item changed owner and its attestation is due to escalate, then it is withdrawn and the new owner asked, not escalated', () => {
    const moved = item({ owner: { team: payments, accountable: leo, backup: null }, ownedSince: now, nextAttestationAt: now, openAttestationId: 5, openAttestationPersonId: ana.id });
    const plan = decideTick(state({ items: [moved], attestations: [attestation()] }), policy);
    expect(plan.decisions.map((d) => d.type)).toEqual(['supersede', 'open_attestation', 'schedule']);
    expect(plan.messages.map((m) => m.message.kind)).toEqual(['attestation_prompt']);
  });

  it('when an item vanished and its attestation is due to expire, then it is withdrawn, not expired and queued', () => {
    const gone = item({ vanished: true, openAttestationId: 5, openAttestationPersonId: ana.id });
    expect(types(state({ items: [gone], attestations: [attestation({ openedAt: '2026-12-01T09:00:00.000Z' })] }))).toEqual(['supersede', 'schedule']);
  });

  it('when a leaver’s item is due in the same tick, then it is decided with its new owner, and not looked at again at this time', () => {
    const plan = decideTick(
      state({
        items: [item({ owner: { team: payments, accountable: person(1, 'ana@acme.example', false), backup: ben }, openAttestationId: 5, openAttestationPersonId: ana.id })],
        leavers: [{ person: person(1, 'ana@acme.example', false), items: [{ ...item(), openAttestationId: 5 }] }],
      }),
      policy,
    );
    expect(plan.decisions.map((d) => d.type)).toEqual(['supersede', 'reassign', 'open_attestation', 'leaver_handled', 'schedule']);
    expect(plan.decisions.at(-1)).toMatchObject({ type: 'schedule', nextCheckAt: null });
  });
});

describe('decideTick: escalation targets', () => {
  it.each<[string, Partial<TickAttestation['item']['owner']>, number, string, number]>([
    ['the backup is there', {}, 1, 'person:2', 1],
    ['there is no backup: the lead', { backup: null }, 1, 'person:3', 2],
    ['the backup left: the lead', { backup: person(2, 'ben@acme.example', false) }, 1, 'person:3', 2],
    ['no backup, no lead: the team channel', { backup: null, team: { ...payments, lead: null } }, 1, 'team:10', 3],
    ['nobody at all: the security channel', { backup: null, team: { ...payments, lead: null, channel: null } }, 1, 'security', 4],
    ['the lead is the person asked: the channel', { team: { ...payments, lead: ana } }, 2, 'team:10', 3],
    ['the lead is also the backup, already told: the channel', { team: { ...payments, lead: ben } }, 2, 'team:10', 3],
  ])('when %s, then the right rung takes it', (_, owner, dueLevel, target, level) => {
    const base = attestation();
    const at = dueLevel === 1 ? now : '2027-01-14T09:00:00.000Z';
    const a = attestation({ escalationLevel: dueLevel - 1, item: { ...base.item, owner: { ...base.item.owner, ...owner } } });
    const [decision] = decideTick(state({ now: at, attestations: [a] }), policy).decisions;
    expect(decision).toMatchObject({ type: 'escalate', target, level });
  });
});

describe('decideTick: queues', () => {
  it('when an item waits in the queue over a dispute and its owner has not changed, then it stays there and nobody is asked', () => {
    const disputed = item({ openQueue: { queue: 'security', reason: 'disputed', queuedAt: '2027-01-05T09:00:00.000Z' }, nextAttestationAt: null });
    expect(types(state({ items: [disputed] }))).toEqual(['schedule']);
  });

  it('when its owner changed after the dispute, then it leaves the queue and the new owner is asked', () => {
    const disputed = item({ owner: { team: payments, accountable: leo, backup: null }, ownedSince: '2027-01-10T09:00:00.000Z', nextAttestationAt: '2027-01-10T09:00:00.000Z', openQueue: { queue: 'security', reason: 'disputed', queuedAt: '2027-01-05T09:00:00.000Z' } });
    expect(types(state({ items: [disputed] }))).toEqual(['dequeue', 'open_attestation', 'schedule']);
  });

  it('when an item with nobody named belongs to a team with a channel, then it goes to the team queue; without a channel, to security', () => {
    const withChannel = decideTick(state({ items: [item({ owner: { team: payments, accountable: null, backup: null } })] }), policy);
    expect(withChannel.decisions[0]).toMatchObject({ type: 'queue', queue: 'team', reason: 'no_accountable_person' });
    const without = decideTick(state({ items: [item({ owner: { team: { ...payments, channel: null }, accountable: null, backup: null } })] }), policy);
    expect(without.decisions[0]).toMatchObject({ type: 'queue', queue: 'security', reason: 'no_accountable_person' });
  });
});

describe('decideTick: a team’s channel, named in the inventory or bound on a platform', () => {
  const unnamed: TickTeam = { ...payments, channel: null, lead: null };
  const named: TickTeam = { ...payments, lead: null };
  const owner = (team: TickTeam) => ({ team, accountable: null, backup: null });
  const key = (team: TickTeam) => ({ kind: 'team_channel', teamId: team.id, team: team.slug, channel: team.channel });

  it.each<[string, 'team' | 'security', TickTeam, number[]]>([
    ['the inventory names it', 'team', named, []],
    ['the inventory names it and one is bound too', 'team', named, [10]],
    ['the inventory names none but one is bound', 'team', unnamed, [10]],
    ['the inventory names none and none is bound', 'security', unnamed, []],
    ['only another team has one bound', 'security', unnamed, [11]],
  ])('when %s, then an item the team owns with nobody named goes to the %s queue, posted there', (_, queue, team, bound) => {
    const plan = decideTick(state({ items: [item({ owner: owner(team) })], teamsWithBoundChannel: bound }), policy);
    expect(plan.decisions[0]).toMatchObject({ type: 'queue', queue, reason: 'no_accountable_person' });
    const [post] = plan.messages;
    expect(post?.addressee).toEqual(queue === 'team' ? key(team) : { kind: 'security_channel', channel: '#sec' });
  });

  it.each<[string, string, TickTeam, number[], number, string]>([
    ['the inventory names it', 'team:10', named, [], 3, '#payments'],
    ['the inventory names none but one is bound', 'team:10', unnamed, [10], 3, 'team payments'],
    ['the inventory names none and none is bound', 'security', unnamed, [], 4, '#sec'],
  ])('when %s, with no backup and no lead, then the first escalation goes to %s', (_, target, team, bound, level, to) => {
    const base = attestation();
    const a = attestation({ item: { ...base.item, owner: { team, accountable: ana, backup: null } } });
    const plan = decideTick(state({ attestations: [a], teamsWithBoundChannel: bound }), policy);
    expect(plan.decisions[0]).toMatchObject({ type: 'escalate', target, level, to });
    expect(plan.messages[0]?.addressee).toEqual(target === 'security' ? { kind: 'security_channel', channel: '#sec' } : key(team));
  });

  it.each<[string, string, TickTeam, number[]]>([
    ['the inventory names it', 'team:10', named, []],
    ['the inventory names none but one is bound', 'team:10', unnamed, [10]],
    ['the inventory names none and none is bound', 'security', unnamed, []],
  ])('when %s, then a credential flagged with nobody named is told to %s', (_, to, team, bound) => {
    const credential = item({ kind: 'identity', identityKind: 'api_key', status: 'active', createdAt: '2026-12-01T09:00:00.000Z', owner: owner(team) });
    const plan = decideTick(state({ items: [credential], teamsWithBoundChannel: bound }), policy);
    const warning = plan.messages.find((m) => m.message.kind === 'credential_warning');
    expect(warning && addresseeKey(warning.addressee)).toBe(to);
  });
});
