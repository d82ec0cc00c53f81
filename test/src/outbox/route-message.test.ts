import { describe, expect, it } from 'vitest';
import type { Addressee } from '../../../src/messages/outgoing-message.js';
import { routeMessage } from '../../../src/outbox/route-message.js';
import type { Platform, RouteDecision, Unrouted } from '../../../src/ports/attestation-store.js';
import type { PlatformReach } from '../../../src/ports/chat.js';

/*
 * routeMessage as a table: who a message is for, what it knows about them (accounts, failures, bound channels), the
 * platforms configured, and where it goes. Slack names its channels and finds anyone by email; the console shows
 * everything; Teams reaches linked people and posts only where a channel was bound.
 */

const slack: PlatformReach = { platform: 'slack', people: 'anyone', teamChannels: 'named', securityChannel: true };
const slackWithoutSecurity: PlatformReach = { ...slack, securityChannel: false };
const console_: PlatformReach = { platform: 'console', people: 'anyone', teamChannels: 'all', securityChannel: true };
const teams: PlatformReach = { platform: 'teams', people: 'linked', teamChannels: 'bound', securityChannel: 'bound' };

const ana: Addressee = { kind: 'person', personId: 1, email: 'ana@acme.example', displayName: 'Ana' };
const payments: Addressee = { kind: 'team_channel', teamId: 7, team: 'payments', channel: '#payments' };
const paymentsUnnamed: Addressee = { kind: 'team_channel', teamId: 7, team: 'payments', channel: null };
const security: Addressee = { kind: 'security_channel', channel: null };

const message = (addressee: Addressee, known: Partial<Pick<Unrouted, 'accounts' | 'unreachableOn' | 'boundOn'>> = {}): Unrouted => ({
  messageId: 1,
  addressee,
  accounts: [],
  unreachableOn: [],
  boundOn: [],
  ...known,
});

const to = (...platforms: Platform[]): RouteDecision => ({ platforms });
const waits = (problem: string): RouteDecision => ({ problem, unreachable: false });

describe('routeMessage: team channels', () => {
  it.each<[string, Unrouted, PlatformReach[], RouteDecision]>([
    ['Slack alone, the inventory names the channel', message(payments), [slack], to('slack')],
    ['Slack alone, the inventory names no channel', message(paymentsUnnamed), [slack], waits("team payments's channel: the inventory names no channel for the team")],
    ['Slack alone, the inventory names none, a channel bound on Teams (not served here)', message(paymentsUnnamed, { boundOn: ['teams'] }), [slack], waits("team payments's channel: the inventory names no channel for the team")],
    ['the console, whatever the inventory names', message(paymentsUnnamed), [console_], to('console')],
    ['Teams, a channel bound there', message(paymentsUnnamed, { boundOn: ['teams'] }), [teams], to('teams')],
    [
      'Teams, no channel bound yet',
      message(payments),
      [teams],
      waits("team payments's channel: no channel is bound to it on teams yet (`here team payments` in the channel binds it)"),
    ],
    ['Teams, a channel bound on another platform only', message(payments, { boundOn: ['other'] }), [teams], waits("team payments's channel: no channel is bound to it on teams yet (`here team payments` in the channel binds it)")],
    ['Slack and Teams, both can', message(payments, { boundOn: ['teams'] }), [slack, teams], to('slack', 'teams')],
    ['Slack and Teams, Teams not bound yet: Slack alone', message(payments), [slack, teams], to('slack')],
    ['Slack and Teams, the inventory names none but Teams is bound: Teams alone', message(paymentsUnnamed, { boundOn: ['teams'] }), [slack, teams], to('teams')],
    [
      'Slack and Teams, neither has one',
      message(paymentsUnnamed),
      [slack, teams],
      waits("team payments's channel: the inventory names no channel for the team, and no channel is bound to it on teams yet (`here team payments` in the channel binds it)"),
    ],
    ['no platform with team channels', message(payments), [{ ...slack, teamChannels: 'none' }], waits("team payments's channel: no configured platform has team channels")],
  ])('when %s, then it is routed as shown', (_, unrouted, platforms, decision) => {
    expect(routeMessage(unrouted, platforms, [])).toEqual(decision);
  });
});

