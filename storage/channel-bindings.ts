import type Database from 'better-sqlite3';
import type { BindChannelResult } from '../src/channels/decide-binding.js';
import { actorLabel, type Platform } from '../src/ports/attestation-store.js';
import type { BindChannelRequest, ChannelTarget } from '../src/ports/chat-identity-store.js';
import type { AuditLog } from './audit-log.js';
import { OwnerLookup } from './owner-lookup.js';

/** A target as `channel_bindings` keys it: `security`, or `team:<team id>`. */
export function targetKey(target: ChannelTarget): string {
  return target.kind === 'security' ? 'security' : `team:${target.teamId}`;
}

interface TeamRow {
  id: number;
  slug: string;
  lead_person_id: number | null;
}

/**
 * Channels bound per platform (`here team <slug>`, `here security`) and the home a platform claims at its first
 * install. Each method is one transaction.
 */
export class ChannelBindings {
  private readonly s;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
  ) {
    this.s = {
      team: db.prepare<[string], TeamRow>('SELECT id, slug, lead_person_id FROM teams WHERE slug = ? AND vanished_at IS NULL'),
      slugs: db.prepare<[], string>('SELECT slug FROM teams WHERE vanished_at IS NULL ORDER BY slug').pluck(),
      bound: db.prepare<[string, string], { address: string }>('SELECT address FROM channel_bindings WHERE target = ? AND platform = ?'),
      bind: db.prepare<{ target: string; platform: string; team: number | null; address: string; by: number; at: string }>(
        `INSERT INTO channel_bindings (target, platform, team_id, address, bound_by, bound_at) VALUES (@target, @platform, @team, @address, @by, @at)
         ON CONFLICT (target, platform) DO UPDATE SET address = excluded.address, bound_by = excluded.bound_by, bound_at = excluded.bound_at`,
      ),
      // Messages waiting for a channel to their addressee are routed at the next round, not after their backoff.
      wake: db.prepare<{ now: string; kind: string; team: number | null }>(
        `UPDATE outbox SET route_after = @now
         WHERE routed_at IS NULL AND route_after > @now AND json_extract(addressee, '$.kind') = @kind
           AND (@team IS NULL OR json_extract(addressee, '$.teamId') = @team)`,
      ),
      claimHome: db.prepare<{ platform: string; home: string; at: string }>('INSERT INTO platform_homes (platform, home, claimed_at) VALUES (@platform, @home, @at) ON CONFLICT (platform) DO NOTHING'),
      home: db.prepare<[string], string>('SELECT home FROM platform_homes WHERE platform = ?').pluck(),
    };
  }

  bind(request: BindChannelRequest): BindChannelResult {
    return this.db.transaction(() => {
      const lookup = new OwnerLookup(this.db);
      const actor = lookup.actor(request.actor);
      const { target, platform, now, address } = request;
      const slug = target.kind === 'team' ? target.slug.trim().toLowerCase() : null;
      const row = slug === null ? undefined : this.s.team.get(slug);
      const team = row ? { id: row.id, slug: row.slug, lead: lookup.person(row.lead_person_id) } : null;
      const key = target.kind === 'security' ? 'security' : team ? targetKey({ kind: 'team', teamId: team.id }) : null;
      const current = key === null ? null : (this.s.bound.get(key, platform)?.address ?? null);
      const teamSlugs = slug !== null && team === null ? this.s.slugs.all() : [];
      const result = request.decide({ now, platform, actor, target, team, teamSlugs, current, address });
      const subject = slug === null ? 'security' : `team:${slug}`;
      if (!result.ok) {
        this.audit.append({ at: now, actor: actor?.email ?? actorLabel(request.actor), action: 'channel.bind_refused', subject, details: { platform, code: result.code } });
        return result;
      }
      if (actor === null) throw new Error('bindChannel: the core bound a channel for nobody');
      const boundKey = targetKey(result.target);
      const before = this.s.bound.get(boundKey, platform)?.address ?? null;
      // The same channel bound again to the same target: nothing changes, and nothing is recorded.
      if (before === address) return result;
      const teamId = result.target.kind === 'team' ? result.target.teamId : null;
      this.s.bind.run({ target: boundKey, platform, team: teamId, address, by: actor.id, at: now });
      this.s.wake.run({ now, kind: teamId === null ? 'security_channel' : 'team_channel', team: teamId });
      this.audit.append({ at: now, actor: actor.email, action: 'channel.bound', subject, details: { platform, address, replaced: before } });
      return result;
    }).immediate();
  }

  bound(platform: Platform, target: ChannelTarget): string | null {
    return this.s.bound.get(targetKey(target), platform)?.address ?? null;
  }

  claimHome(platform: Platform, home: string, at: string): string {
    return this.db.transaction(() => {
      if (this.s.claimHome.run({ platform, home, at }).changes === 1) this.audit.append({ at, actor: `steward:${platform}`, action: 'platform.home_claimed', subject: platform, details: { home } });
      const recorded = this.s.home.get(platform);
      if (recorded === undefined) throw new Error(`claimHome: no home recorded for ${platform}`);
      return recorded;
    }).immediate();
  }
}
