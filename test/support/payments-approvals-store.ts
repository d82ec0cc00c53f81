import { decideApproval } from '../../src/approvals/approval-commands.js';
import type { DecisionInput } from '../../src/approvals/decision-input.js';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry, identityEntry } from './entries.js';
import { memoryStore } from './import-into-memory.js';
import { importLoop, loopPolicy, plusDays, ownedBy } from './loop.js';

/*
 * The approvals through the store, as test/storage's approvals tests drive them: a clock starting on 2026-11-02 at
 * 09:00, the loop's policy with zed its one admin, and payments' items in a fresh in-memory store.
 */

export const at = '2026-11-02T09:00:00.000Z';
export const later = (days: number) => plusDays(at, days);
export const policy = loopPolicy({ admins: ['zed@acme.example'] });
export const email = (name: string) => `${name}@acme.example`;

/**
 * Payments' items, all ana's: ci-deployer (an identity with `scopes`, ben its backup), card-vault (a restricted API,
 * ben its backup) and payments-api (an internal API with a revocation path, no backup).
 */
export function paymentsEntries(scopes: string[] = ['read']): RawEntry[] {
  return [
    identityEntry({ ref: 'ci-deployer', scopes, owner: ownedBy('payments', 'ana', 'ben') }),
    apiEntry({ ref: 'card-vault', sensitivity: 'restricted', exposure: 'internal', owner: ownedBy('payments', 'ana', 'ben') }),
    apiEntry({ ref: 'payments-api', sensitivity: 'internal', exposure: 'internal', revocationPath: 'runbook://payments/revoke', owner: ownedBy('payments', 'ana') }),
  ];
}

/** A fresh store holding the directory and payments' items as imported at `at`, then `more`. */
export async function seededPayments(...more: RawEntry[]): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, at, [...paymentsEntries(), ...more]);
  return store;
}

/** `who` (a name: `lena`) decides request `requestId` at `when`. */
export async function decide(store: SqliteStore, who: string, requestId: number, decision: DecisionInput, when = at) {
  return decideApproval(store, fixedClock(when), policy, { actor: { email: email(who) }, requestId, decision });
}
