import type Database from 'better-sqlite3';
import type { DigestScope, DigestSnapshot } from '../src/digest/decide-digest.js';
import { chartPoints } from '../src/digest/decide-digest.js';
import type { DigestFigures } from '../src/digest/digest-figures.js';
import type { DigestOutcome, DigestRequest, DigestTeam } from '../src/ports/digest-store.js';
import { genesis, type AuditLog } from './audit-log.js';
import type { Deliveries } from './deliveries.js';
import { DigestFiguresQuery } from './digest-figures-query.js';
import type { Outbox } from './outbox.js';

/** The first digest counts the answers of the 30 days before it. */
const firstWindowDays = 30;

function scopeKey(scope: DigestScope): string {
  return scope.kind === 'security' ? 'security' : `team:${scope.team}`;
}

/**
 * Makes digests: counts the figures, reads the digests before, asks the core to word it, then stores the snapshot,
 * queues the message and records the audit event in one IMMEDIATE transaction. The `digests` table's (scope,
 * period) key makes a scheduled period's digest once, whichever tick or process gets there first.
 */
export class DigestRunner {
  private readonly query: DigestFiguresQuery;
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly outbox: Outbox,
    deliveries: Deliveries,
  ) {
    this.query = new DigestFiguresQuery(db, deliveries);
    this.s = {
      made: db.prepare<[string, string], { id: number }>('SELECT id FROM digests WHERE scope = ? AND period = ?'),
      tickedBefore: db.prepare<[string], { at: string }>('SELECT at FROM ticks WHERE at < ? LIMIT 1'),
      // Made at or before the digest's time: one printed `--at` an earlier time compares with what came before it.
      previous: db.prepare<[string, string, number], { at: string; figures: string }>('SELECT at, figures FROM digests WHERE scope = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT ?'),
      insert: db.prepare<{ scope: string; period: string; at: string; figures: string; events: number; head: string; policy: string }>(
        `INSERT INTO digests (scope, period, at, figures, audit_events, audit_head, policy_version)
         VALUES (@scope, @period, @at, @figures, @events, @head, @policy)`,
      ),
      teams: db.prepare<[], { id: number; slug: string; channel: string | null }>(
        // With somewhere to post it: a channel the inventory names, or one bound to the team on a platform. A team
        // with neither would add an undeliverable message every period.
        `SELECT t.id, t.slug, t.channel FROM teams t
         WHERE EXISTS (SELECT 1 FROM items i WHERE i.owner_team_id = t.id AND i.vanished_at IS NULL)
           AND (t.channel IS NOT NULL OR EXISTS (SELECT 1 FROM channel_bindings b WHERE b.team_id = t.id))
         ORDER BY t.slug`,
      ),
    };
  }

  make(request: DigestRequest): DigestOutcome {
    const run = this.db.transaction((): DigestOutcome => {
      const scope = scopeKey(request.scope);
      const period = request.scheduledAt === null ? `on_demand:${request.now}` : `scheduled:${request.scheduledAt}`;
      if (request.scheduledAt !== null) {
        if (this.s.made.get(scope, period)) return { status: 'already_made' };
        if (!this.s.tickedBefore.get(request.scheduledAt)) return { status: 'before_first_tick' };
      }
      const previous: DigestSnapshot[] = this.s.previous
        .all(scope, request.now, chartPoints - 1)
        .map((row) => ({ at: row.at, figures: JSON.parse(row.figures) as DigestFigures }));
      const since = previous[0]?.at ?? new Date(Date.parse(request.now) - firstWindowDays * 86_400_000).toISOString();
      const figures = this.query.figures(request.now, since, request.scope.kind === 'team' ? request.scope.teamId : null);
      const head = this.audit.head();
      const anchor = { events: head?.events ?? 0, headHash: head?.hash ?? genesis };
      const plan = request.decide({ figures, previous, anchor });
      if (!request.apply) return { status: 'made', plan, figures, queued: 0 };
      this.s.insert.run({ scope, period, at: request.now, figures: JSON.stringify(figures), events: anchor.events, head: anchor.headHash, policy: request.policyVersion });
      const queued = this.outbox.enqueue(plan.message, request.now) ? 1 : 0;
      this.audit.append({
        at: request.now,
        actor: request.actor,
        action: 'digest.made',
        subject: scope,
        details: { period, anchor, coverage: figures.coverage, overdue: figures.attestations.overdue, unowned: figures.unowned.waiting, policyVersion: request.policyVersion },
      });
      return { status: 'made', plan, figures, queued };
    });
    // A dry run writes nothing, so it needs no write lock; the rest take it first, as every writer here does.
    return request.apply ? run.immediate() : run.deferred();
  }

  teams(): DigestTeam[] {
    return this.s.teams.all().map((t) => ({ teamId: t.id, team: t.slug, channel: t.channel }));
  }
}
