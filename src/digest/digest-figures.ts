/**
 * The figures a digest reports, as the store counts them at one moment. Each digest's are kept (the `digests`
 * table), so the next one shows what changed and the chart draws the trend.
 */
export interface CoverageFigures {
  /** Live items: not vanished from their source, not retired. */
  readonly total: number;
  /** With an owning team (an API's operational owner, an identity's lifecycle owner). */
  readonly owned: number;
  /** Of those, with a named accountable person who is still active. */
  readonly accountable: number;
}

export interface TeamCount {
  /** The owning team's slug; null for items no team owns. */
  readonly team: string | null;
  readonly count: number;
}

export interface EndingSoon {
  readonly ref: string;
  readonly until: string;
  /** An exception's gate rule, when it waives one. */
  readonly rule?: string;
}

export interface DigestFigures {
  readonly coverage: { readonly apis: CoverageFigures; readonly identities: CoverageFigures };
  readonly attestations: {
    /** The window the answers were counted over: since the previous digest (or the 30 days before the first). */
    readonly since: string;
    /** Answered (attested, disputed, decommission asked, snoozed) in the window, and of them before their due date. */
    readonly answered: number;
    readonly onTime: number;
    /** Expired unanswered in the window. */
    readonly expired: number;
    /** Open now and past their due date. */
    readonly overdue: number;
    /** Overdue by owning team, worst first (at most ten). */
    readonly overdueByTeam: readonly TeamCount[];
  };
  /** Items waiting for an owner (the security and team queues): how many, and since when the oldest. */
  readonly unowned: { readonly waiting: number; readonly oldestSince: string | null };
  readonly credentials: {
    readonly expiringIn7Days: number;
    readonly expiringIn30Days: number;
    readonly pastLifetime: number;
    readonly stale: number;
    /** Items (APIs too) gone from the source that declared them. */
    readonly vanished: number;
  };
  readonly approvals: {
    readonly pending: number;
    /** Pending for under 2 days, 2 to 7 days, over 7 days. */
    readonly byAge: { readonly underTwoDays: number; readonly twoToSevenDays: number; readonly overSevenDays: number };
    readonly oldestSince: string | null;
  };
  /** Attestations snoozed and still asleep, and approved exceptions still running: how many, and the soonest to end. */
  readonly snoozes: { readonly active: number; readonly endingFirst: readonly EndingSoon[] };
  readonly exceptions: { readonly active: number; readonly endingFirst: readonly EndingSoon[] };
  /** Messages no platform could deliver (`steward outbox --stuck`); null in a team's digest. */
  readonly undeliverable: number | null;
}

/** Items with an active, named accountable person, as a share of the live inventory (0–100; 100 when there is none). */
export function coveragePercent(figures: DigestFigures): number {
  const { apis, identities } = figures.coverage;
  const total = apis.total + identities.total;
  return total === 0 ? 100 : (100 * (apis.accountable + identities.accountable)) / total;
}
