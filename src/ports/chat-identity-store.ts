import type { MyItems } from '../queries/my-items.js';
import type { ActorKey } from './attestation-store.js';

/** A person as a chat adapter needs them: who to DM, and whether that is known yet. */
export interface ChatPerson {
  readonly personId: number;
  readonly email: string;
  readonly active: boolean;
  readonly slackUserId: string | null;
  readonly slackDmChannel: string | null;
}

/**
 * What chat adapters keep in the store: the mapping from people (by email) to their chat accounts, the events
 * already handled (so a retried delivery is not applied twice), and the reads behind App Home and `mine`.
 */
export interface ChatIdentityStore {
  chatPerson(personId: number): Promise<ChatPerson | null>;
  /** The person a chat account or an email names (active or not); null when Steward knows nobody by it. */
  chatPersonBy(actor: ActorKey): Promise<ChatPerson | null>;
  /** Remembers a person's Slack user id (found by email) and, once opened, their DM channel. */
  linkSlackUser(personId: number, slackUserId: string, dmChannel: string | null): Promise<void>;
  /** Marks the person behind a chat account as having left; the next tick re-routes their items. */
  markPersonLeft(actor: ActorKey, at: string, reason: string): Promise<{ readonly personId: number; readonly email: string } | null>;
  /** True the first time an event id is recorded; false for a retry or a duplicate delivery. */
  recordEventOnce(eventId: string, at: string): Promise<boolean>;
  /** Forgets an event id whose handling failed, so the platform's retry of it is handled. */
  forgetEvent(eventId: string): Promise<void>;
  myItems(actor: ActorKey): Promise<MyItems | null>;
}
