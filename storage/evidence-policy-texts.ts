import type Database from 'better-sqlite3';
import type { PolicyText } from '../src/ports/evidence-store.js';

/** The texts of the policy versions recorded on attestations, requests and ticks (migration 13's `policy_versions`). */
export class EvidencePolicyTexts {
  private readonly s;

  constructor(db: Database.Database) {
    this.s = {
      // A version names its text (a hash of it): the first text kept for it stands.
      keep: db.prepare<[string, string, string]>('INSERT INTO policy_versions (version, text, first_seen_at) VALUES (?, ?, ?) ON CONFLICT (version) DO NOTHING'),
      texts: db.prepare<[string], { version: string; text: string; first_seen_at: string }>(
        'SELECT version, text, first_seen_at FROM policy_versions WHERE version IN (SELECT value FROM json_each(?)) ORDER BY version',
      ),
    };
  }

  keep(version: string, text: string, at: string): void {
    this.s.keep.run(version, text, at);
  }

  texts(versions: readonly string[]): PolicyText[] {
    return this.s.texts.all(JSON.stringify(versions)).map((row) => ({ version: row.version, text: row.text, firstSeenAt: row.first_seen_at }));
  }
}
