import type { PersonData, TeamData } from '../src/inventory/import-entry.js';
import type { OwnerRoles } from '../src/inventory/merge-owner-claim.js';
import type { SourceLocation } from '../src/inventory/source-location.js';
import type { AuditLog } from './audit-log.js';
import type { ImportStatements } from './import-statements.js';
import type { Tally } from './import-tally.js';

/** What one snapshot's run knows of the import it belongs to. */
export interface RunContext {
  readonly source: string;
  readonly format: string;
  readonly at: string;
  readonly actor: string;
}

/**
 * A copy of `text` that shares no memory with the string it was cut from. Parsers hand out slices of their
 * input chunks, and V8 keeps a whole chunk alive for as long as any slice of it lives: a cache key cut from
 * each chunk of a large file would keep the whole file in memory.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * The teams and people of one snapshot's run: declared ones upserted, the ones only named as owners created
 * on first mention, and each one's id cached by slug or email (a large import names the same few thousand
 * again and again).
 */
export class ImportDirectory {
  private readonly teamIds = new Map<string, number>();
  private readonly personIds = new Map<string, number>();
  /** Teams and people this run created, so a later entry that declares them is not counted twice. */
  private readonly createdHere = { teams: new Set<number>(), people: new Set<number>() };

  constructor(
    private readonly s: ImportStatements,
    private readonly audit: AuditLog,
    private readonly request: RunContext,
    private readonly importId: number,
    private readonly tally: Tally,
  ) {}

  teamId(slug: string): number {
    const cached = this.teamIds.get(slug);
    if (cached !== undefined) return cached;
    const existing = this.s.teamBySlug.get(slug);
    let id: number;
    if (existing) id = existing.id;
    else {
      id = Number(this.s.insertTeam.run(slug, slug, this.request.at, this.request.at).lastInsertRowid);
      this.createdHere.teams.add(id);
      this.tally.teams.created += 1;
    }
    this.teamIds.set(detached(slug), id);
    return id;
  }

  personId(email: string): number {
    const cached = this.personIds.get(email);
    if (cached !== undefined) return cached;
    const existing = this.s.personByEmail.get(email);
    let id: number;
    if (existing) id = existing.id;
    else {
      id = Number(this.s.insertPerson.run(email, this.request.at, this.request.at).lastInsertRowid);
      this.createdHere.people.add(id);
      this.tally.people.created += 1;
    }
    this.personIds.set(detached(email), id);
    return id;
  }

  optionalPerson(email: string | undefined): number | undefined {
    return email === undefined ? undefined : this.personId(email);
  }

  /** Active, and still listed by their source: someone who can answer for an item. */
  isActive(personId: number): boolean {
    const person = this.s.personById.get(personId);
    return person !== undefined && person.active === 1 && person.vanished_at === null;
  }

  emailOf(personId: number | null): string | null {
    return personId === null ? null : (this.s.personById.get(personId)?.email ?? null);
  }

  /** An owner in words, for the audit trail. */
  describeOwner(owner: OwnerRoles<number>): Record<string, string | null> {
    return {
      team: owner.team === null ? null : (this.s.teamById.get(owner.team)?.slug ?? null),
      accountable: this.emailOf(owner.accountable),
      backup: this.emailOf(owner.backup),
      approver: this.emailOf(owner.approver),
    };
  }

  upsertTeam(data: TeamData, entry: { at: SourceLocation }): void {
    const { at, source, actor } = this.request;
    const before = this.s.teamBySlug.get(data.slug);
    const id = this.teamId(data.slug);
    const parentId = data.parent === undefined ? null : this.teamId(data.parent);
    if (parentId === id) {
      this.tally.refuse([{ at: entry.at, field: 'parent', message: `team ${data.slug} cannot be its own parent` }]);
      return;
    }
    const leadId = this.optionalPerson(data.lead) ?? null;
    const name = data.name ?? data.slug;
    const channel = data.channel ?? null;
    this.s.updateTeam.run(name, parentId, leadId, channel, source, this.importId, at, id);
    for (const member of data.members) this.addMembership(id, this.personId(member));
    if (before === undefined || this.createdHere.teams.has(id)) return; // counted as created by teamId()
    const changed = before.name !== name || before.parent_id !== parentId || before.lead_person_id !== leadId || before.channel !== channel;
    if (changed) {
      this.tally.teams.updated += 1;
      this.audit.append({ at, actor, action: 'team.updated', subject: data.slug, details: { source, name, channel } });
    } else if (before.last_import_id !== this.importId) this.tally.teams.unchanged += 1;
  }

  upsertPerson(data: PersonData): void {
    const { at, source, actor } = this.request;
    const before = this.s.personByEmail.get(data.email);
    const id = this.personId(data.email);
    const displayName = data.displayName ?? before?.display_name ?? null;
    const active = data.active === undefined ? (before?.active ?? 1) : data.active ? 1 : 0;
    this.s.updatePerson.run({ name: displayName, active, source, importId: this.importId, at, id });
    for (const team of data.teams) this.addMembership(this.teamId(team), id);
    if (before === undefined || this.createdHere.people.has(id)) return; // counted as created by personId()
    if (before.active === 1 && active === 0)
      this.audit.append({ at, actor, action: 'person.deactivated', subject: data.email, details: { source } });
    if (before.display_name !== displayName || before.active !== active) this.tally.people.updated += 1;
    else if (before.last_import_id !== this.importId) this.tally.people.unchanged += 1;
  }

  /** Flags the teams and people this source declared before and does not now, and drops the memberships it no longer states. */
  finish(): void {
    const { at, source, actor } = this.request;
    for (const team of this.s.unseenTeams.all(source, this.importId)) {
      this.s.markTeamVanished.run(at, team.id);
      this.audit.append({ at, actor, action: 'team.vanished', subject: team.slug, details: { source } });
    }
    for (const person of this.s.unseenPeople.all(source, this.importId)) {
      this.s.markPersonVanished.run(at, person.id);
      this.audit.append({ at, actor, action: 'person.vanished', subject: person.email, details: { source } });
    }
    this.s.dropUnstatedMemberships.run(source);
  }

  private addMembership(teamId: number, personId: number): void {
    this.s.upsertMember.run(teamId, personId, this.request.source);
    this.s.stateMembership.run(teamId, personId);
  }
}
