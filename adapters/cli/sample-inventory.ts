import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InvalidEntry, RawEntry } from '../../src/inventory/import-entry.js';
import { importInventory, type SourceSnapshot } from '../../src/inventory/import-inventory.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ImportReport, Store } from '../../src/ports/store.js';
import { backstage } from '../sources/backstage/backstage.js';
import { inventoryCsv } from '../sources/csv/inventory-csv.js';

export const sampleInventoryDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples/inventory');

/** The day the sample's dates were written for: "expires in 10 days" means ten days after this one. */
export const sampleWrittenOn = '2026-11-28';

const dayMs = 86_400_000;
const identityDateFields = ['createdAt', 'expiresAt', 'lastRotatedAt', 'lastUsedAt'] as const;

function shiftDate(value: unknown, days: number): unknown {
  if (typeof value !== 'string') return value;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return value;
  const shifted = new Date(time + days * dayMs).toISOString();
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? shifted.slice(0, 10) : shifted;
}

function* rebased(entries: Iterable<RawEntry | InvalidEntry>, days: number): Iterable<RawEntry | InvalidEntry> {
  for (const entry of entries) {
    if (entry.type !== 'identity') {
      yield entry;
      continue;
    }
    const data: Record<string, unknown> = { ...entry.data };
    for (const field of identityDateFields) if (data[field] !== undefined) data[field] = shiftDate(data[field], days);
    yield { ...entry, data };
  }
}

/**
 * The sample's snapshots, with every identity's dates moved by whole days so that the sample reads on `now`
 * as it did on the day it was written: a newcomer always sees a credential expiring soon, not a year of
 * expired ones. (Importing the files with `steward import` gives the dates as written.)
 */
export function readSampleInventory(now: Date): SourceSnapshot[] {
  const days = Math.floor((now.getTime() - Date.parse(sampleWrittenOn)) / dayMs);
  const snapshots = [
    ...backstage.read([path.join(sampleInventoryDir, 'catalog.yaml')], { source: 'sample:catalog' }, { apiCodePaths: [] }),
    ...inventoryCsv.read([path.join(sampleInventoryDir, 'identities.csv')], { source: 'sample:identities' }, { apiCodePaths: [] }),
  ];
  return snapshots.map((snapshot) => ({ ...snapshot, entries: rebased(snapshot.entries, days) }));
}

/** On a new, empty database, loads the sample inventory so the console has something to show; null when not empty. */
export async function loadSampleInventoryIfEmpty(store: Store, clock: Clock): Promise<ImportReport | null> {
  const counts = await store.countInventory();
  if (counts.apis + counts.identities + counts.teams + counts.people > 0) return null;
  const report = await importInventory(store, clock, { snapshots: readSampleInventory(clock.now()), dryRun: false, actor: 'steward:sample' });
  // The sample ships with Steward: a refusal here is a bug in this release, not the user's input.
  if (!report.applied) throw new Error(`the bundled sample inventory did not import: ${JSON.stringify(report.problems)}`);
  return report;
}
