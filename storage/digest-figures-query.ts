import type Database from 'better-sqlite3';
import { unroutedAfterMs } from '../src/outbox/stuck-after.js';
import type { Deliveries } from './deliveries.js';
import type { CoverageFigures, DigestFigures, EndingSoon, TeamCount } from '../src/digest/digest-figures.js';

/** Not vanished from its source, not retired: what coverage and the credential figures count. */
const live = `i.vanished_at IS NULL AND coalesce(i.lifecycle, '') <> 'decommissioned' AND coalesce(i.status, '') NOT IN ('revoked', 'decommissioned')`;
const answered = `('attested', 'disputed', 'decommission_requested', 'snoozed')`;
/** Soonest-ending snoozes and exceptions a digest names. */
const endingListed = 5;
const dayMs = 86_400_000;

interface Bounds {
  now: string;
  since: string;
  in7: string;
  in30: string;
  minus2: string;
  minus7: string;
  team: number | null;
}

/**
 * The queries one digest's figures take, for the whole inventory or one team (`AND i.owner_team_id = @team`).
 * Each reads through an index (items by expiry, open attestations by due date, closed ones by when, pending
 * requests, open queue entries, the people who left), except coverage, which is one pass over the items without a
 * join, through the covering index items_coverage: a million identities are counted well inside a second.
 */
function statements(db: Database.Database, team: string) {
  return {
    coverage: db.prepare<Bounds, { kind: 'api' | 'identity'; total: number; owned: number; named: number }>(
      `SELECT i.kind, count(*) AS total, count(i.owner_team_id) AS owned,
              count(CASE WHEN i.owner_team_id IS NOT NULL THEN i.accountable_person_id END) AS named
       FROM items i WHERE ${live}${team} GROUP BY i.kind`,
    ),
    // Named, but their person left: the few people who left, joined to their items, not every item to its person.
    leftNamed: db.prepare<Bounds, { kind: 'api' | 'identity'; n: number }>(
      `SELECT i.kind, count(*) AS n FROM people p INDEXED BY people_left CROSS JOIN items i ON i.accountable_person_id = p.id
       WHERE (p.active = 0 OR p.vanished_at IS NOT NULL) AND i.owner_team_id IS NOT NULL AND ${live}${team} GROUP BY i.kind`,
    ),
    answers: db.prepare<Bounds, { answered: number; on_time: number; expired: number }>(
      `SELECT count(CASE WHEN a.outcome IN ${answered} THEN 1 END) AS answered,
              count(CASE WHEN a.outcome IN ${answered} AND a.closed_at <= a.due_at THEN 1 END) AS on_time,
              count(CASE WHEN a.outcome = 'expired' THEN 1 END) AS expired
       FROM attestations a JOIN items i ON i.id = a.item_id
       WHERE a.status = 'closed' AND a.closed_at > @since AND a.closed_at <= @now${team}`,
    ),
    overdue: db.prepare<Bounds, { n: number }>(
      `SELECT count(*) AS n FROM attestations a JOIN items i ON i.id = a.item_id WHERE a.status = 'open' AND a.due_at < @now${team}`,
    ),
    overdueByTeam: db.prepare<Bounds, { team: string | null; n: number }>(
      `SELECT t.slug AS team, count(*) AS n FROM attestations a JOIN items i ON i.id = a.item_id LEFT JOIN teams t ON t.id = i.owner_team_id
       WHERE a.status = 'open' AND a.due_at < @now${team} GROUP BY i.owner_team_id ORDER BY n DESC, t.slug LIMIT 10`,
    ),
    waiting: db.prepare<Bounds, { n: number; oldest: string | null }>(
      `SELECT count(*) AS n, min(q.queued_at) AS oldest FROM queue_entries q JOIN items i ON i.id = q.item_id WHERE q.resolved_at IS NULL${team}`,
    ),
    expiring: db.prepare<Bounds, { in7: number; in30: number }>(
      `SELECT count(CASE WHEN i.expires_at <= @in7 THEN 1 END) AS in7, count(*) AS in30 FROM items i
       WHERE i.expires_at > @now AND i.expires_at <= @in30 AND ${live}${team}`,
    ),
    flags: db.prepare<Bounds, { code: 'past_lifetime' | 'stale'; n: number }>(
      `SELECT f.code, count(*) AS n FROM item_flags f JOIN items i ON i.id = f.item_id WHERE ${live}${team} GROUP BY f.code`,
    ),
    vanished: db.prepare<Bounds, { n: number }>(
      `SELECT count(*) AS n FROM items i WHERE i.vanished_at IS NOT NULL
         AND coalesce(i.lifecycle, '') <> 'decommissioned' AND coalesce(i.status, '') NOT IN ('revoked', 'decommissioned')${team}`,
    ),
    pending: db.prepare<Bounds, { n: number; under2: number; under7: number; oldest: string | null }>(
      `SELECT count(*) AS n, count(CASE WHEN r.requested_at > @minus2 THEN 1 END) AS under2,
              count(CASE WHEN r.requested_at > @minus7 THEN 1 END) AS under7, min(r.requested_at) AS oldest
       FROM approval_requests r JOIN items i ON i.id = r.item_id WHERE r.status = 'pending'${team}`,
    ),
    // Asleep: snoozed until after now, and nothing asked of the item since.
    snoozes: db.prepare<Bounds & { limit: number }, { ref: string; until: string }>(
      `SELECT i.ref, a.snoozed_until AS until FROM attestations a JOIN items i ON i.id = a.item_id
       WHERE a.outcome = 'snoozed' AND a.snoozed_until > @now${team}
         AND NOT EXISTS (SELECT 1 FROM attestations b WHERE b.item_id = a.item_id AND b.id > a.id)
       ORDER BY a.snoozed_until, i.ref LIMIT @limit`,
    ),
    snoozeCount: db.prepare<Bounds, { n: number }>(
      `SELECT count(*) AS n FROM attestations a JOIN items i ON i.id = a.item_id
       WHERE a.outcome = 'snoozed' AND a.snoozed_until > @now${team}
         AND NOT EXISTS (SELECT 1 FROM attestations b WHERE b.item_id = a.item_id AND b.id > a.id)`,
    ),
    exceptions: db.prepare<Bounds, { ref: string; until: string; rule: string | null }>(
      `SELECT i.ref, json_extract(r.payload, '$.until') AS until, json_extract(r.payload, '$.rule') AS rule
       FROM approval_requests r JOIN items i ON i.id = r.item_id
       WHERE r.kind = 'exception' AND r.status = 'approved' AND json_extract(r.payload, '$.until') > @now${team}
       ORDER BY until, i.ref`,
    ),
  };
}

