import type { BindChannelResult, BindChannelState, BindTarget } from '../channels/decide-binding.js';
import type { Addressee } from '../messages/outgoing-message.js';
import type { MyItems } from '../queries/my-items.js';
import type { ActorKey, ChatAccountKey, Platform } from './attestation-store.js';

/** One of a person's chat accounts, with what its platform needs to reach them (Slack: the DM channel id). */
export interface ChatAccount {
  readonly platform: Platform;
  readonly accountId: string;
  /** How to reach them there, once known (a DM channel, a conversation reference); null until then. */
  readonly address: string | null;
}

/** A person as a chat adapter needs them: their accounts on every platform, and whether they are still here. */
export interface ChatPerson {
  readonly personId: number;
  readonly email: string;
  readonly active: boolean;
  readonly accounts: readonly ChatAccount[];
}

/** The person's account on `platform`, if they have one. */
export function accountOn(person: ChatPerson, platform: Platform): ChatAccount | null {
  return person.accounts.find((account) => account.platform === platform) ?? null;
}

/**
 * A channel that a platform binds rather than names: the security channel, or one team's (by its id). On such a
 * platform (Teams) someone types `here security` / `here team <slug>` in the channel, and messages for the target
 * go where it was last bound.
 */
export type ChannelTarget = { readonly kind: 'security' } | { readonly kind: 'team'; readonly teamId: number };

/** The channel a message for `addressee` is bound by (what `boundChannel` takes); null for a person. */
export function channelTargetOf(addressee: Addressee): ChannelTarget | null {
  if (addressee.kind === 'security_channel') return { kind: 'security' };
  if (addressee.kind === 'team_channel') return { kind: 'team', teamId: addressee.teamId };
  return null;
}

export interface BindChannelRequest {
  readonly now: string;
  readonly platform: Platform;
  /** Who typed the command. */
  readonly actor: ActorKey;
  /** What they asked to bind, as typed: the security channel, or a team by slug. */
  readonly target: BindTarget;
  /** The platform's own address for the channel, opaque to the core (Teams: a serialized conversation reference). */
  readonly address: string;
  /** The core's decision, given the rows as they stand inside the transaction. */
  decide(state: BindChannelState): BindChannelResult;
}

/**
 * What chat adapters keep in the store: the mapping from people (by email) to their chat accounts, the events
 * already handled (so a retried delivery is not applied twice), and the reads behind App Home and `mine`.
 */
export interface ChatIdentityStore {
  chatPerson(personId: number): Promise<ChatPerson | null>;
  /** The person a chat account or an email names (active or not); null when Steward knows nobody by it. */
  chatPersonBy(actor: ActorKey): Promise<ChatPerson | null>;
  /**
   * Remembers a person's account on a platform (found by email) and, once known, how to reach them there. An
   * account belongs to one person (whoever held it before lets go) and a person has one account per platform;
   * linking the same account again with no address keeps the one it has.
   */
  linkChatAccount(personId: number, account: ChatAccountKey, address: string | null): Promise<void>;
  /** Marks the person behind a chat account as having left; the next tick re-routes their items. */
  markPersonLeft(actor: ActorKey, at: string, reason: string): Promise<{ readonly personId: number; readonly email: string } | null>;
  /** True the first time an event id is recorded; false for a retry or a duplicate delivery. */
  recordEventOnce(eventId: string, at: string): Promise<boolean>;
  /** Forgets an event id whose handling failed, so the platform's retry of it is handled. */
  forgetEvent(eventId: string): Promise<void>;
  myItems(actor: ActorKey): Promise<MyItems | null>;
  /**
   * Binds a channel to a target on a platform, if the core's `decide` allows it: one channel per target per
   * platform, so binding again replaces the one before. The binding, its audit event and the wake-up of messages
   * waiting for that channel are one transaction; a refusal is audited and changes nothing else.
   */
  bindChannel(request: BindChannelRequest): Promise<BindChannelResult>;
  /** The address bound to `target` on `platform`, or null while none is. */
  boundChannel(platform: Platform, target: ChannelTarget): Promise<string | null>;
  /**
   * The home (a tenant) of a platform that learns it from its first install: records `home` if the platform has
   * none yet (audited), and returns the one recorded, whoever was first.
   */
  claimHome(platform: Platform, home: string, at: string): Promise<string>;
}
