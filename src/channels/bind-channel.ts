import type { Policy } from '../policy/policy.js';
import type { ActorKey, Platform } from '../ports/attestation-store.js';
import type { ChatIdentityStore } from '../ports/chat-identity-store.js';
import type { Clock } from '../ports/clock.js';
import { decideBinding, type BindChannelResult, type BindTarget } from './decide-binding.js';

/**
 * `here team <slug>` / `here security`, typed in a channel of a platform that binds its channels (Teams): the
 * channel becomes where that platform posts the team's (or the security) messages, if the speaker may bind it.
 * `address` is the platform's own for the channel (a conversation reference), kept as it is given.
 */
export async function bindChannel(
  store: Pick<ChatIdentityStore, 'bindChannel'>,
  clock: Clock,
  policy: Pick<Policy, 'admins'>,
  input: { readonly actor: ActorKey; readonly platform: Platform; readonly target: BindTarget; readonly address: string },
): Promise<BindChannelResult> {
  // An adapter that has no address for the channel it was typed in has a bug; nothing the speaker can fix.
  if (input.address === '') throw new Error(`bindChannel: ${input.platform} gave no address for the channel`);
  const { admins } = policy;
  return store.bindChannel({ now: clock.now().toISOString(), platform: input.platform, actor: input.actor, target: input.target, address: input.address, decide: (state) => decideBinding(state, admins) });
}
