import { answerAttestations } from '../../../src/attestation/answer-attestations.js';
import { claimItem } from '../../../src/attestation/claim-item.js';
import type { AnswerAction, AnswerPlan } from '../../../src/attestation/decide-answer.js';
import type { ClaimResult } from '../../../src/attestation/decide-claim.js';
import { runTick, type TickReport } from '../../../src/attestation/run-tick.js';
import type { InvalidEntry, RawEntry } from '../../../src/inventory/import-entry.js';
import { importInventory, type SourceSnapshot } from '../../../src/inventory/import-inventory.js';
import type { ItemKind } from '../../../src/model/index.js';
import type { ActorKey } from '../../../src/ports/attestation-store.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { ImportReport, Store } from '../../../src/ports/store.js';
import { snapshot } from '../../support/entries.js';
import { directoryEntries, loopPolicy, plusDays } from '../../support/loop.js';

/*
 * The contract suite's inputs and moves, all through the store port and the core's use cases: imports through
 * importInventory, ticks through runTick (the core's decideTick), answers and claims through their use cases.
 * Nothing here knows which database is behind the port.
 */

export { plusDays };

/** The directory (teams payments, ledger, platform; people ana … zed) is imported first, under its own source. */
export const directoryAt = '2026-11-01T09:00:00.000Z';
export const importedAt = '2026-11-02T09:00:00.000Z';
export const actor = 'contract-test';

/** The loop's policy, asking about a new item at once (firstWithinDays 0) so a tick at import time opens it. */
export const policy = loopPolicy({ attestation: { firstWithinDays: 0 } });

/** `ana` → ana@acme.example: the people of the shared directory. */
export const email = (name: string): string => `${name}@acme.example`;
export const directoryPeople = ['ana', 'ben', 'cy', 'lena', 'leo', 'lia', 'pat', 'zed'].map(email);

export async function importSnapshots(store: Store, at: string, snapshots: readonly SourceSnapshot[], dryRun = false): Promise<ImportReport> {
  return importInventory(store, fixedClock(at), { snapshots, dryRun, actor });
}

/** One source's snapshot, imported at `at`. */
export async function importSource(store: Store, at: string, source: string, entries: ReadonlyArray<RawEntry | InvalidEntry>, dryRun = false): Promise<ImportReport> {
  return importSnapshots(store, at, [snapshot(source, [...entries])], dryRun);
}

/** Imports that must apply: fails the test with the problems when refused. */
export async function imported(store: Store, at: string, source: string, entries: readonly RawEntry[]): Promise<ImportReport> {
  const report = await importSource(store, at, source, entries);
  if (!report.applied) throw new Error(`import refused: ${JSON.stringify(report.problems)}`);
  return report;
}

/** The shared directory (source `directory`) at directoryAt, then `items` (source `inventory`) at `at`. */
export async function seeded(store: Store, items: readonly RawEntry[], at = importedAt): Promise<Store> {
  await imported(store, directoryAt, 'directory', directoryEntries());
  if (items.length > 0) await imported(store, at, 'inventory', items);
  return store;
}

export async function tickAt(store: Store, at: string, options: { dryRun?: boolean; batchSize?: number } = {}): Promise<TickReport> {
  return runTick(store, policy, new Date(at), options);
}

export async function answerAs(store: Store, at: string, who: ActorKey | string, attestationIds: readonly number[], action: AnswerAction, note?: string): Promise<AnswerPlan> {
  const actorKey = typeof who === 'string' ? { email: who } : who;
  return answerAttestations(store, fixedClock(at), policy, { actor: actorKey, attestationIds, action, ...(note === undefined ? {} : { note }) });
}

export async function claimAs(store: Store, at: string, who: string, itemId: number, team?: string): Promise<ClaimResult> {
  return claimItem(store, fixedClock(at), { actor: { email: who }, itemId, ...(team === undefined ? {} : { team }) });
}

/** The person's id, found through the port; fails the test when Steward does not know them. */
export async function personIdOf(store: Store, who: string): Promise<number> {
  const person = await store.chatPersonBy({ email: who });
  if (!person) throw new Error(`no person ${who}`);
  return person.personId;
}

export async function itemIdOf(store: Store, kind: ItemKind, ref: string): Promise<number> {
  const id = await store.itemIdOf(kind, ref);
  if (id === null) throw new Error(`no ${kind} ${ref}`);
  return id;
}

/** The open attestation of an item; fails the test when there is none. */
export async function openAttestationId(store: Store, kind: ItemKind, ref: string): Promise<number> {
  const open = await store.openAttestationOf(kind, ref);
  if (open.id === null) throw new Error(`no open attestation for ${kind} ${ref}`);
  return open.id;
}

/** The actions of an item's audit trail, oldest first (all of them). */
export async function trailActions(store: Store, kind: ItemKind, ref: string): Promise<string[]> {
  const trail = await store.itemAuditTrail(kind, ref, 10_000);
  if (!trail) throw new Error(`no ${kind} ${ref}`);
  return trail.events.map((e) => e.action);
}
