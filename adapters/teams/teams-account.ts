import type { ChatAccountKey } from '../../src/ports/attestation-store.js';

/** Teams' name in the store and the outbox. */
export const teamsPlatform = 'teams';

/** A Teams user as the store knows chat accounts: by their Entra (AAD) object id, the same in every team and chat. */
export function teamsAccount(aadObjectId: string): ChatAccountKey {
  return { platform: teamsPlatform, accountId: aadObjectId.toLowerCase() };
}
