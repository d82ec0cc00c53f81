import type { Addressee } from '../messages/outgoing-message.js';
import type { Platform, RouteDecision, Unrouted } from '../ports/attestation-store.js';
import type { PlatformReach } from '../ports/chat.js';

/** Whom a message is for, in the words of a routing problem. */
function described(addressee: Addressee): string {
  switch (addressee.kind) {
    case 'person':
      return addressee.email;
    case 'team_channel':
      return `team ${addressee.team}'s channel`;
    case 'security_channel':
      return 'the security channel';
    case 'webhook':
      return 'the decision webhook';
  }
}

/** Why a platform that binds its channels cannot take a channel's message yet, and what binds one. */
function notBoundYet(platforms: readonly Platform[], command: string): string {
  return `no channel is bound to it on ${platforms.join(' or ')} yet (\`${command}\` in the channel binds it)`;
}

/** `platforms` in the policy's order of preference; those it does not name keep their order, after. */
function byPreference(platforms: readonly PlatformReach[], preference: readonly Platform[]): PlatformReach[] {
  const rank = (p: PlatformReach) => {
    const i = preference.indexOf(p.platform);
    return i < 0 ? preference.length : i;
  };
  return [...platforms].sort((a, b) => rank(a) - rank(b));
}

/**
 * Where one message goes, among the platforms configured. A person is reached on one platform: where they have an
 * account (the policy's preference picks when they have two), else on one that finds people by email; a platform
 * that already failed to reach them is not tried again, and when none is left, they are unreachable. A channel is
 * posted on every platform that has it: a team's where the inventory names its channel, the security channel
 * where one is configured, and either where a channel is bound to it (on a platform that binds channels). A message
 * no platform can take says why; it waits, visible, for one that can. A decision for the webhook goes to the webhook
 * platform alone (chat platforms never take it, and it takes nothing else); with none configured, it goes nowhere,
 * on purpose, and says so.
 */
export function routeMessage(message: Unrouted, platforms: readonly PlatformReach[], preference: readonly Platform[]): RouteDecision {
  const { addressee } = message;
  const open = byPreference(platforms, preference);
  switch (addressee.kind) {
    case 'person': {
      const candidates = open.filter((p) => !message.unreachableOn.includes(p.platform));
      const linked = candidates.find((p) => message.accounts.includes(p.platform));
      const chosen = linked ?? candidates.find((p) => p.people === 'anyone');
      if (chosen) return { platforms: [chosen.platform] };
      if (message.unreachableOn.length > 0)
        return { problem: `${described(addressee)} could not be reached on ${message.unreachableOn.join(' or ')}`, unreachable: true };
      return { problem: `no configured platform reaches ${described(addressee)} (no linked account, and none finds people by email)`, unreachable: false };
    }
    case 'team_channel': {
      const bound = (p: PlatformReach) => p.teamChannels === 'bound' && message.boundOn.includes(p.platform);
      const chosen = open.filter((p) => p.teamChannels === 'all' || (p.teamChannels === 'named' && addressee.channel !== null) || bound(p));
      if (chosen.length > 0) return { platforms: chosen.map((p) => p.platform) };
      const binding = open.filter((p) => p.teamChannels === 'bound').map((p) => p.platform);
      if (binding.length === 0)
        return { problem: `${described(addressee)}: ${addressee.channel === null ? 'the inventory names no channel for the team' : 'no configured platform has team channels'}`, unreachable: false };
      const unnamed = addressee.channel === null && open.some((p) => p.teamChannels === 'named') ? 'the inventory names no channel for the team, and ' : '';
      return { problem: `${described(addressee)}: ${unnamed}${notBoundYet(binding, `here team ${addressee.team}`)}`, unreachable: false };
    }
    case 'security_channel': {
      const chosen = open.filter((p) => p.securityChannel === true || (p.securityChannel === 'bound' && message.boundOn.includes(p.platform)));
      if (chosen.length > 0) return { platforms: chosen.map((p) => p.platform) };
      const binding = open.filter((p) => p.securityChannel === 'bound').map((p) => p.platform);
      if (binding.length === 0) return { problem: 'no configured platform has a security channel (set SLACK_SECURITY_CHANNEL, or securityChannel in the policy)', unreachable: false };
      return { problem: `the security channel: ${notBoundYet(binding, 'here security')}`, unreachable: false };
    }
    case 'webhook': {
      // Steward records decisions whether or not anyone listens: with no webhook configured, the message is
      // settled, not left waiting (a webhook configured later gets the decisions made from then on).
      const chosen = open.filter((p) => p.webhook === true);
      if (chosen.length > 0) return { platforms: chosen.map((p) => p.platform) };
      return { platforms: [], note: 'no decision webhook is configured (STEWARD_WEBHOOK_URL): the decision is recorded, not sent' };
    }
  }
}
