import type { DigestPlan, DigestScope, DigestSnapshot } from '../digest/decide-digest.js';
import type { DigestFigures } from '../digest/digest-figures.js';

/** What the store hands the digest's decision: the figures now, the digests before, the audit trail's head. */
export interface DigestInputs {
  readonly figures: DigestFigures;
  /** This scope's previous digests, newest first (at most eleven). */
  readonly previous: readonly DigestSnapshot[];
  readonly anchor: { readonly events: number; readonly headHash: string };
}

export interface DigestRequest {
  readonly now: string;
  readonly scope: DigestScope;
  /** The scheduled time it stands for (made once per scope), or null for one asked for now. */
  readonly scheduledAt: string | null;
  /**
   * False for `digest --print` and a dry-run tick: decided and returned, nothing stored or queued. A scheduled
   * digest already made for its period is not made again either way.
   */
  readonly apply: boolean;
  readonly policyVersion: string;
  /** Who made it, for the audit trail (`steward:tick`, `cli:alice@host`). */
  readonly actor: string;
  decide(inputs: DigestInputs): DigestPlan;
}

export type DigestOutcome =
  | { readonly status: 'made'; readonly plan: DigestPlan; readonly figures: DigestFigures; readonly queued: number }
  /** This period's digest was made before: nothing new. */
  | { readonly status: 'already_made' }
  /**
   * The period began before Steward's first tick on this database: a digest is for periods Steward ran through,
   * so a new install does not post one for the week before it started.
   */
  | { readonly status: 'before_first_tick' };

/** A team a digest can be made for: it owns live items. */
export interface DigestTeam {
  readonly teamId: number;
  readonly team: string;
  readonly channel: string | null;
}

/** The digests' side of the store port. */
export interface DigestStore {
  /**
   * Counts the figures, reads the digests before and the audit head, asks `decide`, then (when `apply`) stores
   * the figures as this digest's snapshot, queues its message and records the audit event — one transaction, so a
   * period's digest is made once however many ticks or dispatchers see it.
   */
  makeDigest(request: DigestRequest): Promise<DigestOutcome>;
  /** The teams that own live items, for per-team digests. */
  digestTeams(): Promise<readonly DigestTeam[]>;
}
