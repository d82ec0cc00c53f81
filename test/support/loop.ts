import { answerAttestations } from '../../src/attestation/answer-attestations.js';
import { claimItem } from '../../src/attestation/claim-item.js';
import type { AnswerAction } from '../../src/attestation/decide-answer.js';
import { runTick, type TickReport } from '../../src/attestation/run-tick.js';
import type { Addressee } from '../../src/messages/outgoing-message.js';
import { Policy } from '../../src/policy/policy.js';
import { fixedClock } from '../../src/ports/clock.js';
import type { RawEntry } from '../../src/inventory/import-entry.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import type { OutboxView } from '../storage/support/loop-state.js';
import { personEntry, snapshot, teamEntry } from './entries.js';
import { importSnapshots } from './import-into-memory.js';

/*
 * The attestation loop as the tests drive it: a policy with a security channel, the directory, the tick, answers
 * and claims at fixed times, all through the store port. The readers of the stored state (attestations, queues,
 * outbox, audit) read SQLite and live in test/storage/support/loop-state.ts.
 */

export const securityChannel = '#sec-ownership';

/**
 * The loop scenarios' policy. They specify the attestation loop, message by message and event by event, so their
 * digest is scheduled for 29 February only, which none of them reaches: the weekly digest (Monday 09:00 by default)
 * would otherwise join their messages. test/storage/digest*.test.ts specify digests.
 */
export function loopPolicy(overrides: Record<string, unknown> = {}): Policy {
  return Policy.parse({ securityChannel, digest: { cron: '0 9 29 2 *' }, ...overrides });
}

/** `days` after `iso`, as an ISO time. */
export function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

export async function tick(store: SqliteStore, policy: Policy, at: string, options: { dryRun?: boolean; batchSize?: number } = {}): Promise<TickReport> {
  return runTick(store, policy, new Date(at), options);
}

export async function answer(store: SqliteStore, policy: Policy, at: string, email: string, attestationIds: readonly number[], action: AnswerAction, note?: string) {
  return answerAttestations(store, fixedClock(at), policy, { actor: { email }, attestationIds, action, ...(note === undefined ? {} : { note }) });
}

export async function claim(store: SqliteStore, at: string, email: string, itemId: number, team?: string) {
  return claimItem(store, fixedClock(at), { actor: { email }, itemId, ...(team === undefined ? {} : { team }) });
}

/** Who a message is for, as one word: an email, `team:<slug>`, or `security`. */
export function addressedTo(addressee: Addressee): string {
  if (addressee.kind === 'person') return addressee.email;
  if (addressee.kind === 'team_channel') return `team:${addressee.team}`;
  return addressee.kind === 'webhook' ? 'webhook' : 'security';
}

/** Compact: kind, addressee and refs of each message. */
export function summarise(messages: readonly OutboxView[]): string[] {
  return messages.map((m) => `${m.kind} → ${m.to}: ${m.refs.join(', ')}`);
}

/** The people and teams the loop scenarios share: two teams with leads and channels, one with neither. */
export function directoryEntries(): RawEntry[] {
  return [
    teamEntry('payments', { lead: 'lena@acme.example', channel: '#payments', members: ['ana@acme.example', 'ben@acme.example', 'lena@acme.example', 'cy@acme.example'] }),
    teamEntry('ledger', { lead: 'leo@acme.example', channel: '#ledger', members: ['leo@acme.example', 'lia@acme.example'] }),
    teamEntry('platform', { members: ['pat@acme.example', 'ana@acme.example'] }),
    ...['ana', 'ben', 'cy', 'lena', 'leo', 'lia', 'pat', 'zed'].map((name) => personEntry(`${name}@acme.example`, { displayName: name[0]?.toUpperCase() + name.slice(1) })),
  ];
}

/** An item owned by `team`, with `accountable` (a name: `ana` is ana@acme.example) and an optional backup. */
export function ownedBy(team: string, accountable?: string, backup?: string) {
  return {
    team,
    ...(accountable === undefined ? {} : { accountable: `${accountable}@acme.example` }),
    ...(backup === undefined ? {} : { backup: `${backup}@acme.example` }),
  };
}

/** Imports the directory and `items` as one source's snapshot at `at`. */
export async function importLoop(store: SqliteStore, at: string, items: RawEntry[], directory: RawEntry[] = directoryEntries()) {
  const report = await importSnapshots(store, [snapshot('inventory', [...directory, ...items])], { at });
  if (!report.applied) throw new Error(`import refused: ${JSON.stringify(report.problems)}`);
  return report;
}

/** Routes every queued message to `platform` and marks each delivered (platform ids `1700000000.<message id>`), as a dispatcher would. */
export async function deliverAll(store: SqliteStore, at: string, platform = 'slack'): Promise<void> {
  await store.routeMessages({ now: at, platforms: [], limit: 10_000, route: () => ({ platforms: [platform] }) });
  for (const held of await store.claimDeliveries({ now: at, platform, owner: 'test:deliverAll', leaseMs: 60_000, limit: 10_000 }))
    await store.recordDelivery(held.id, 'test:deliverAll', { status: 'sent', messageId: `1700000000.${held.messageId}`, channel: 'C0' }, at);
}
