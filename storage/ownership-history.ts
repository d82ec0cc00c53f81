import type Database from 'better-sqlite3';

/**
 * Ownership changes are history, never overwrites: before an item's owner changes (an import, a leaver's
 * handover, a claim), the current owner is closed into `ownership_periods`, from when it began until now.
 */
export class OwnershipHistory {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      close: db.prepare<[string, string, number]>(
        `INSERT INTO ownership_periods (item_id, team_id, accountable_person_id, backup_person_id, approver_person_id, from_at, to_at, ended_by)
         SELECT id, owner_team_id, accountable_person_id, backup_person_id, approver_person_id, owned_since, ?, ?
         FROM items
         WHERE id = ? AND (owner_team_id IS NOT NULL OR accountable_person_id IS NOT NULL OR backup_person_id IS NOT NULL OR approver_person_id IS NOT NULL)`,
      ),
    };
  }

  /** Closes the item's current ownership period at `at`; an item nobody owned has none to close. */
  closeCurrent(itemId: number, at: string, endedBy: string): void {
    this.s.close.run(at, endedBy, itemId);
  }
}
