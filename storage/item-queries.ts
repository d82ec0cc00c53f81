import type Database from 'better-sqlite3';
import type { Item, ItemDetail, ItemKind, ItemSummary, LinkedItem, OwnershipPeriod, OwnerSuggestion, PersonSummary } from '../src/model/index.js';
import type { EdgeRelation, Exposure, IdentityKind, IdentityStatus, Lifecycle, Sensitivity } from '../src/model/vocabulary.js';
import type { InventoryCounts, ItemList, ListFilter, SearchQuery } from '../src/ports/store.js';
import { everyTrigramQuery, NearestByTrigrams } from './search-index.js';

/** The columns and joins behind an `ItemSummary` (alias `i` for items), for every query that lists items. */
export const summaryColumns = `i.kind, i.ref, i.name, t.slug AS team, pa.email AS accountable, i.expires_at, i.vanished_at`;
export const summaryFrom = `items i
  LEFT JOIN teams t ON t.id = i.owner_team_id
  LEFT JOIN people pa ON pa.id = i.accountable_person_id`;

export interface SummaryRow {
  kind: ItemKind;
  ref: string;
  name: string;
  team: string | null;
  accountable: string | null;
  expires_at: string | null;
  vanished_at: string | null;
}

export function toSummary(row: SummaryRow): ItemSummary {
  return {
    kind: row.kind,
    ref: row.ref,
    name: row.name,
    team: row.team,
    accountable: row.accountable,
    expiresAt: row.expires_at,
    vanished: row.vanished_at !== null,
  };
}

interface DetailRow {
  id: number;
  kind: ItemKind;
  ref: string;
  name: string;
  purpose: string | null;
  sensitivity: Sensitivity | null;
  exposure: Exposure | null;
  auth_method: string | null;
  revocation_path: string | null;
  lifecycle: Lifecycle | null;
  system: string | null;
  code_path: string | null;
  identity_kind: IdentityKind | null;
  provider: string | null;
  scopes: string;
  created_at: string | null;
  expires_at: string | null;
  last_rotated_at: string | null;
  last_used_at: string | null;
  last_used_service: string | null;
  recovery_procedure: string | null;
  status: IdentityStatus | null;
  owned_since: string | null;
  source: string;
  source_key: string;
  first_seen_at: string;
  last_seen_at: string;
  vanished_at: string | null;
  team_slug: string | null;
  team_name: string | null;
  team_channel: string | null;
  lead_email: string | null;
  lead_name: string | null;
  lead_active: number | null;
  acc_email: string | null;
  acc_name: string | null;
  acc_active: number | null;
  backup_email: string | null;
  backup_name: string | null;
  backup_active: number | null;
  approver_email: string | null;
  approver_name: string | null;
  approver_active: number | null;
}

function person(email: string | null, name: string | null, active: number | null): PersonSummary | null {
  return email === null ? null : { email, displayName: name, active: active === 1 };
}

function toItem(row: DetailRow): Item {
  const base = {
    ref: row.ref,
    name: row.name,
    purpose: row.purpose,
    owner: {
      team:
        row.team_slug === null
          ? null
          : { slug: row.team_slug, name: row.team_name ?? row.team_slug, lead: person(row.lead_email, row.lead_name, row.lead_active), channel: row.team_channel },
      accountable: person(row.acc_email, row.acc_name, row.acc_active),
      backup: person(row.backup_email, row.backup_name, row.backup_active),
      approver: person(row.approver_email, row.approver_name, row.approver_active),
      since: row.owned_since,
    },
    provenance: { source: row.source, sourceKey: row.source_key, firstSeenAt: row.first_seen_at, lastSeenAt: row.last_seen_at, vanishedAt: row.vanished_at },
  };
  if (row.kind === 'api')
    return {
      ...base,
      kind: 'api',
      sensitivity: row.sensitivity,
      exposure: row.exposure,
      authMethod: row.auth_method,
      revocationPath: row.revocation_path,
      lifecycle: row.lifecycle,
      system: row.system,
      codePath: row.code_path,
    };
  return {
    ...base,
    kind: 'identity',
    // The CHECK constraint on items guarantees these for identities.
    identityKind: row.identity_kind as IdentityKind,
    provider: row.provider as string,
    status: row.status as IdentityStatus,
    scopes: JSON.parse(row.scopes) as string[],
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastRotatedAt: row.last_rotated_at,
    lastUsedAt: row.last_used_at,
    lastUsedService: row.last_used_service,
    recoveryProcedure: row.recovery_procedure,
  };
}

