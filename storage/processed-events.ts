import type Database from 'better-sqlite3';

/** How long an event id is remembered: platforms retry a delivery within minutes, never a day later. */
export const processedEventsKeptMs = 86_400_000;

/**
 * The chat events already handled, by event id, so a retried or duplicated delivery is applied once. Each
 * insert first drops the ids older than a day (through the index on received_at), so the table stays small.
 */
export class ProcessedEvents {
  private readonly s;

  constructor(private readonly db: Database.Database) {
    this.s = {
      prune: db.prepare<[string]>('DELETE FROM processed_events WHERE received_at < ?'),
      record: db.prepare<[string, string]>('INSERT OR IGNORE INTO processed_events (event_id, received_at) VALUES (?, ?)'),
      forget: db.prepare<[string]>('DELETE FROM processed_events WHERE event_id = ?'),
    };
  }

  /** True the first time `eventId` is seen (within a day); false for a repeat. */
  recordOnce(eventId: string, at: string): boolean {
    return this.db.transaction(() => {
      this.s.prune.run(new Date(Date.parse(at) - processedEventsKeptMs).toISOString());
      return this.s.record.run(eventId, at).changes === 1;
    }).immediate();
  }

  /** Forgets `eventId`: its handling failed, and the platform's retry should be handled, not dropped. */
  forget(eventId: string): void {
    this.s.forget.run(eventId);
  }
}
