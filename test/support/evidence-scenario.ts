import { delegateWork, requestApproval } from '../../src/approvals/approval-commands.js';
import type { RequestInput } from '../../src/approvals/request-input.js';
import type { EvidenceRecord } from '../../src/evidence/evidence-record.js';
import { evidenceReport } from '../../src/evidence/evidence-report.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { EvidencePeriod } from '../../src/ports/evidence-store.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { apiEntry } from './entries.js';
import { memoryStore } from './import-into-memory.js';
import { answer, claim, importLoop, tick } from './loop.js';
import { at, decide, email, later, paymentsEntries, policy } from './payments-approvals-store.js';

/*
 * A period's worth of evidence, made as people make it, through the use cases: payments' items (ana's) and an API
 * nobody owns, then over eleven days a scope change a stand-in approves, an exception two approvers approve, a
 * rotation refused, attestations confirmed and answered Decommission, a transfer accepted, a claim from the queue, and
 * later a request and an attestation nobody answered, expired.
 */

export const scenarioTimes = {
  /** lena away: ben approves the scope change for her. */
  scopeApproved: later(1),
  exceptionApproved: later(1),
  rotationRejected: later(2),
  /** The first attestations open. */
  ticked: later(7),
  /** ana confirms ci-deployer and answers Decommission for payments-api. */
  answered: later(8),
  transferAccepted: later(10),
  claimed: later(11),
  /** Nobody decided payments-api's decommission, nor answered card-vault's attestation (opened when its exception ended): both expire. */
  expired: later(51),
} as const;

async function ask(store: SqliteStore, who: string, kind: 'api' | 'identity', ref: string, request: RequestInput, when: string) {
  const plan = await requestApproval(store, fixedClock(when), policy, { actor: { email: email(who) }, itemId: await store.itemIdOf(kind, ref), request });
  if (!plan.result.ok) throw new Error(`request refused: ${plan.result.text}`);
  return plan.result.id;
}

async function decided(store: SqliteStore, who: string, id: number, decision: Parameters<typeof decide>[3], when: string) {
  const plan = await decide(store, who, id, decision, when);
  if (!plan.result.ok) throw new Error(`decision refused: ${plan.result.text}`);
}

/** The scenario played into `store` (a fresh in-memory one by default), which it returns. */
export async function evidenceScenario(store: SqliteStore = memoryStore()): Promise<SqliteStore> {
  await importLoop(store, at, [...paymentsEntries(), apiEntry({ ref: 'orphan-api', sensitivity: 'internal', exposure: 'internal' })]);
  const t = scenarioTimes;
  await delegateWork(store, fixedClock(at), policy, { actor: { email: email('lena') }, forEmail: null, toEmail: email('ben'), delegation: { action: 'start', until: '2026-11-04', reason: 'leave' } });
  const scope = await ask(store, 'ana', 'identity', 'ci-deployer', { kind: 'scope_change', scopes: 'read write', justification: 'deploys write artefacts' }, at);
  const exception = await ask(store, 'ana', 'api', 'card-vault', { kind: 'exception', until: '2026-12-01', rule: null, justification: 'audit freeze' }, at);
  await decided(store, 'ben', scope, { action: 'approve', reason: 'fine', confirmRef: null }, t.scopeApproved);
  await decided(store, 'zed', exception, { action: 'approve', reason: null, confirmRef: null }, t.exceptionApproved);
  await decided(store, 'lena', exception, { action: 'approve', reason: '=risk accepted', confirmRef: null }, t.exceptionApproved);
  const rotation = await ask(store, 'ana', 'identity', 'ci-deployer', { kind: 'rotation', trigger: 'owner', justification: null }, t.scopeApproved);
  await decided(store, 'lena', rotation, { action: 'reject', reason: 'rotated last week, "see ticket", thanks' }, t.rotationRejected);

  await tick(store, policy, t.ticked);
  const ciDeployer = await store.openAttestationOf('identity', 'ci-deployer');
  const paymentsApi = await store.openAttestationOf('api', 'payments-api');
  if (ciDeployer.id === null || paymentsApi.id === null) throw new Error('the tick opened no attestation');
  await answer(store, policy, t.answered, email('ana'), [ciDeployer.id], { type: 'confirm' });
  await answer(store, policy, t.answered, email('ana'), [paymentsApi.id], { type: 'decommission', reason: 'replaced by\npayments-v2' });

  const transfer = await ask(store, 'ana', 'identity', 'ci-deployer', { kind: 'ownership_transfer', to: email('cy'), team: null, justification: 'cy runs CI now' }, later(9));
  await decided(store, 'cy', transfer, { action: 'accept', reason: null }, t.transferAccepted);

  const orphan = await store.itemIdOf('api', 'orphan-api');
  if (orphan === null) throw new Error('orphan-api was not imported');
  const claimed = await claim(store, t.claimed, email('leo'), orphan);
  if (!claimed.ok) throw new Error(`claim refused: ${claimed.text}`);
  for (const day of [30, 37, 44]) await tick(store, policy, later(day));
  await tick(store, policy, t.expired);
  return store;
}

/** Every record of the period, as the export reads them. */
export async function recordsOf(store: SqliteStore, period: EvidencePeriod, pageSize?: number): Promise<EvidenceRecord[]> {
  const report = await evidenceReport(store, fixedClock(later(30)), period, pageSize === undefined ? {} : { pageSize });
  const records: EvidenceRecord[] = [];
  for await (const record of report.records()) records.push(record);
  return records;
}