// A person is active while their source says so and still lists them. Backstage has no "active" flag: a
// departed person's User entity is simply removed, so vanishing from the directory is how leaving shows.
const stillActive = (alias: string) => `(${alias}.active = 1 AND ${alias}.vanished_at IS NULL)`;

// Prefix search uses the NOCASE index as a range: every string that starts with `p` sorts between `p` and
// `p` followed by the highest code point.
const afterPrefix = (prefix: string) => `${prefix}\u{10FFFF}`;

/**
 * How many items containing a part are put in order at most: when more contain it, the first shown are the first in
 * order among the first this many found (the list says there are more; a longer part narrows it).
 */
export const substringOrderLimit = 1000;

// The summary joins after a derived table `m` of ids: CROSS JOIN keeps SQLite from walking items in (kind, ref)
// order over the whole inventory to avoid a sort, which reads every row when few match.
const summaryAfterIds = `CROSS JOIN items i
  LEFT JOIN teams t ON t.id = i.owner_team_id
  LEFT JOIN people pa ON pa.id = i.accountable_person_id`;

/** One part of a list: the tables it reads and its conditions (alias `i` for items). Parts are disjoint. */
interface ListPart {
  readonly from: string;
  readonly where: readonly string[];
}

/** The read side of the SQLite store: lookups for `who`, filters for `list`, counts. */
export class ItemQueries {
  private readonly s;
  private readonly nearest: NearestByTrigrams;