const emptyCoverage: CoverageFigures = { total: 0, owned: 0, accountable: 0 };

/** Counts a digest's figures, for the whole inventory or one team, inside the caller's transaction. */
export class DigestFiguresQuery {
  private readonly all;
  private readonly oneTeam;

  constructor(
    db: Database.Database,
    private readonly deliveries: Deliveries,
  ) {
    this.all = statements(db, '');
    this.oneTeam = statements(db, ' AND i.owner_team_id = @team');
  }

  figures(now: string, since: string, teamId: number | null): DigestFigures {
    const s = teamId === null ? this.all : this.oneTeam;
    const at = Date.parse(now);
    const iso = (offsetDays: number) => new Date(at + offsetDays * dayMs).toISOString();
    const b: Bounds = { now, since, in7: iso(7), in30: iso(30), minus2: iso(-2), minus7: iso(-7), team: teamId };
    const left = new Map(s.leftNamed.all(b).map((r) => [r.kind, r.n]));
    const coverage = { apis: emptyCoverage, identities: emptyCoverage };
    for (const row of s.coverage.all(b)) {
      const figures = { total: row.total, owned: row.owned, accountable: row.named - (left.get(row.kind) ?? 0) };
      if (row.kind === 'api') coverage.apis = figures;
      else coverage.identities = figures;
    }
    const answers = s.answers.get(b) ?? { answered: 0, on_time: 0, expired: 0 };
    const waiting = s.waiting.get(b) ?? { n: 0, oldest: null };
    const expiring = s.expiring.get(b) ?? { in7: 0, in30: 0 };
    const flags = new Map(s.flags.all(b).map((r) => [r.code, r.n]));
    const pending = s.pending.get(b) ?? { n: 0, under2: 0, under7: 0, oldest: null };
    const exceptions = s.exceptions.all(b);
    const overdueByTeam: TeamCount[] = s.overdueByTeam.all(b).map((r) => ({ team: r.team, count: r.n }));
    const ending = (rows: ReadonlyArray<{ ref: string; until: string; rule?: string | null }>): EndingSoon[] =>
      rows.slice(0, endingListed).map((r) => ({ ref: r.ref, until: r.until, ...(r.rule ? { rule: r.rule } : {}) }));
    return {
      coverage,
      attestations: { since, answered: answers.answered, onTime: answers.on_time, expired: answers.expired, overdue: s.overdue.get(b)?.n ?? 0, overdueByTeam },
      unowned: { waiting: waiting.n, oldestSince: waiting.oldest },
      credentials: {
        expiringIn7Days: expiring.in7,
        expiringIn30Days: expiring.in30,
        pastLifetime: flags.get('past_lifetime') ?? 0,
        stale: flags.get('stale') ?? 0,
        vanished: s.vanished.get(b)?.n ?? 0,
      },
      approvals: {
        pending: pending.n,
        byAge: { underTwoDays: pending.under2, twoToSevenDays: pending.under7 - pending.under2, overSevenDays: pending.n - pending.under7 },
        oldestSince: pending.oldest,
      },
      snoozes: { active: s.snoozeCount.get(b)?.n ?? 0, endingFirst: ending(s.snoozes.all({ ...b, limit: endingListed })) },
      exceptions: { active: exceptions.length, endingFirst: ending(exceptions) },
      undeliverable: teamId === null ? this.deliveries.stuckCount(new Date(at - unroutedAfterMs).toISOString()) : null,
    };
  }
}