describe('routeMessage: the security channel', () => {
  it.each<[string, Unrouted, PlatformReach[], RouteDecision]>([
    ['Slack with a security channel', message(security), [slack], to('slack')],
    ['Slack without one', message(security), [slackWithoutSecurity], waits('no configured platform has a security channel (set SLACK_SECURITY_CHANNEL, or securityChannel in the policy)')],
    ['Teams with one bound', message(security, { boundOn: ['teams'] }), [teams], to('teams')],
    ['Teams with none bound yet', message(security), [teams], waits('the security channel: no channel is bound to it on teams yet (`here security` in the channel binds it)')],
    ['Slack and Teams, both have one', message(security, { boundOn: ['teams'] }), [slack, teams], to('slack', 'teams')],
    ['Slack and Teams, Teams not bound yet', message(security), [slack, teams], to('slack')],
    ['Slack without one, Teams bound', message(security, { boundOn: ['teams'] }), [slackWithoutSecurity, teams], to('teams')],
    ['Slack without one, Teams not bound', message(security), [slackWithoutSecurity, teams], waits('the security channel: no channel is bound to it on teams yet (`here security` in the channel binds it)')],
  ])('when %s, then it is routed as shown', (_, unrouted, platforms, decision) => {
    expect(routeMessage(unrouted, platforms, [])).toEqual(decision);
  });
});

describe('routeMessage: people', () => {
  it.each<[string, Unrouted, PlatformReach[], Platform[], RouteDecision]>([
    ['linked on Teams only, Slack preferred', message(ana, { accounts: ['teams'] }), [slack, teams], ['slack', 'teams'], to('teams')],
    ['linked on both, Teams preferred', message(ana, { accounts: ['slack', 'teams'] }), [slack, teams], ['teams', 'slack'], to('teams')],
    ['linked nowhere: Slack finds them by email', message(ana), [slack, teams], ['teams', 'slack'], to('slack')],
    ['linked nowhere, Teams alone', message(ana), [teams], [], waits('no configured platform reaches ana@acme.example (no linked account, and none finds people by email)')],
    ['unreachable on Teams, Slack left', message(ana, { accounts: ['teams'], unreachableOn: ['teams'] }), [slack, teams], ['teams', 'slack'], to('slack')],
    [
      'unreachable on Teams, Teams alone',
      message(ana, { accounts: ['teams'], unreachableOn: ['teams'] }),
      [teams],
      [],
      { problem: 'ana@acme.example could not be reached on teams', unreachable: true },
    ],
    ['a channel bound somewhere changes nothing for a person', message(ana, { boundOn: ['teams'] }), [teams], [], waits('no configured platform reaches ana@acme.example (no linked account, and none finds people by email)')],
  ])('when %s, then it is routed as shown', (_, unrouted, platforms, preference, decision) => {
    expect(routeMessage(unrouted, platforms, preference)).toEqual(decision);
  });
});

describe('routeMessage: the decision webhook', () => {
  const webhook: PlatformReach = { platform: 'webhook', people: 'linked', teamChannels: 'none', securityChannel: false, webhook: true };
  const decision: Addressee = { kind: 'webhook' };
  const nowhere: RouteDecision = { platforms: [], note: 'no decision webhook is configured (STEWARD_WEBHOOK_URL): the decision is recorded, not sent' };

  it.each<[string, Unrouted, PlatformReach[], RouteDecision]>([
    ['the webhook beside Slack and Teams: the webhook alone', message(decision), [slack, teams, webhook], to('webhook')],
    ['the webhook beside the console, which shows everything else: the webhook alone', message(decision), [console_, webhook], to('webhook')],
    ['no webhook, chat platforms only: nowhere, on purpose, and why', message(decision), [slack, console_, teams], nowhere],
    ['no platform at all: nowhere, on purpose', message(decision), [], nowhere],
  ])('when %s, then it is routed as shown', (_, unrouted, platforms, expected) => {
    expect(routeMessage(unrouted, platforms, [])).toEqual(expected);
  });

  it.each<[string, Unrouted, RouteDecision]>([
    ['a person linked nowhere', message(ana), waits('no configured platform reaches ana@acme.example (no linked account, and none finds people by email)')],
    ['a team channel the inventory names', message(payments), waits("team payments's channel: no configured platform has team channels")],
    ['the security channel', message(security), waits('no configured platform has a security channel (set SLACK_SECURITY_CHANNEL, or securityChannel in the policy)')],
  ])('when the webhook alone is configured and the message is for %s, then the webhook never takes it', (_, unrouted, expected) => {
    expect(routeMessage(unrouted, [webhook], [])).toEqual(expected);
  });

  it('when the webhook is configured beside Slack, then people and channels still go to Slack alone', () => {
    expect([message(ana), message(payments), message(security)].map((m) => routeMessage(m, [webhook, slack], ['webhook', 'slack']))).toEqual([to('slack'), to('slack'), to('slack')]);
  });
});
