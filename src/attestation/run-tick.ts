import type { Policy } from '../policy/policy.js';
import { policyVersion } from '../policy/policy-version.js';
import { recordPolicyVersion } from '../evidence/record-policy-version.js';
import type { TickDecision } from './tick-state.js';
import type { Store } from '../ports/store.js';
import { decideTick } from './decide-tick.js';
import { decideApprovalTick, type ApprovalTickDecision } from '../approvals/approval-tick.js';
import { makeScheduledDigests, type DigestDecision } from '../digest/make-digest.js';

export interface TickReport {
  readonly at: string;
  readonly decisions: ReadonlyArray<TickDecision | ApprovalTickDecision | DigestDecision>;
  readonly messages: number;
  readonly dryRun: boolean;
  /**
   * Set when the tick was refused because `at` is earlier than the latest time the database has recorded (this
   * one): time does not go back, so nothing was decided. The scheduler simply waits for its clock to pass it.
   */
  readonly notBefore?: string;
}

/** Items and attestations per transaction; a backlog larger than this is worked through in several. */
export const tickBatchSize = 20_000;

/**
 * One tick at `at`: opens due attestations, reminds, escalates, expires, warns of expiring credentials,
 * flags long-lived and stale ones, re-routes leavers' items and queues unowned ones; then makes the period's digest. A large backlog is taken
 * in batches, each its own transaction; a dry run decides the first batch and writes nothing. A tick earlier
 * than what the database has recorded decides nothing and says so (`notBefore`); a dry run may look at any time.
 */
export async function runTick(
  store: Store,
  policy: Policy,
  at: Date,
  options: {
    dryRun?: boolean;
    batchSize?: number;
    /** Awaited between two batches: a caller sharing the database lets its other writers take their turn. */
    between?: () => Promise<void>;
  } = {},
): Promise<TickReport> {
  const now = at.toISOString();
  // The text of the version this tick records on what it opens, kept first (evidence shows the rules, not a hash); a dry run writes nothing.
  const version = options.dryRun ? policyVersion(policy) : await recordPolicyVersion(store, policy, now);
  const decisions: Array<TickDecision | ApprovalTickDecision | DigestDecision> = [];
  let messages = 0;
  for (;;) {
    const outcome = await store.runTick({
      now,
      policyVersion: version,
      limit: options.batchSize ?? tickBatchSize,
      apply: !options.dryRun,
      decide: (state) => decideTick(state, policy),
    });
    if (outcome.notBefore !== undefined) return { at: now, decisions, messages, dryRun: options.dryRun === true, notBefore: outcome.notBefore };
    decisions.push(...outcome.plan.decisions);
    messages += options.dryRun ? outcome.plan.messages.length : outcome.queued;
    if (!outcome.more || options.dryRun) break;
    await options.between?.();
  }
  // Then the approval requests' ladders: reminders, escalations, expiry, and requests waiting to be posted.
  for (;;) {
    const outcome = await store.runApprovalTick({
      now,
      policyVersion: version,
      limit: options.batchSize ?? tickBatchSize,
      apply: !options.dryRun,
      adminEmails: policy.admins,
      decide: (state) => decideApprovalTick(state, policy),
    });
    decisions.push(...outcome.plan.decisions);
    messages += options.dryRun ? outcome.plan.messages.length : outcome.queued;
    if (!outcome.more || options.dryRun) break;
    await options.between?.();
  }
  // Last, the digest when one is due: it counts what this tick changed.
  const digests = await makeScheduledDigests(store, policy, at, { dryRun: options.dryRun === true });
  decisions.push(...digests.decisions);
  messages += digests.messages;
  return { at: now, decisions, messages, dryRun: options.dryRun === true };
}
