import { describe, expect, it } from 'vitest';
import { decideAnswer, type AnswerAction, type AnsweredAttestation, type AnswerState } from '../../../src/attestation/decide-answer.js';
import { decideClaim, type ClaimState } from '../../../src/attestation/decide-claim.js';
import type { TickPerson } from '../../../src/attestation/tick-state.js';
import { defaultPolicy } from '../../../src/policy/policy.js';
import { secretShapes } from '../../support/secret-shapes.js';

const now = '2027-01-11T09:00:00.000Z';
const person = (id: number, email: string, active = true): TickPerson => ({ id, email, displayName: null, active });
const ana = person(1, 'ana@acme.example');
const ben = person(2, 'ben@acme.example');
const zed = person(9, 'zed@acme.example');
const team = { id: 10, slug: 'payments', channel: '#payments', lead: null };

function attestation(overrides: Partial<AnsweredAttestation> = {}): AnsweredAttestation {
  const facts = { purpose: 'CI', scopes: ['a', 'b'], expiresAt: '2027-06-01T00:00:00.000Z', recoveryProcedure: null, lastUsedAt: null, linked: [] };
  return {
    id: 5,
    status: 'open',
    outcome: null,
    closedAt: null,
    answeredBy: null,
    item: { id: 100, kind: 'identity', ref: 'ci-key', name: 'ci-key', facts, owner: { team, accountable: ana, backup: ben }, sensitivity: null, exposure: null, identityKind: 'api_key', scopes: ['a', 'b'], createdAt: '2026-12-01T00:00:00.000Z', expiresAt: '2027-06-01T00:00:00.000Z', vanished: false },
    facts,
    queued: null,
    ...overrides,
  };
}

const state = (actor: TickPerson | null, attestations = [attestation()]): AnswerState => ({ now, actor, attestations, missing: [] });

describe('decideAnswer: checks come before anything is decided', () => {
  it('when a secret is pasted, then it is refused whoever sends it, before the person is even looked at', () => {
    const plan = decideAnswer(state(null), { type: 'confirm' }, `here: ${secretShapes.githubClassicToken()}`, defaultPolicy);
    expect(plan).toEqual({ results: [expect.objectContaining({ ok: false, code: 'bad_request', text: expect.stringContaining('a GitHub token') })], decisions: [], messages: [] });
  });

  it.each([
    ['a note', { type: 'confirm' } as const, 'still needed \ud800'],
    ['a reason', { type: 'snooze', days: 7, reason: 'freeze \udc00' } as const, null],
    ['an updated fact', { type: 'update', changes: { purpose: 'Nightly \ud83d exports' } } as const, null],
  ])('when %s holds a lone surrogate, then nothing is recorded and the person is told to type it again', (_, action, note) => {
    const plan = decideAnswer(state(ana), action, note, defaultPolicy);

    expect(plan).toEqual({ results: [expect.objectContaining({ ok: false, code: 'bad_request', text: expect.stringContaining('half of a character') })], decisions: [], messages: [] });
  });

  it.each<[string, number, boolean]>([
    ['one day', 1, true],
    ['the policy’s maximum', 30, true],
    ['a day over it', 31, false],
  ])('when a snooze lasts %s (%i days), then accepted: %s', (_, days, ok) => {
    expect(decideAnswer(state(ana), { type: 'snooze', days, reason: 'Freeze' }, null, defaultPolicy).results[0]?.ok).toBe(ok);
  });

  it('when an update changes nothing, then it is a confirmation with an empty diff', () => {
    const plan = decideAnswer(state(ana), { type: 'update', changes: { purpose: ' CI ' } }, null, defaultPolicy);
    expect(plan.decisions).toEqual([expect.objectContaining({ type: 'close', outcome: 'attested', changes: {} })]);
  });

  it('when the backup answers an item that sat in the queue unanswered, then it leaves the queue', () => {
    const plan = decideAnswer(state(ben, [attestation({ queued: { queue: 'security', reason: 'attestation_expired' } })]), { type: 'confirm' }, null, defaultPolicy);
    expect(plan.decisions.map((d) => d.type)).toEqual(['dequeue', 'close']);
  });

  it('when the owner disputes an item that sat in the queue unanswered, then it is re-queued as disputed, not dequeued', () => {
    const plan = decideAnswer(state(ana, [attestation({ queued: { queue: 'security', reason: 'attestation_expired' } })]), { type: 'dispute', reason: null, suggestedOwner: null }, null, defaultPolicy);
    expect(plan.decisions.map((d) => d.type)).toEqual(['close', 'queue']);
    expect(plan.messages.map((m) => m.message.kind)).toEqual(['unowned_queue']);
  });
});

