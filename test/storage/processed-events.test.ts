import { describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { memoryStore } from '../support/import-into-memory.js';
import { plusDays } from '../support/loop.js';

const at = '2026-11-02T09:00:00.000Z';

function remembered(store: SqliteStore): string[] {
  return store.db
    .prepare<[], { event_id: string }>('SELECT event_id FROM processed_events ORDER BY event_id')
    .all()
    .map((r) => r.event_id);
}

describe('recordEventOnce: a retried delivery is applied once', () => {
  it('when an event id is first recorded, then it is new; the same id again (a retry) is not', async () => {
    const store = memoryStore();
    expect(await store.recordEventOnce('Ev01', at)).toBe(true);
    expect(await store.recordEventOnce('Ev01', at)).toBe(false);
    expect(await store.recordEventOnce('Ev01', plusDays(at, 0.5))).toBe(false);
    expect(await store.recordEventOnce('Ev02', at)).toBe(true);
    expect(remembered(store)).toEqual(['Ev01', 'Ev02']);
  });

  it('when events arrive more than a day after others, then the older ids are pruned and the table stays small', async () => {
    const store = memoryStore();
    for (let i = 0; i < 50; i += 1) await store.recordEventOnce(`old-${i}`, at);
    await store.recordEventOnce('recent', plusDays(at, 0.9));
    expect(remembered(store)).toHaveLength(51);
    await store.recordEventOnce('next-day', plusDays(at, 1.5));
    expect(remembered(store)).toEqual(['next-day', 'recent']);
  });

  it('when an id comes back after a day, then it is new again (it was forgotten)', async () => {
    const store = memoryStore();
    await store.recordEventOnce('Ev01', at);
    expect(await store.recordEventOnce('Ev01', plusDays(at, 1))).toBe(false);
    expect(await store.recordEventOnce('Ev01', plusDays(at, 1.01))).toBe(true);
  });
});

describe('forgetEvent: a delivery whose handling failed is handled when retried', () => {
  it('when an event id is forgotten, then the same id is new again, and other ids are kept', async () => {
    const store = memoryStore();
    await store.recordEventOnce('Ev01', at);
    await store.recordEventOnce('Ev02', at);

    await store.forgetEvent('Ev01');

    expect(remembered(store)).toEqual(['Ev02']);
    expect(await store.recordEventOnce('Ev01', at)).toBe(true);
  });
});
