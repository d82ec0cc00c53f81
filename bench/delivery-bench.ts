// The outbox's figure with several dispatchers: the same queued DMs delivered by one dispatcher, then by two on
// the same database file (each its own connection, taking deliveries under leases stored in the database), to a
// chat platform that takes a fixed time per call, as Slack's Web API does.
import fs from 'node:fs';
import { dispatchOutbox } from '../src/outbox/dispatch-outbox.js';
import type { OutboxDelivery } from '../src/ports/attestation-store.js';
import type { ChatDelivery, ChatPort } from '../src/ports/chat.js';
import { fixedClock } from '../src/ports/clock.js';
import { Outbox } from '../storage/outbox.js';
import { openSqliteStore } from '../storage/sqlite-store.js';
import { plannedPrompts, tickAt } from './tick-bench.js';

export interface DeliveryFigures {
  readonly messages: number;
  readonly callMs: number;
  readonly oneSeconds: number;
  readonly twoSeconds: number;
  /** Deliveries made more than once, in either run: must be none. */
  readonly duplicates: number;
}

/** A platform that answers every post after `callMs`, counting each message it is handed. */
function platform(callMs: number, seen: Map<number, number>): ChatPort {
  return {
    platform: 'bench',
    minIntervalMs: 0,
    reach: { platform: 'bench', people: 'anyone', teamChannels: 'all', securityChannel: true },
    deliver: async (delivery: OutboxDelivery): Promise<ChatDelivery> => {
      await new Promise((resolve) => setTimeout(resolve, callMs));
      seen.set(delivery.messageId, (seen.get(delivery.messageId) ?? 0) + 1);
      return { status: 'sent', messageId: `m-${delivery.messageId}`, channel: 'D' };
    },
  };
}

function queued(dbFile: string, count: number): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
  const store = openSqliteStore(dbFile);
  const outbox = new Outbox(store.db);
  store.db.transaction(() => {
    for (const message of plannedPrompts(count)) outbox.enqueue(message, tickAt.toISOString());
  })();
  store.db.close();
}

/** Runs `dispatchers` dispatchers side by side until nothing is left; returns the seconds it took. */
async function deliverAll(dbFile: string, dispatchers: number, callMs: number, seen: Map<number, number>): Promise<number> {
  const stores = Array.from({ length: dispatchers }, () => openSqliteStore(dbFile));
  const chat = platform(callMs, seen);
  const clock = fixedClock(tickAt);
  const started = performance.now();
  await Promise.all(
    stores.map(async (store, i) => {
      for (;;) {
        const report = await dispatchOutbox(store, chat, clock, { owner: `bench:${i}`, platforms: [chat.reach], preference: [], leaseMs: 60_000, batchSize: 25 });
        if (report.sent + report.retried + report.failed === 0) return;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const store of stores) await store.close();
  return seconds;
}

export async function timeDeliveries(dbFile: string, messages: number, callMs: number): Promise<DeliveryFigures> {
  const one = new Map<number, number>();
  queued(dbFile, messages);
  const oneSeconds = await deliverAll(dbFile, 1, callMs, one);
  const two = new Map<number, number>();
  queued(dbFile, messages);
  const twoSeconds = await deliverAll(dbFile, 2, callMs, two);
  const duplicates = [...one.values(), ...two.values()].filter((n) => n > 1).length;
  if (one.size !== messages || two.size !== messages) throw new Error(`delivered ${one.size} and ${two.size} of ${messages}`);
  return { messages, callMs, oneSeconds, twoSeconds, duplicates };
}
