import { describe, expect, it } from 'vitest';
import { identityEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../support/loop.js';
import { auditEvents, flagsOf, itemOf, openAttestationOf, outbox, outboxAt, warningsOf } from './support/loop-state.js';

const importedAt = '2026-11-02T09:00:00.000Z';
const policy = loopPolicy();
const expiresAt = plusDays(importedAt, 40);

/** An API key that expires 40 days after import, created a month before it, used yesterday: no flags. */
const apiKey = (overrides: Parameters<typeof identityEntry>[0] = {}) =>
  identityEntry({ ref: 'ci-key', identityKind: 'api_key', createdAt: '2026-10-01', lastUsedAt: '2026-11-01', expiresAt, owner: ownedBy('payments', 'ana'), ...overrides });

const warningTexts = (store: ReturnType<typeof memoryStore>) =>
  outbox(store)
    .filter((m) => m.kind === 'credential_warning')
    .map((m) => `${m.to}: ${m.message.sections.map((s) => s.facts[0]?.value).join(' | ')}`);

describe('credential expiry warnings', () => {
  it('when the tick runs every day, then the owner is warned 30, 14, 7 and 1 days before expiry and when it expires', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiKey()]);
    for (let d = 0; d <= 45; d += 1) await tick(store, policy, plusDays(importedAt, d));
    expect(warningsOf(store, 'ci-key')).toEqual([30, 14, 7, 1, 0]);
    expect(warningTexts(store)).toEqual([
      'ana@acme.example: expires on 2026-12-12 (30 days or less)',
      'ana@acme.example: expires on 2026-12-12 (14 days or less)',
      'ana@acme.example: expires on 2026-12-12 (7 days or less)',
      'ana@acme.example: expires on 2026-12-12 (1 day or less)',
      'ana@acme.example: expired on 2026-12-12',
    ]);
    expect(auditEvents(store, { action: 'credential.expiry_warned' }).map((e) => [e.at, e.details.offsetDays])).toEqual([
      [plusDays(expiresAt, -30), 30],
      [plusDays(expiresAt, -14), 14],
      [plusDays(expiresAt, -7), 7],
      [plusDays(expiresAt, -1), 1],
      [expiresAt, 0],
    ]);
  });

  it('when ticks stop for weeks, then one warning, the nearest, is sent on resuming', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiKey()]);
    await tick(store, policy, importedAt);
    await tick(store, policy, plusDays(expiresAt, -3));
    expect(warningsOf(store, 'ci-key')).toEqual([7]);
    expect(warningTexts(store)).toEqual(['ana@acme.example: expires on 2026-12-12 (7 days or less)']);
  });

  it('when the tick has nothing else to do with the item, then it looks again exactly at the next warning', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiKey()]);
    await tick(store, policy, plusDays(importedAt, 10));
    expect(itemOf(store, 'ci-key').nextCheckAt).toBe(plusDays(expiresAt, -14));
  });

  it('when the credential is rotated (a new expiry), then its warnings start over for the new date', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiKey()]);
    await tick(store, policy, plusDays(expiresAt, -3));
    const rotatedAt = plusDays(expiresAt, -2);
    const renewed = plusDays(expiresAt, 90);
    await importLoop(store, rotatedAt, [apiKey({ expiresAt: renewed, createdAt: rotatedAt.slice(0, 10) })]);
    await tick(store, policy, rotatedAt);
    await tick(store, policy, plusDays(renewed, -30));
    expect(warningsOf(store, 'ci-key')).toEqual([7, 30]);
  });

  it('when the credential has nobody accountable, then its team channel is warned, or else the security channel', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiKey({ ref: 'team-key', owner: ownedBy('ledger') }), apiKey({ ref: 'stray-key', owner: undefined })]);
    await tick(store, policy, plusDays(expiresAt, -20));
    expect(summarise(outbox(store).filter((m) => m.kind === 'credential_warning')).sort()).toEqual(['credential_warning → security: stray-key', 'credential_warning → team:ledger: team-key']);
  });

  it('when the credential is disabled, then nobody is warned of its expiry', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiKey({ status: 'disabled' })]);
    await tick(store, policy, plusDays(expiresAt, -1));
    expect(warningsOf(store, 'ci-key')).toEqual([]);
  });

  it('when an attestation is open, then warnings still go out at their times', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [apiKey()]);
    const askedAt = plusDays(importedAt, 7);
    await tick(store, policy, askedAt);
    openAttestationOf(store, 'ci-key');
    await tick(store, policy, plusDays(expiresAt, -30));
    await tick(store, policy, plusDays(expiresAt, -14));
    expect(warningsOf(store, 'ci-key')).toEqual([30, 14]);
  });

  it('when an attestation expires unanswered, then the next expiry warning still comes at its time', async () => {
    const store = memoryStore();
    const askedAt = plusDays(importedAt, 7);
    // Expires 25 days after the attestation opens: its 1-day warning falls after the attestation expired (day 21).
    await importLoop(store, importedAt, [apiKey({ expiresAt: plusDays(askedAt, 25) })]);
    await tick(store, policy, askedAt);
    await tick(store, policy, plusDays(askedAt, 21));
    expect(itemOf(store, 'ci-key').nextCheckAt).toBe(plusDays(askedAt, 24));
    await tick(store, policy, plusDays(askedAt, 24));
    expect(warningsOf(store, 'ci-key')).toEqual([30, 7, 1]);
  });
});