  constructor(private readonly db: Database.Database) {
    this.nearest = new NearestByTrigrams(db);
    this.s = {
      // The matches are found through the ref and name indexes first (each side limited), then ordered: with
      // ORDER BY on the outer query alone, SQLite walks the (kind, ref) index over the whole inventory. The name side
      // writes \`+kind\` so the kind is checked on the rows items_name finds: offered the (kind, ref) index for it,
      // SQLite read every item of the kind for a prefix of a name (a quarter of a second at a million).
      exact: db.prepare<[string, string, string, string, string, string, number, number], SummaryRow>(
        `SELECT ${summaryColumns} FROM ${summaryFrom}
         WHERE i.id IN (SELECT id FROM items WHERE kind IN (?, ?) AND ref = ?
                        UNION SELECT id FROM items WHERE kind IN (?, ?) AND name = ? LIMIT ?)
         ORDER BY i.kind, i.ref LIMIT ?`,
      ),
      prefix: db.prepare<[string, string, string, string, number, string, string, string, string, number, number], SummaryRow>(
        `SELECT ${summaryColumns} FROM ${summaryFrom}
         WHERE i.id IN (SELECT id FROM (SELECT id FROM items WHERE kind IN (?, ?) AND ref >= ? AND ref < ? LIMIT ?)
                        UNION SELECT id FROM (SELECT id FROM items WHERE +kind IN (?, ?) AND name >= ? AND name < ? LIMIT ?))
         ORDER BY i.kind, i.ref LIMIT ?`,
      ),
      // The rows holding every trigram of the part (the trigram index), checked against the row itself.
      substring: db.prepare<{ trigrams: string; k1: string; k2: string; part: string; scan: number; limit: number }, SummaryRow>(
        `SELECT ${summaryColumns}
         FROM (SELECT k.id FROM items_search s CROSS JOIN items k ON k.id = s.rowid
               WHERE s.items_search MATCH @trigrams AND k.kind IN (@k1, @k2) AND (instr(lower(k.ref), @part) > 0 OR instr(lower(k.name), @part) > 0)
               LIMIT @scan) m
           ${summaryAfterIds}
         WHERE i.id = m.id ORDER BY i.kind, i.ref LIMIT @limit`,
      ),
      // Summaries of the ids in a JSON array, in the array's order.
      byIds: db.prepare<[string], SummaryRow>(`SELECT ${summaryColumns} FROM json_each(?) m ${summaryAfterIds} WHERE i.id = m.value ORDER BY m.key`),
      id: db.prepare<[string, string], { id: number }>('SELECT id FROM items WHERE kind = ? AND ref = ?'),
      detail: db.prepare<[string, string], DetailRow>(
        `SELECT i.*,
           t.slug AS team_slug, t.name AS team_name, t.channel AS team_channel,
           tl.email AS lead_email, tl.display_name AS lead_name, ${stillActive('tl')} AS lead_active,
           pa.email AS acc_email, pa.display_name AS acc_name, ${stillActive('pa')} AS acc_active,
           pb.email AS backup_email, pb.display_name AS backup_name, ${stillActive('pb')} AS backup_active,
           pr.email AS approver_email, pr.display_name AS approver_name, ${stillActive('pr')} AS approver_active
         FROM items i
           LEFT JOIN teams t ON t.id = i.owner_team_id
           LEFT JOIN people tl ON tl.id = t.lead_person_id
           LEFT JOIN people pa ON pa.id = i.accountable_person_id
           LEFT JOIN people pb ON pb.id = i.backup_person_id
           LEFT JOIN people pr ON pr.id = i.approver_person_id
         WHERE i.kind = ? AND i.ref = ?`,
      ),
      linksOut: db.prepare<[number], { relation: EdgeRelation; kind: ItemKind; ref: string; name: string | null }>(
        `SELECT l.relation, l.to_kind AS kind, coalesce(o.ref, l.to_ref) AS ref, o.name
         FROM item_links l LEFT JOIN items o ON o.kind = l.to_kind AND o.ref = l.to_ref
         WHERE l.item_id = ? ORDER BY l.relation, l.to_ref`,
      ),
      linksIn: db.prepare<[string, string], { relation: EdgeRelation; kind: ItemKind; ref: string; name: string }>(
        `SELECT l.relation, i.kind, i.ref, i.name
         FROM item_links l JOIN items i ON i.id = l.item_id
         WHERE l.to_kind = ? AND l.to_ref = ? ORDER BY l.relation, i.ref`,
      ),
      history: db.prepare<[number], { team: string | null; accountable: string | null; backup: string | null; approver: string | null; from_at: string | null; to_at: string }>(
        `SELECT t.slug AS team, pa.email AS accountable, pb.email AS backup, pr.email AS approver, op.from_at, op.to_at
         FROM ownership_periods op
           LEFT JOIN teams t ON t.id = op.team_id
           LEFT JOIN people pa ON pa.id = op.accountable_person_id
           LEFT JOIN people pb ON pb.id = op.backup_person_id
           LEFT JOIN people pr ON pr.id = op.approver_person_id
         WHERE op.item_id = ? ORDER BY op.to_at DESC, op.id DESC`,
      ),
      suggestions: db.prepare<[string, string], { source: string; owners: string; team_slug: string | null; reason: string }>(
        'SELECT source, owners, team_slug, reason FROM owner_suggestions WHERE item_kind = ? AND item_ref = ? ORDER BY source',
      ),
      lastAttestation: db.prepare<[number], { at: string; outcome: string; by: string | null }>(
        `SELECT a.closed_at AS at, a.outcome, p.email AS by FROM attestations a LEFT JOIN people p ON p.id = a.answered_by
         WHERE a.item_id = ? AND a.status = 'closed' AND a.outcome <> 'superseded' ORDER BY a.closed_at DESC, a.id DESC LIMIT 1`,
      ),
      counts: db.prepare<[], InventoryCounts>(
        `SELECT (SELECT count(*) FROM items WHERE kind = 'api') AS apis,
                (SELECT count(*) FROM items WHERE kind = 'identity') AS identities,
                (SELECT count(*) FROM teams) AS teams,
                (SELECT count(*) FROM people) AS people`,
      ),
    };
  }

