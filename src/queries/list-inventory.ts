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

/** `list`: the store's filter, with "expiring within N days" turned into a time from the clock. */
export async function listInventory(store: Store, clock: Clock, request: ListRequest): Promise<ItemList> {
  const { expiringDays, ...filter } = request;
  return store.listItems({
    ...filter,
    ...(expiringDays === undefined ? {} : { expiresBefore: new Date(clock.now().getTime() + expiringDays * dayMs).toISOString() }),
  });
}
