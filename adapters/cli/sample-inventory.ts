import path from 'node:path';
import type { InvalidEntry, RawEntry } from '../../src/inventory/import-entry.js';
import { importInventory, type SourceSnapshot } from '../../src/inventory/import-inventory.js';
import type { Clock } from '../../src/ports/clock.js';
import type { ImportReport, Store } from '../../src/ports/store.js';
import { backstage } from '../sources/backstage/backstage.js';
import { inventoryCsv } from '../sources/csv/inventory-csv.js';
import { projectRoot } from './build-layout.js';

/** Beside the code: in the project's folder, whether it runs from the sources or from dist/. */
export const sampleInventoryDir = path.join(projectRoot, 'samples/inventory');

/** The day the sample's dates were written for: "expires in 10 days" means ten days after this one. */
export const sampleWrittenOn = '2026-11-28';
/** The moment the README's walkthrough was written for, on that day: the sample reads at any `now` as it did then. */
export const sampleWrittenAt = `${sampleWrittenOn}T09:00:00.000Z`;

/** The sources the sample is imported as: a database holding them is a demo, never connected to a real workspace. */
export const sampleSources = ['sample:catalog', 'sample:identities'] as const;

const identityDateFields = ['createdAt', 'expiresAt', 'lastRotatedAt', 'lastUsedAt'] as const;

function shiftDate(value: unknown, offsetMs: number): unknown {
  if (typeof value !== 'string') return value;
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : new Date(time + offsetMs).toISOString();
}

function* rebased(entries: Iterable<RawEntry | InvalidEntry>, offsetMs: number): Iterable<RawEntry | InvalidEntry> {
  for (const entry of entries) {
    if (entry.type !== 'identity') {
      yield entry;
      continue;
    }
    const data: Record<string, unknown> = { ...entry.data };
    for (const field of identityDateFields) if (data[field] !== undefined) data[field] = shiftDate(data[field], offsetMs);
    yield { ...entry, data };
  }
}

/**
 * The sample's snapshots, with every identity's dates moved by exactly the time since `sampleWrittenAt`, so
 * that the sample reads on `now` as it did when it was written: a newcomer always sees a credential expiring
 * soon, not a year of expired ones. The shift is to the millisecond, not whole days: a date-only expiry moved
 * by whole days would sit 9 hours away for a morning start and 21 for an evening one, and an expiry warning
 * would land in another tick, renumbering the README's walkthrough. (`steward import` gives the dates as written.)
 */
export function readSampleInventory(now: Date): SourceSnapshot[] {
  const offsetMs = now.getTime() - Date.parse(sampleWrittenAt);
  const snapshots = [
    ...backstage.read([path.join(sampleInventoryDir, 'catalog.yaml')], { source: sampleSources[0] }, { apiCodePaths: [] }),
    ...inventoryCsv.read([path.join(sampleInventoryDir, 'identities.csv')], { source: sampleSources[1] }, { apiCodePaths: [] }),
  ];
  return snapshots.map((snapshot) => ({ ...snapshot, entries: rebased(snapshot.entries, offsetMs) }));
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