describe('decideClaim: who may take an item', () => {
  const queued = { queue: 'security' as const, reason: 'unowned' };
  const orphan = { ...attestation().item, owner: { team: null, accountable: null, backup: null } };
  const teamOwned = { ...attestation().item, owner: { team, accountable: null, backup: null } };
  const claimState = (overrides: Partial<ClaimState>): ClaimState => ({ now, actor: zed, actorTeams: [], item: orphan, openQueue: queued, ...overrides });

  it.each<[string, Partial<ClaimState>, string | null, string]>([
    ['an unknown person', { actor: null }, null, 'unknown_person'],
    ['a person who left', { actor: person(9, 'zed@acme.example', false) }, null, 'unknown_person'],
    ['a missing item', { item: null }, null, 'not_found'],
    ['a vanished item', { item: { ...orphan, vanished: true } }, null, 'not_found'],
    ['an item not queued', { openQueue: null }, null, 'not_queued'],
    ['a team item, by a non-member', { item: teamOwned, actorTeams: [{ id: 11, slug: 'ledger' }] }, null, 'not_in_team'],
    ['an unowned item, by someone in no team', {}, null, 'needs_team'],
    ['an unowned item, by someone in two teams', { actorTeams: [{ id: 10, slug: 'payments' }, { id: 11, slug: 'ledger' }] }, null, 'needs_team'],
    ['an unowned item, naming a team not theirs', { actorTeams: [{ id: 10, slug: 'payments' }] }, 'ledger', 'needs_team'],
  ])('when %s claims, then it is refused', (_, overrides, requested, code) => {
    expect(decideClaim(claimState(overrides), requested)).toMatchObject({ ok: false, code });
  });

  it.each<[string, Partial<ClaimState>, string | null, string]>([
    ['a team member takes a team item', { item: teamOwned, actorTeams: [{ id: 10, slug: 'payments' }] }, null, 'payments'],
    ['a team member takes a team item naming another team (the owning team stays)', { item: teamOwned, actorTeams: [{ id: 10, slug: 'payments' }, { id: 11, slug: 'ledger' }] }, 'ledger', 'payments'],
    ['someone in one team claims an unowned item', { actorTeams: [{ id: 11, slug: 'ledger' }] }, null, 'ledger'],
    ['someone in two teams names one, in any case', { actorTeams: [{ id: 10, slug: 'payments' }, { id: 11, slug: 'ledger' }] }, 'LEDGER', 'ledger'],
  ])('when %s, then it is theirs, owned by the right team', (_, overrides, requested, teamSlug) => {
    expect(decideClaim(claimState(overrides), requested)).toMatchObject({ ok: true, team: teamSlug });
  });
});

describe('decideAnswer: the forms’ field rules hold for any caller', () => {
  it.each<[string, AnswerAction, string | null, string]>([
    ['a note longer than 2,000 characters', { type: 'confirm' }, 'n'.repeat(2001), 'Keep it to 2,000 characters (this is 2,001).'],
    ['an update that corrects nothing', { type: 'update', changes: {} }, null, 'Correct at least one fact, or use Confirm if they are all still right.'],
    ['a suggested owner that is no email', { type: 'dispute', reason: null, suggestedOwner: 'lena' }, null, 'Give an email address, like ana@example.com, or leave it empty.'],
    ['an expiry that is no date', { type: 'update', changes: { expiresAt: 'soon' } }, null, 'Give a date like 2027-01-31.'],
    ['a snooze of half a day', { type: 'snooze', days: 0.5, reason: 'Freeze' }, null, 'A snooze needs a reason and lasts 1 to 30 days.'],
  ])('when it is %s, then it is refused with the field’s words, before the person is looked at', (_, action, note, text) => {
    expect(decideAnswer(state(null), action, note, defaultPolicy)).toEqual({ results: [expect.objectContaining({ ok: false, code: 'bad_request', text })], decisions: [], messages: [] });
  });

  it('when a snooze is out of range and its reason a secret, then the secret is what is said (it must be revoked)', () => {
    const plan = decideAnswer(state(ana), { type: 'snooze', days: 99, reason: secretShapes.slackBotToken() }, null, defaultPolicy);
    expect(plan.results[0]).toMatchObject({ ok: false, code: 'bad_request', text: expect.stringMatching(/^That looks like a Slack token; Steward never stores secrets/) });
  });
});