  search(query: SearchQuery): ItemSummary[] {
    const [k1, k2] = query.kind === undefined ? ['api', 'identity'] : [query.kind, query.kind];
    const text = query.text.trim();
    let rows: SummaryRow[];
    if (query.match === 'exact') rows = this.s.exact.all(k1, k2, text, k1, k2, text, query.limit, query.limit);
    else if (query.match === 'prefix')
      rows = this.s.prefix.all(k1, k2, text, afterPrefix(text), query.limit, k1, k2, text, afterPrefix(text), query.limit, query.limit);
    else {
      const part = text.toLowerCase();
      const trigrams = everyTrigramQuery(part);
      // Shorter than a trigram: not looked for (it would be in most of a large inventory anyway).
      rows = trigrams === null ? [] : this.s.substring.all({ trigrams, k1, k2, part, scan: substringOrderLimit, limit: query.limit });
    }
    return rows.map(toSummary);
  }

  /**
   * Candidates for "did you mean": the items sharing the most trigrams with the text (see NearestByTrigrams); when none
   * does (a text too short for a trigram, or each of its trigrams new to the inventory), the items whose ref or name
   * starts with the text's first two characters. Index reads, however large the inventory.
   */
  candidates(text: string, limit: number): ItemSummary[] {
    // One read transaction: the ids and their rows are the same snapshot.
    return this.db.transaction(() => {
      const ids = this.nearest.ids(text.trim(), limit);
      if (ids.length > 0) return this.s.byIds.all(JSON.stringify(ids)).map(toSummary);
      const head = text.trim().slice(0, 2);
      return this.s.prefix.all('api', 'identity', head, afterPrefix(head), limit, 'api', 'identity', head, afterPrefix(head), limit, limit).map(toSummary);
    })();
  }

  /** The item with its links, history and attestation, read in one transaction (one snapshot under WAL). */
  detail(kind: ItemKind, ref: string): ItemDetail | null {
    return this.db.transaction(() => this.detailNow(kind, ref))();
  }

  private detailNow(kind: ItemKind, ref: string): ItemDetail | null {
    const row = this.s.detail.get(kind, ref);
    if (!row) return null;
    const links: LinkedItem[] = [
      ...this.s.linksOut.all(row.id).map((l) => ({ direction: 'out' as const, ...l })),
      ...this.s.linksIn.all(row.kind, row.ref).map((l) => ({ direction: 'in' as const, ...l })),
    ];
    const history: OwnershipPeriod[] = this.s.history.all(row.id).map((h) => ({
      team: h.team,
      accountable: h.accountable,
      backup: h.backup,
      approver: h.approver,
      fromAt: h.from_at,
      toAt: h.to_at,
    }));
    const suggestions: OwnerSuggestion[] = this.s.suggestions.all(row.kind, row.ref).map((s) => ({
      source: s.source,
      owners: JSON.parse(s.owners) as string[],
      team: s.team_slug,
      reason: s.reason,
    }));
    return { item: toItem(row), links, history, suggestions, lastAttestation: this.s.lastAttestation.get(row.id) ?? null };
  }

