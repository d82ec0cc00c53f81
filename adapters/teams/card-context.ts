import { isDestructive } from '../../src/approvals/approval-request.js';
import type { OutgoingMessage } from '../../src/messages/outgoing-message.js';
import { accountOn } from '../../src/ports/chat-identity-store.js';
import type { Store } from '../../src/ports/store.js';
import type { CardOptions } from './cards/render-card.js';
import { teamsPlatform } from './teams-account.js';

/** What rendering a message's cards needs from the store, read before (rendering itself is pure). */
export type CardContext = Required<Pick<CardOptions, 'teamsIds' | 'confirmRefFor'>>;

/**
 * The Teams ids of the people a message mentions (their Entra object ids, from their chat accounts) and which of its
 * requests retire something, so their Approve form asks for the item's ref (the core's `isDestructive`, read from
 * the request: the message does not say). A request Steward no longer has asks for nothing more: the core decides.
 */
export async function cardContextFor(store: Pick<Store, 'chatPerson' | 'getApproval'>, message: OutgoingMessage): Promise<CardContext> {
  const teamsIds = new Map<number, string>();
  for (const mentioned of message.mentions ?? []) {
    const person = await store.chatPerson(mentioned.personId);
    const account = person === null || !person.active ? null : accountOn(person, teamsPlatform);
    if (account !== null) teamsIds.set(mentioned.personId, account.accountId);
  }
  const confirmRefFor = new Set<number>();
  const asked = new Set(message.sections.flatMap((s) => (s.approvalId !== undefined && s.actions.some((a) => a.id === 'approval.approve') ? [s.approvalId] : [])));
  for (const id of asked) {
    const request = await store.getApproval(id);
    if (request !== null && isDestructive(request.kind)) confirmRefFor.add(id);
  }
  return { teamsIds, confirmRefFor };
}
