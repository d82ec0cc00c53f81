import type { Addressee, PlannedMessage } from '../messages/outgoing-message.js';
import { coveragePercent, type DigestFigures, type EndingSoon } from './digest-figures.js';
import type { DigestChart, DigestGroup, DigestView } from './digest-view.js';
import { age, counted, countRow, day, dayAndTime, shareRow, shortDay } from './digest-wording.js';

/** Whose digest: the security leads' (to the digest or security channel), or one team's (to its channel). */
export type DigestScope =
  | { readonly kind: 'security'; readonly channel: string | null; readonly digestChannel: string | null }
  | { readonly kind: 'team'; readonly teamId: number; readonly team: string; readonly channel: string | null };

/** A digest made before, as it was stored. */
export interface DigestSnapshot {
  readonly at: string;
  readonly figures: DigestFigures;
}

export interface DigestState {
  readonly now: string;
  readonly timezone: string;
  readonly scope: DigestScope;
  /** The scheduled time it stands for; null for one asked for (`steward digest`). */
  readonly scheduledAt: string | null;
  readonly figures: DigestFigures;
  /** The previous digests of this scope, newest first (the chart takes eleven of them). */
  readonly previous: readonly DigestSnapshot[];
  /** The audit trail's head as the digest is made, before its own event. */
  readonly anchor: { readonly events: number; readonly headHash: string };
  /** Days unused after which a credential is stale (the policy's), for the row's label. */
  readonly staleAfterDays: number;
}

export interface DigestPlan {
  readonly view: DigestView;
  readonly message: PlannedMessage;
}

/** Points on the chart: the last twelve digests, this one last. */
export const chartPoints = 12;

/** The key that makes queueing one period's digest twice a no-op. */
export function digestKey(scope: DigestScope, period: string): string {
  return `digest:${scope.kind === 'security' ? 'security' : `team:${scope.team}`}:${period}`;
}

function endingNotes(what: string, ending: readonly EndingSoon[], active: number, timezone: string): string[] {
  if (ending.length === 0) return [];
  const list = ending.map((e) => `${e.ref}${e.rule === undefined ? '' : ` (${e.rule} waived)`} until ${day(e.until, timezone)}`).join('; ');
  return [`${what} ending first: ${list}${active > ending.length ? `; and ${counted(active - ending.length)} more` : ''}`];
}

function groups(state: DigestState): DigestGroup[] {
  const { figures: f, timezone, now } = state;
  const p = state.previous[0]?.figures;
  const { apis, identities } = f.coverage;
  const attestations = f.attestations;
  const byTeam = attestations.overdueByTeam.map((t) => `${t.team ?? '(no team)'} ${counted(t.count)}`).join(', ');
  const approvals = f.approvals;
  return [
    {
      title: 'Coverage',
      rows: [
        shareRow('APIs with an operational owner', apis.owned, apis.total, p && { part: p.coverage.apis.owned, whole: p.coverage.apis.total }),
        shareRow('… and an active, named accountable person', apis.accountable, apis.total, p && { part: p.coverage.apis.accountable, whole: p.coverage.apis.total }),
        shareRow('Identities with a lifecycle owner', identities.owned, identities.total, p && { part: p.coverage.identities.owned, whole: p.coverage.identities.total }),
        shareRow('… and an active, named accountable person', identities.accountable, identities.total, p && { part: p.coverage.identities.accountable, whole: p.coverage.identities.total }),
      ],
    },
    {
      title: 'Attestations',
      rows: [
        shareRow(`Answered on time since ${day(attestations.since, timezone)}`, attestations.onTime, attestations.answered, p && { part: p.attestations.onTime, whole: p.attestations.answered }),
        countRow('Expired unanswered in that time', attestations.expired, p?.attestations.expired, 'down'),
        countRow('Overdue now', attestations.overdue, p?.attestations.overdue, 'down'),
      ],
      notes: byTeam === '' ? [] : [`Overdue by team, worst first: ${byTeam}`],
    },
    {
      title: 'Waiting for an owner',
      rows: [
        countRow('Items in the unowned queue', f.unowned.waiting, p?.unowned.waiting, 'down'),
        ...(f.unowned.oldestSince === null ? [] : [{ label: 'The oldest has waited', value: `${age(f.unowned.oldestSince, now)} (since ${day(f.unowned.oldestSince, timezone)})`, change: null }]),
      ],
    },
    {
      title: 'Credentials',
      rows: [
        countRow('Expiring within 7 days', f.credentials.expiringIn7Days, p?.credentials.expiringIn7Days, 'down'),
        countRow('Expiring within 30 days', f.credentials.expiringIn30Days, p?.credentials.expiringIn30Days, 'down'),
        countRow('Past their policy lifetime', f.credentials.pastLifetime, p?.credentials.pastLifetime, 'down'),
        countRow(`Stale (unused ${state.staleAfterDays} days or more)`, f.credentials.stale, p?.credentials.stale, 'down'),
        countRow('Vanished from their source', f.credentials.vanished, p?.credentials.vanished, 'down'),
      ],
    },
    {
      title: 'Approvals, snoozes and exceptions',
      rows: [
        countRow('Pending approvals', approvals.pending, p?.approvals.pending, 'down'),
        countRow('Active snoozes', f.snoozes.active, p?.snoozes.active, 'down'),
        countRow('Active exceptions', f.exceptions.active, p?.exceptions.active, 'down'),
      ],
      notes: [
        ...(approvals.pending === 0
          ? []
          : [
              `Pending by age: under 2 days ${counted(approvals.byAge.underTwoDays)}, 2–7 days ${counted(approvals.byAge.twoToSevenDays)}, over 7 days ${counted(approvals.byAge.overSevenDays)}${approvals.oldestSince === null ? '' : `; the oldest for ${age(approvals.oldestSince, now)}`}`,
            ]),
        ...endingNotes('Snoozes', f.snoozes.endingFirst, f.snoozes.active, timezone),
        ...endingNotes('Exceptions', f.exceptions.endingFirst, f.exceptions.active, timezone),
      ],
    },
    ...(f.undeliverable === null
      ? []
      : [{ title: 'Delivery', rows: [countRow('Messages no platform could deliver (steward outbox --stuck)', f.undeliverable, p?.undeliverable, 'down')] }]),
  ];
}