  /**
   * `list` and its filters, in one read transaction. The first page is walked in list order from an index that serves
   * the filter where there is one (unowned: a partial index on (kind, ref); team: (owner_team_id, kind, ref)), and
   * the total of a page cut short is counted part by part without the joins, from the same indexes: it reads the
   * matching index entries, never every row of the inventory (except for a kind alone, or no filter at all).
   */
  list(filter: ListFilter): ItemList {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (filter.kind !== undefined) {
      where.push('i.kind = ?');
      params.push(filter.kind);
    }
    if (filter.team !== undefined) {
      where.push('i.owner_team_id = (SELECT id FROM teams WHERE slug = ?)');
      params.push(filter.team.toLowerCase());
    }
    if (filter.owner !== undefined) {
      where.push('(i.accountable_person_id = (SELECT id FROM people WHERE email = ?) OR i.backup_person_id = (SELECT id FROM people WHERE email = ?))');
      params.push(filter.owner.toLowerCase(), filter.owner.toLowerCase());
    }
    if (filter.expiresBefore !== undefined) {
      where.push('i.expires_at IS NOT NULL AND i.expires_at < ?');
      params.push(filter.expiresBefore);
    }
    // Unowned is two disjoint parts, each through its own index: items missing a team or a person (the partial
    // index), and items with both whose person left (inactive, or gone from the directory that declared them).
    // Left to itself SQLite serves the first part's OR from the team and person indexes and sorts every match, so it
    // is named, unless a team, owner or expiry filter is there to narrow the rows first.
    const narrowed = filter.team !== undefined || filter.owner !== undefined || filter.expiresBefore !== undefined;
    const parts: ListPart[] = filter.unowned
      ? [
          { from: narrowed ? 'items i' : 'items i INDEXED BY items_unowned_by_ref', where: ['(i.owner_team_id IS NULL OR i.accountable_person_id IS NULL)', ...where] },
          { from: 'people p CROSS JOIN items i ON i.accountable_person_id = p.id', where: ['(p.active = 0 OR p.vanished_at IS NOT NULL)', 'i.owner_team_id IS NOT NULL', ...where] },
        ]
      : [{ from: 'items i', where }];
    const whereOf = (part: ListPart) => (part.where.length === 0 ? '' : `WHERE ${part.where.join(' AND ')}`);
    const order = filter.expiresBefore === undefined ? 'i.kind, i.ref' : 'i.expires_at, i.ref';
    const limit = filter.limit ?? -1;
    const [only] = parts;
    const pageSql =
      parts.length === 1 && only
        ? `SELECT ${summaryColumns} FROM ${summaryFrom} ${whereOf(only)} ORDER BY ${order} LIMIT ?`
        : `SELECT ${summaryColumns}
           FROM (${parts.map((part) => `SELECT id FROM (SELECT i.id FROM ${part.from} ${whereOf(part)} ORDER BY ${order} LIMIT ?)`).join(' UNION ALL ')}) m
             ${summaryAfterIds}
           WHERE i.id = m.id ORDER BY ${order} LIMIT ?`;
    const pageParams = parts.length === 1 ? [...params, limit] : [...parts.flatMap(() => [...params, limit]), limit];
    return this.db.transaction(() => {
      const items = this.db.prepare<unknown[], SummaryRow>(pageSql).all(...pageParams).map(toSummary);
      if (filter.limit === undefined || items.length < filter.limit) return { items, total: items.length };
      const count = (part: ListPart) => this.db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM ${part.from} ${whereOf(part)}`).get(...params)?.n ?? 0;
      return { items, total: parts.reduce((sum, part) => sum + count(part), 0) };
    })();
  }

  idOf(kind: ItemKind, ref: string): number | null {
    return this.s.id.get(kind, ref)?.id ?? null;
  }

  openAttestationOf(kind: ItemKind, ref: string): { id: number } | { id: null; nextAt: string | null } {
    const row = this.db
      .prepare<[string, string], { id: number | null; next: string | null }>(
        `SELECT a.id, i.next_attestation_at AS next FROM items i LEFT JOIN attestations a ON a.item_id = i.id AND a.status = 'open' WHERE i.kind = ? AND i.ref = ?`,
      )
      .get(kind, ref);
    return row?.id ? { id: row.id } : { id: null, nextAt: row?.next ?? null };
  }

  apiCodePaths(): Array<{ ref: string; codePath: string }> {
    return this.db
      .prepare<[], { ref: string; codePath: string }>(`SELECT ref, code_path AS codePath FROM items WHERE kind = 'api' AND code_path IS NOT NULL AND vanished_at IS NULL ORDER BY ref`)
      .all();
  }

  counts(): InventoryCounts {
    return this.s.counts.get() ?? { apis: 0, identities: 0, teams: 0, people: 0 };
  }

  /** One lookup per source through the (source, source_key) index, however large the inventory. */
  hasItemsFrom(sources: readonly string[]): boolean {
    const probe = this.db.prepare<[string], unknown>('SELECT 1 FROM items WHERE source = ? LIMIT 1');
    return sources.some((source) => probe.get(source) !== undefined);
  }
}
