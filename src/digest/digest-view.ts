/**
 * A digest as the chat platforms show it: the core words every figure and its change; adapters lay the groups
 * out (Block Kit fields, Adaptive Card fact sets, plain text) and draw the chart from its points.
 */
export interface DigestRow {
  /** What is counted, in words: "APIs with an operational owner". */
  readonly label: string;
  /** The figure now, in words: "1,204 of 1,310 (92%)". */
  readonly value: string;
  /** Its change since the previous digest, in words ("+12", "−3 points", "no change"); null on the first digest. */
  readonly change: string | null;
  /** Whether the change is for the better, the worse, or neither: adapters may colour it. */
  readonly trend?: 'better' | 'worse' | 'same';
}

export interface DigestGroup {
  readonly title: string;
  readonly rows: readonly DigestRow[];
  /** Lines under the rows: the worst teams, the oldest requests, the snoozes and exceptions with their end dates. */
  readonly notes?: readonly string[];
}

/** One point of the chart: one digest, oldest first. */
export interface DigestChartPoint {
  /** The digest's date as the axis shows it ("7 Dec"). */
  readonly label: string;
  /** Items with an active, named accountable person, as a percentage of the live inventory (0–100). */
  readonly coveragePercent: number;
  /** Attestations past their due date when that digest was made. */
  readonly overdue: number;
}

export interface DigestChart {
  readonly title: string;
  /** The last twelve digests at most, this one last. */
  readonly points: readonly DigestChartPoint[];
  /** The axes' and series' names, as the chart shows them. */
  readonly axis: { readonly x: string; readonly coverage: string; readonly overdue: string };
  /** A sentence saying what the chart shows, for screen readers and the platforms' alt text. */
  readonly altText: string;
}

export interface DigestView {
  /** Whose digest: the security leads', or one team's. */
  readonly scope: 'security' | { readonly team: string };
  /** The period it stands for, in words ("Week of Mon 7 Dec 2026"). */
  readonly period: string;
  readonly groups: readonly DigestGroup[];
  readonly chart: DigestChart;
  /** The audit trail's head when the digest was made: keep it, and `audit verify --expect-head` proves nothing was removed since. */
  readonly anchor: { readonly events: number; readonly headHash: string };
}
