import type Database from 'better-sqlite3';
import type { AttestedFacts, TickAttestedItem, TickOwner, TickPerson, TickTeam } from '../src/attestation/tick-state.js';
import type { Exposure, IdentityKind, IdentityStatus, ItemKind, Lifecycle, Sensitivity } from '../src/model/vocabulary.js';
import type { ActorKey } from '../src/ports/attestation-store.js';

interface PersonRow {
  id: number;
  email: string;
  display_name: string | null;
  active: number;
  vanished_at: string | null;
}

interface TeamRow {
  id: number;
  slug: string;
  channel: string | null;
  lead_person_id: number | null;
  /** 1 when a channel is bound to the team on some platform. */
  bound: number;
}

/** The item columns the attestation loop reads. */
export interface LoopItemRow {
  id: number;
  kind: ItemKind;
  ref: string;
  name: string;
  purpose: string | null;
  sensitivity: Sensitivity | null;
  exposure: Exposure | null;
  lifecycle: Lifecycle | null;
  revocation_path: string | null;
  identity_kind: IdentityKind | null;
  status: IdentityStatus | null;
  scopes: string;
  created_at: string | null;
  expires_at: string | null;
  last_used_at: string | null;
  recovery_procedure: string | null;
  owner_team_id: number | null;
  accountable_person_id: number | null;
  backup_person_id: number | null;
  first_seen_at: string;
  owned_since: string | null;
  vanished_at: string | null;
  next_attestation_at: string | null;
}

export const loopItemColumns = `i.id, i.kind, i.ref, i.name, i.purpose, i.sensitivity, i.exposure, i.lifecycle, i.revocation_path, i.identity_kind, i.status,
  i.scopes, i.created_at, i.expires_at, i.last_used_at, i.recovery_procedure, i.owner_team_id, i.accountable_person_id, i.backup_person_id,
  i.first_seen_at, i.owned_since, i.vanished_at, i.next_attestation_at`;

const linkWords: Record<string, { out: string; in: string }> = {
  depends_on: { out: 'depends on', in: 'needed by' },
  serves: { out: 'serves', in: 'served by' },
  calls: { out: 'calls', in: 'called by' },
  acts_as: { out: 'acts as', in: 'assumed by' },
};

/**
 * People, teams and facts for the attestation loop, cached for one transaction: a tick asks about the same
 * owners for many items.
 */
export class OwnerLookup {
  private readonly people = new Map<number, TickPerson | null>();
  private readonly teams = new Map<number, TickTeam | null>();
  private readonly boundTeams = new Set<number>();
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      person: db.prepare<[number], PersonRow>('SELECT id, email, display_name, active, vanished_at FROM people WHERE id = ?'),
      byEmail: db.prepare<[string], PersonRow>('SELECT id, email, display_name, active, vanished_at FROM people WHERE email = ?'),
      byAccount: db.prepare<[string, string], PersonRow>(
        'SELECT p.id, p.email, p.display_name, p.active, p.vanished_at FROM chat_accounts a JOIN people p ON p.id = a.person_id WHERE a.platform = ? AND a.account_id = ?',
      ),
      // Whether a channel is bound to the team, by the bindings' primary key (target, platform): one indexed probe per team.
      team: db.prepare<[number], TeamRow>(
        `SELECT t.id, t.slug, t.channel, t.lead_person_id, EXISTS (SELECT 1 FROM channel_bindings b WHERE b.target = 'team:' || t.id) AS bound
         FROM teams t WHERE t.id = ?`,
      ),
      linksOut: db.prepare<[number], { relation: string; to_kind: string; to_ref: string }>('SELECT relation, to_kind, to_ref FROM item_links WHERE item_id = ? LIMIT 6'),
      linksIn: db.prepare<[string, string], { relation: string; kind: string; ref: string }>(
        'SELECT l.relation, i.kind, i.ref FROM item_links l JOIN items i ON i.id = l.item_id WHERE l.to_kind = ? AND l.to_ref = ? LIMIT 6',
      ),
    };
  }

  private toPerson(row: PersonRow | undefined): TickPerson | null {
    return row ? { id: row.id, email: row.email, displayName: row.display_name, active: row.active === 1 && row.vanished_at === null } : null;
  }

  person(id: number | null): TickPerson | null {
    if (id === null) return null;
    if (!this.people.has(id)) this.people.set(id, this.toPerson(this.s.person.get(id)));
    return this.people.get(id) ?? null;
  }

  actor(key: ActorKey): TickPerson | null {
    if ('email' in key) return this.toPerson(this.s.byEmail.get(key.email.trim().toLowerCase()));
    return this.toPerson(this.s.byAccount.get(key.platform, key.accountId));
  }

  team(id: number | null): TickTeam | null {
    if (id === null) return null;
    if (!this.teams.has(id)) {
      const row = this.s.team.get(id);
      this.teams.set(id, row ? { id: row.id, slug: row.slug, channel: row.channel, lead: this.person(row.lead_person_id) } : null);
      if (row?.bound === 1) this.boundTeams.add(row.id);
    }
    return this.teams.get(id) ?? null;
  }

  /** The teams read so far that have a channel bound to them on some platform (`TickState.teamsWithBoundChannel`). */
  teamsWithBoundChannel(): number[] {
    return [...this.boundTeams].sort((a, b) => a - b);
  }

  owner(row: Pick<LoopItemRow, 'owner_team_id' | 'accountable_person_id' | 'backup_person_id'>): TickOwner {
    return { team: this.team(row.owner_team_id), accountable: this.person(row.accountable_person_id), backup: this.person(row.backup_person_id) };
  }

  /** The facts an owner is asked to confirm, as they stand now. */
  facts(row: LoopItemRow): AttestedFacts {
    const linked = [
      ...this.s.linksOut.all(row.id).map((l) => `${linkWords[l.relation]?.out ?? l.relation} ${l.to_kind} ${l.to_ref}`),
      ...this.s.linksIn.all(row.kind, row.ref).map((l) => `${linkWords[l.relation]?.in ?? l.relation} ${l.kind} ${l.ref}`),
    ];
    if (row.kind === 'api') return { purpose: row.purpose, sensitivity: row.sensitivity, exposure: row.exposure, revocationPath: row.revocation_path, linked };
    return {
      purpose: row.purpose,
      scopes: JSON.parse(row.scopes) as string[],
      expiresAt: row.expires_at,
      recoveryProcedure: row.recovery_procedure,
      lastUsedAt: row.last_used_at,
      linked,
    };
  }

  attestedItem(row: LoopItemRow, facts: AttestedFacts = this.facts(row)): TickAttestedItem & { vanished: boolean } {
    return {
      id: row.id,
      kind: row.kind,
      ref: row.ref,
      name: row.name,
      facts,
      owner: this.owner(row),
      sensitivity: row.sensitivity,
      exposure: row.exposure,
      identityKind: row.identity_kind,
      scopes: JSON.parse(row.scopes) as string[],
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      vanished: row.vanished_at !== null,
    };
  }
}
