import type { SqliteStore } from '../../../storage/sqlite-store.js';

/** Marks a person active again behind the store's back, as an inventory that lists them again would. */
export function reactivatePerson(store: SqliteStore, email: string): void {
  store.db.prepare('UPDATE people SET active = 1 WHERE email = ?').run(email);
}
