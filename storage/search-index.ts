import type Database from 'better-sqlite3';

/**
 * The trigram index of items' refs and names (`items_search`, FTS5, migration 7), behind `who`'s substring stage and
 * its "did you mean". Triggers on `items` keep it in step with every write; a bulk load suspends them and rebuilds it
 * once (SearchIndexTriggers).
 */

/** The least a part must be for the index to find it: the index holds trigrams, nothing shorter. */
export const shortestIndexedPart = 3;

/** The distinct trigrams of `text`, case folded as the index folds them, by code point (not UTF-16 unit). */
export function trigramsOf(text: string): string[] {
  const chars = Array.from(text.toLowerCase());
  const grams = new Set<string>();
  for (let i = 0; i + shortestIndexedPart <= chars.length; i += 1) grams.add(chars.slice(i, i + shortestIndexedPart).join(''));
  return [...grams];
}

/** One trigram as an FTS5 string: quoted, so no character of it is query syntax. */
const quoted = (gram: string) => `"${gram.replaceAll('"', '""')}"`;

/**
 * The FTS5 query for rows holding every trigram of `text` (a superset of the rows containing it: the caller checks
 * the row), or null when `text` is too short to have one.
 */
export function everyTrigramQuery(text: string): string | null {
  const grams = trigramsOf(text);
  return grams.length === 0 ? null : grams.map(quoted).join(' AND ');
}

// A trigram in fewer rows than this is rare: its rows are read whole to rank the items that share it.
const rareBelow = 5000;
// How many rows hold a trigram is estimated from where its first this many fall among the items' ids (exact when
// fewer hold it): a few microseconds, where counting thousands cost a fifth of a millisecond per trigram.
const sampleRows = 200;
// The rows read from the index in all for one "did you mean", whatever the inventory's size.
const rowsBudget = 20_000;
// Trigrams a candidate must hold together in the first pass, at least.
const andAtLeast = 3;
// Trigrams of a long text looked at: evenly spread, an edit breaks at most two of them (it breaks three in a row).
const mostTrigrams = 12;

/** At most `most` of `items`, evenly spread from the first to the last. */
function spread<T>(items: readonly T[], most: number): T[] {
  if (items.length <= most) return [...items];
  return Array.from({ length: most }, (_, i) => items[Math.round((i * (items.length - 1)) / (most - 1))] as T);
}

/**
 * Items whose ref or name is likely near a miss, by the trigrams they share with it: a typo breaks the trigrams around
 * it and leaves the others, and the rare ones among those (a number, an unusual word) single the intended item out.
 */
export class NearestByTrigrams {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      rowsWith: db.prepare<[string, number], number>('SELECT rowid FROM items_search WHERE items_search MATCH ? LIMIT ?').pluck(),
      // Two subqueries: min() and max() in one SELECT would read every row instead of the ends of the rowid tree.
      idSpan: db.prepare<[], number>('SELECT coalesce((SELECT max(id) FROM items) - (SELECT min(id) FROM items) + 1, 0)').pluck(),
    };
  }

  /** About how many rows hold `gram`: exact below `sampleRows`, else the density of its first rows over every id. */
  private rowsHolding(gram: string, idSpan: number): number {
    const sample = this.s.rowsWith.all(quoted(gram), sampleRows);
    const first = sample[0];
    const last = sample.at(-1);
    if (sample.length < sampleRows || first === undefined || last === undefined) return sample.length;
    return Math.round((sample.length * idSpan) / (last - first + 1));
  }

  /**
   * Item ids, at most `limit`: first those holding the rare trigrams of `text` together, or its three least common
   * when fewer are rare (trigrams only the typo made are in no row and left out: a letter dropped, swapped or replaced
   * only breaks trigrams, so the intended item is among them); then those sharing the most of its rare trigrams (ties
   * by id), which finds it when the typo made a trigram other items have.
   */
  ids(text: string, limit: number): number[] {
    // How many rows hold each trigram: none (a trigram only the typo made), a few (rare), or many.
    const idSpan = this.s.idSpan.get() ?? 0;
    const held = spread(trigramsOf(text), mostTrigrams)
      .map((gram) => ({ gram, rows: this.rowsHolding(gram, idSpan) }))
      .filter(({ rows }) => rows > 0)
      .sort((a, b) => a.rows - b.rows);
    if (held.length === 0) return [];
    // Rows holding all the rare ones (and a few common ones, to have three): an AND with a common trigram costs reading
    // its long list, so the common ones the text may hold beyond three are left to the caller's ranking.
    const rareCount = held.filter(({ rows }) => rows < rareBelow).length;
    const together = held.slice(0, Math.max(rareCount, andAtLeast));
    const ids = new Set(this.s.rowsWith.all(together.map(({ gram }) => quoted(gram)).join(' AND '), limit));
    const shared = new Map<number, number>();
    let budget = rowsBudget;
    for (const { gram, rows } of held) {
      if (ids.size >= limit || rows >= rareBelow || budget <= 0) break;
      const holding = this.s.rowsWith.all(quoted(gram), Math.min(budget, rareBelow));
      for (const id of holding) shared.set(id, (shared.get(id) ?? 0) + 1);
      budget -= holding.length;
    }
    // Most shared first, by id within the same count: a bucket per count, each sorted only if it is reached.
    const buckets: number[][] = [];
    for (const [id, count] of shared) (buckets[count] ??= []).push(id);
    for (let count = buckets.length - 1; count > 0 && ids.size < limit; count -= 1) {
      for (const id of (buckets[count] ?? []).sort((a, b) => a - b)) {
        if (ids.size >= limit) break;
        ids.add(id);
      }
    }
    return [...ids];
  }
}

/**
 * A bulk load's side of the trigram index: maintaining it row by row cost more than the rest of a million-row
 * import, and reading every ref and name again once costs a few seconds. So while SecondaryIndexes has the indexes
 * dropped, the triggers that keep `items_search` in step are dropped too, and `restore` rebuilds the index from
 * `items` and puts them back. Inside the import's transaction: a rollback brings the triggers back by itself.
 */
export class SearchIndexTriggers {
  private dropped: Array<{ name: string; sql: string }> = [];

  constructor(private readonly db: Database.Database) {}

  suspend(): void {
    if (this.dropped.length > 0) return;
    this.dropped = this.db
      .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'items' AND name LIKE 'items\\_search\\_%' ESCAPE '\\'")
      .all();
    for (const { name } of this.dropped) this.db.exec(`DROP TRIGGER "${name}"`);
  }

  restore(): void {
    if (this.dropped.length === 0) return;
    this.db.exec("INSERT INTO items_search (items_search) VALUES ('rebuild'); INSERT INTO items_search (items_search) VALUES ('optimize')");
    for (const { sql } of this.dropped) this.db.exec(sql);
    this.dropped = [];
  }
}
