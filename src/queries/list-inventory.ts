import type { ItemKind } from '../model/index.js';
import type { Clock } from '../ports/clock.js';
import type { ItemList, Store } from '../ports/store.js';

export interface ListRequest {
  readonly unowned?: boolean;
  readonly team?: string;
  readonly owner?: string;
  readonly kind?: ItemKind;
  readonly expiringDays?: number;
  readonly limit?: number;
}

const dayMs = 86_400_000;
// Stored times have four-digit years and compare as text. A window past year 9999 would be written
// `+010000-…`, which sorts before every stored time (or, past the last Date, throw RangeError), so
// `--expiring 999999999` is cut to the end of 9999: it lists everything with an expiry.
const latestDateMs = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** `list`: the store's filter, with "expiring within N days" turned into a time from the clock. */
export async function listInventory(store: Store, clock: Clock, request: ListRequest): Promise<ItemList> {
  const { expiringDays, ...filter } = request;
  const expiresBefore = (days: number) => new Date(Math.min(clock.now().getTime() + days * dayMs, latestDateMs)).toISOString();
  return store.listItems({ ...filter, ...(expiringDays === undefined ? {} : { expiresBefore: expiresBefore(expiringDays) }) });
}
