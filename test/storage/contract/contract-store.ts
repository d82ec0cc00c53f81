import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../../../src/ports/store.js';

/** Opens a fresh, empty store (schema in place, no rows): one per test. */
export type MakeStore = () => Promise<Store>;
/** Closes a store `MakeStore` opened and removes whatever it left behind (a file, a schema). */
export type CloseStore = (store: Store) => Promise<void>;
/** Opens a second store on the database `store` uses, as another process or replica would. */
export type OpenSameDatabase = (store: Store) => Promise<Store>;

export interface StoreImplementation {
  readonly name: string;
  readonly make: MakeStore;
  readonly close: CloseStore;
  /** Given when the implementation lets two stores share one database (a file, a server): the shared-database cases run. */
  readonly openSameDatabase?: OpenSameDatabase;
}

/** The store under test: a fresh one per test, closed after it. */
export interface ContractSubject {
  readonly store: Store;
}

export function useFreshStore(implementation: StoreImplementation): ContractSubject {
  let current: Store | undefined;
  beforeEach(async () => {
    current = await implementation.make();
  });
  afterEach(async () => {
    const store = current;
    current = undefined;
    if (store) await implementation.close(store);
  });
  return {
    get store(): Store {
      if (!current) throw new Error('store contract: no store outside a test');
      return current;
    },
  };
}
