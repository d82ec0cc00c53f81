import type { SqliteStore } from '../../../storage/sqlite-store.js';

export interface TeamRow {
  readonly slug: string;
  readonly name: string;
  readonly parent: string | null;
  readonly lead: string | null;
  readonly channel: string | null;
  /** Member emails, sorted. */
  readonly members: readonly string[];
}

export interface PersonRow {
  readonly email: string;
  readonly displayName: string | null;
  /** Team slugs, sorted. */
  readonly teams: readonly string[];
}

/**
 * The teams and people a store holds, read straight from its tables: the store port has no query for them
 * yet, and importer tests must show that groups became teams and users became people. Sorted by slug / email.
 */
export function directoryOf(store: SqliteStore): { teams: TeamRow[]; people: PersonRow[] } {
  const teams = store.db
    .prepare<[], { slug: string; name: string; parent: string | null; lead: string | null; channel: string | null; members: string | null }>(
      `SELECT t.slug, t.name, p.slug AS parent, l.email AS lead, t.channel,
              (SELECT group_concat(email, ' ') FROM (SELECT pe.email FROM team_members m JOIN people pe ON pe.id = m.person_id
                WHERE m.team_id = t.id ORDER BY pe.email)) AS members
       FROM teams t LEFT JOIN teams p ON p.id = t.parent_id LEFT JOIN people l ON l.id = t.lead_person_id
       ORDER BY t.slug`,
    )
    .all()
    .map(({ members, ...team }) => ({ ...team, members: members === null ? [] : members.split(' ') }));
  const people = store.db
    .prepare<[], { email: string; displayName: string | null; teams: string | null }>(
      `SELECT pe.email, pe.display_name AS displayName,
              (SELECT group_concat(slug, ' ') FROM (SELECT t.slug FROM team_members m JOIN teams t ON t.id = m.team_id
                WHERE m.person_id = pe.id ORDER BY t.slug)) AS teams
       FROM people pe ORDER BY pe.email`,
    )
    .all()
    .map(({ teams: slugs, ...person }) => ({ ...person, teams: slugs === null ? [] : slugs.split(' ') }));
  return { teams, people };
}
