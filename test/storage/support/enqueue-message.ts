import type { PlannedMessage } from '../../../src/messages/outgoing-message.js';
import { Outbox } from '../../../storage/outbox.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';

/** Queues one planned message in the store's outbox, as a decision's transaction does; false if its key was queued before. */
export function enqueueMessage(store: SqliteStore, planned: PlannedMessage, now: string): boolean {
  return new Outbox(store.db).enqueue(planned, now);
}
