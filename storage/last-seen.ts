import type Database from 'better-sqlite3';
import type { ItemDetail } from '../src/model/index.js';

/**
 * When an item was last seen by its source. An import writes only the items that changed, so an item its source still
 * lists was last seen by that source's latest import, whatever its row says; a vanished item's row holds the time.
 */
export class LastSeen {
  private readonly latestImportAt: Database.Statement<[string], string>;

  constructor(db: Database.Database) {
    this.latestImportAt = db.prepare<[string], string>('SELECT at FROM imports WHERE source = ? ORDER BY id DESC LIMIT 1').pluck();
  }

  /** The detail with its last sighting as of now; call it in the transaction that read the detail. */
  of(detail: ItemDetail | null): ItemDetail | null {
    if (detail === null || detail.item.provenance.vanishedAt !== null) return detail;
    const { provenance } = detail.item;
    const lastSeenAt = this.latestImportAt.get(provenance.source) ?? provenance.lastSeenAt;
    return lastSeenAt === provenance.lastSeenAt ? detail : { ...detail, item: { ...detail.item, provenance: { ...provenance, lastSeenAt } } };
  }
}