function chart(state: DigestState): DigestChart {
  const history = [...state.previous.slice(0, chartPoints - 1)].reverse().concat({ at: state.now, figures: state.figures });
  const points = history.map((d) => ({ label: shortDay(d.at, state.timezone), coveragePercent: Math.round(coveragePercent(d.figures) * 10) / 10, overdue: d.figures.attestations.overdue }));
  const last = points[points.length - 1];
  return {
    title: `Coverage and overdue attestations, last ${points.length === 1 ? 'digest' : `${points.length} digests`}`,
    points,
    axis: { x: 'Digest', coverage: 'Coverage (%)', overdue: 'Overdue attestations' },
    altText:
      points.length === 1
        ? `The first digest: coverage ${last?.coveragePercent ?? 0}%, ${last?.overdue ?? 0} attestations overdue.`
        : `Coverage went from ${points[0]?.coveragePercent}% to ${last?.coveragePercent}% and overdue attestations from ${points[0]?.overdue} to ${last?.overdue} over the last ${points.length} digests.`,
  };
}

/** The headline: coverage, overdue and unowned, each with its change, in one sentence. */
function headline(state: DigestState, view: DigestView): string {
  const since = state.previous[0];
  const coverage = `${Math.round(coveragePercent(state.figures))}% of the inventory has an active, named accountable person`;
  const rest = `${counted(state.figures.attestations.overdue)} attestations are overdue and ${counted(state.figures.unowned.waiting)} items wait for an owner`;
  const who = view.scope === 'security' ? '' : ` for team ${view.scope.team}`;
  return since === undefined
    ? `The first digest${who}: ${coverage}; ${rest}.`
    : `Since the digest of ${day(since.at, state.timezone)}${who}: ${coverage}; ${rest}. Each figure shows its change.`;
}

function addresseeOf(scope: DigestScope): Addressee {
  if (scope.kind === 'team') return { kind: 'team_channel', teamId: scope.teamId, team: scope.team, channel: scope.channel };
  return { kind: 'security_channel', channel: scope.channel, ...(scope.digestChannel === null ? {} : { digestChannel: scope.digestChannel }) };
}

/**
 * A digest from the figures counted now and the digests before it: every figure worded with its change, the
 * chart's points (this one and up to eleven before), the audit trail's head to keep, and the message that posts it.
 */
export function decideDigest(state: DigestState): DigestPlan {
  const when = state.scheduledAt ?? state.now;
  const view: DigestView = {
    scope: state.scope.kind === 'security' ? 'security' : { team: state.scope.team },
    period: state.scheduledAt === null ? `Asked for on ${dayAndTime(state.now, state.timezone)}` : `Scheduled for ${dayAndTime(state.scheduledAt, state.timezone)}`,
    groups: groups(state),
    chart: chart(state),
    anchor: state.anchor,
  };
  const title = state.scope.kind === 'security' ? `Steward digest — ${day(when, state.timezone)}` : `Steward digest for team ${state.scope.team} — ${day(when, state.timezone)}`;
  const period = state.scheduledAt === null ? `on_demand:${state.now}` : `scheduled:${state.scheduledAt}`;
  return {
    view,
    message: {
      dedupeKey: digestKey(state.scope, period),
      addressee: addresseeOf(state.scope),
      message: { kind: 'digest', title, text: headline(state, view), sections: [], actions: [], digest: view },
      subjects: [],
    },
  };
}
