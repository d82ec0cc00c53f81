import type { ChatAccountKey } from '../../src/ports/attestation-store.js';

/** Slack's name in the store and the outbox. */
export const slackPlatform = 'slack';

/** A Slack user as the store knows chat accounts. */
export function slackAccount(userId: string): ChatAccountKey {
  return { platform: slackPlatform, accountId: userId };
}
