import { describe } from 'vitest';
import type { Store } from '../../../src/ports/store.js';
import { describeAttestationContract } from './attestation-contract.js';
import { describeAuditContract } from './audit-contract.js';
import { describeChannelBindingContract } from './channel-binding-contract.js';
import { describeChatIdentityContract } from './chat-identity-contract.js';
import { useFreshStore, type CloseStore, type MakeStore, type OpenSameDatabase } from './contract-store.js';
import { describeImportContract } from './import-contract.js';
import { describeQueryContract } from './query-contract.js';
import { describeSharedDatabaseContract } from './shared-database-contract.js';

export type { CloseStore, MakeStore, OpenSameDatabase } from './contract-store.js';

export interface StoreContractOptions {
  /** Closes a store and removes what it left behind; by default `store.close()`. */
  readonly closeStore?: CloseStore;
  /** A second store on the same database (another process, another replica): the shared-database cases run when given. */
  readonly openSameDatabase?: OpenSameDatabase;
}

/**
 * The store port's contract: what any implementation of `Store` (SQLite today, PostgreSQL later) must do, checked
 * only through the port and the core's use cases. `makeStore` opens a fresh, empty, migrated store for each test.
 * Of the outbox's methods, routing is covered (with channel bindings); claiming and recording deliveries are not yet.
 */
export function describeStoreContract(name: string, makeStore: MakeStore, options: StoreContractOptions = {}): void {
  const implementation = {
    name,
    make: makeStore,
    close: options.closeStore ?? ((store: Store) => store.close()),
    ...(options.openSameDatabase === undefined ? {} : { openSameDatabase: options.openSameDatabase }),
  };
  describe(`store contract: ${name}`, () => {
    const subject = useFreshStore(implementation);
    describeImportContract(subject);
    describeQueryContract(subject);
    describeAuditContract(subject);
    describeAttestationContract(subject);
    describeChatIdentityContract(subject);
    describeChannelBindingContract(subject);
    if (implementation.openSameDatabase) describeSharedDatabaseContract(subject, implementation.openSameDatabase);
  });
}
