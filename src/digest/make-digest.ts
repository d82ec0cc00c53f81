import { recordPolicyVersion } from '../evidence/record-policy-version.js';
import type { Policy } from '../policy/policy.js';
import { policyVersion } from '../policy/policy-version.js';
import type { DigestOutcome, DigestTeam } from '../ports/digest-store.js';
import type { Store } from '../ports/store.js';
import { decideDigest, type DigestScope } from './decide-digest.js';
import { coveragePercent } from './digest-figures.js';
import { scheduledDigestAt } from './digest-period.js';

/** A digest a tick made (or, in a dry run, would make): for `tick` to report. */
export interface DigestDecision {
  readonly type: 'digest';
  /** `security`, or the team's slug. */
  readonly scope: string;
  readonly scheduledAt: string;
  readonly coveragePercent: number;
  readonly overdue: number;
  readonly waiting: number;
}

function securityScope(policy: Policy): DigestScope {
  return { kind: 'security', channel: policy.securityChannel, digestChannel: policy.digest.channel };
}

function teamScope(team: DigestTeam): DigestScope {
  return { kind: 'team', teamId: team.teamId, team: team.team, channel: team.channel };
}

async function make(store: Store, policy: Policy, scope: DigestScope, request: { at: Date; scheduledAt: string | null; apply: boolean; actor: string }): Promise<DigestOutcome> {
  const now = request.at.toISOString();
  // A stored digest records the policy version it was made under: its text is kept first, for evidence.
  const version = request.apply ? await recordPolicyVersion(store, policy, now) : policyVersion(policy);
  return store.makeDigest({
    now,
    scope,
    scheduledAt: request.scheduledAt,
    apply: request.apply,
    policyVersion: version,
    actor: request.actor,
    decide: (inputs) => decideDigest({ now, timezone: policy.timezone, scope, scheduledAt: request.scheduledAt, staleAfterDays: policy.credentials.staleAfterDaysUnused, ...inputs }),
  });
}

/**
 * The tick's digests: once per period of the policy's `digest.cron` (in its time zone), the security leads' and,
 * when `digest.teams` is set, each owning team's. A period is made once, whichever tick comes first after its time;
 * one that began before Steward's first tick on this database is not made at all.
 */
export async function makeScheduledDigests(store: Store, policy: Policy, at: Date, options: { readonly dryRun: boolean }): Promise<{ decisions: DigestDecision[]; messages: number }> {
  const scheduledAt = scheduledDigestAt(policy.digest.cron, policy.timezone, at);
  const scopes = [securityScope(policy), ...(policy.digest.teams ? (await store.digestTeams()).map(teamScope) : [])];
  const decisions: DigestDecision[] = [];
  let messages = 0;
  for (const scope of scopes) {
    const outcome = await make(store, policy, scope, { at, scheduledAt, apply: !options.dryRun, actor: 'steward:digest' });
    if (outcome.status !== 'made') continue;
    const { figures } = outcome;
    decisions.push({
      type: 'digest',
      scope: scope.kind === 'security' ? 'security' : scope.team,
      scheduledAt,
      coveragePercent: Math.round(coveragePercent(figures)),
      overdue: figures.attestations.overdue,
      waiting: figures.unowned.waiting,
    });
    messages += options.dryRun ? 1 : outcome.queued;
  }
  return { decisions, messages };
}

/**
 * `steward digest`: the security leads' digest now. Printed only (`print`), nothing is stored or queued;
 * otherwise it is stored (the next digest shows its changes against it) and posted to the security channel.
 */
export function makeDigestNow(store: Store, policy: Policy, at: Date, options: { readonly print: boolean; readonly actor: string }): Promise<DigestOutcome> {
  return make(store, policy, securityScope(policy), { at, scheduledAt: null, apply: !options.print, actor: options.actor });
}