describe('credential flags: past its lifetime, stale', () => {
  it('when a token is older than the policy’s lifetime for tokens, then it is flagged once and its owner told', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [identityEntry({ ref: 'old-token', identityKind: 'token', createdAt: '2026-07-01', expiresAt: '2026-09-15', lastUsedAt: '2026-11-01', owner: ownedBy('payments', 'ana') })]);
    for (const d of [0, 1, 2]) await tick(store, policy, plusDays(importedAt, d));
    expect(flagsOf(store, 'old-token')).toEqual(['past_lifetime']);
    expect(auditEvents(store, { action: 'credential.flagged' })).toEqual([expect.objectContaining({ subject: 'old-token', details: expect.objectContaining({ code: 'past_lifetime' }) })]);
    expect(warningTexts(store)).toEqual(['ana@acme.example: expired on 2026-09-15; is older than the 90 days the policy allows for a token (OWASP NHI7)']);
  });

  it('when a credential never expires, then it is flagged as outliving the policy’s lifetime', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [identityEntry({ ref: 'forever-key', identityKind: 'api_key', createdAt: '2026-10-01', lastUsedAt: '2026-11-01', owner: ownedBy('payments', 'ana') })]);
    await tick(store, policy, importedAt);
    expect(flagsOf(store, 'forever-key')).toEqual(['past_lifetime']);
    expect(warningTexts(store)).toEqual(['ana@acme.example: never expires; the policy allows an api key 365 days (OWASP NHI7)']);
  });

  it('when a credential is set to live longer than the policy allows, then it is flagged from the start', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [identityEntry({ ref: 'long-cert', identityKind: 'certificate', createdAt: '2026-10-01', expiresAt: '2028-10-01', lastUsedAt: '2026-11-01', owner: ownedBy('payments', 'ana') })]);
    await tick(store, policy, importedAt);
    expect(flagsOf(store, 'long-cert')).toEqual(['past_lifetime']);
    expect(warningTexts(store)).toEqual(['ana@acme.example: is set to live 731 days; the policy allows a certificate 398 days (OWASP NHI7)']);
  });

  it('when a credential reaches its lifetime later, then the tick looks at it then and flags it', async () => {
    const store = memoryStore();
    await importLoop(store, importedAt, [identityEntry({ ref: 'young-token', identityKind: 'token', createdAt: '2026-10-01', expiresAt: '2026-12-25', lastUsedAt: '2026-11-01', owner: ownedBy('ledger', 'leo') })]);
    await tick(store, policy, importedAt);
    expect(flagsOf(store, 'young-token')).toEqual([]);
    const lifetimeEnds = plusDays('2026-10-01T00:00:00.000Z', 90);
    await tick(store, policy, lifetimeEnds);
    expect(flagsOf(store, 'young-token')).toEqual(['past_lifetime']);
  });

  it('when a credential has not been used for longer than the policy allows, then it is flagged stale, and unflagged once used again', async () => {
    const store = memoryStore();
    const key = (lastUsedAt: string) => identityEntry({ ref: 'idle-sa', identityKind: 'service_account', createdAt: '2026-01-01', expiresAt: '2027-06-01', lastUsedAt, owner: ownedBy('ledger', 'leo') });
    await importLoop(store, importedAt, [key('2026-07-01')]);
    await tick(store, policy, importedAt);
    expect(flagsOf(store, 'idle-sa')).toEqual(['stale']);
    expect(warningTexts(store)).toEqual(['leo@acme.example: unused since 2026-07-01 (over 90 days)']);
    const usedAt = plusDays(importedAt, 3);
    await importLoop(store, usedAt, [key(usedAt.slice(0, 10))]);
    await tick(store, policy, usedAt);
    expect(flagsOf(store, 'idle-sa')).toEqual([]);
    expect(auditEvents(store, { action: 'credential.unflagged' })).toEqual([expect.objectContaining({ subject: 'idle-sa', details: { code: 'stale' } })]);
    expect(summarise(outboxAt(store, usedAt))).toEqual([]);
  });
});
