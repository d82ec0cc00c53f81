import { describe, expect, it } from 'vitest';
import { bindChannel } from '../../../src/channels/bind-channel.js';
import type { BindChannelResult, BindTarget } from '../../../src/channels/decide-binding.js';
import { routeMessage } from '../../../src/outbox/route-message.js';
import type { ActorKey, Unrouted } from '../../../src/ports/attestation-store.js';
import type { PlatformReach } from '../../../src/ports/chat.js';
import type { ChannelTarget } from '../../../src/ports/chat-identity-store.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { Store } from '../../../src/ports/store.js';
import { apiEntry } from '../../support/entries.js';
import { ownedBy } from '../../support/loop.js';
import type { ContractSubject } from './contract-store.js';
import { portView, withoutAudit } from './port-view.js';
import { claimAs, email, importedAt, itemIdOf, personIdOf, plusDays, seeded, tickAt } from './scenario.js';

const boundAt = plusDays(importedAt, 1);
const admins = { admins: [email('zed')] };
const security: ChannelTarget = { kind: 'security' };
const teams: PlatformReach = { platform: 'teams', people: 'linked', teamChannels: 'bound', securityChannel: 'bound' };
const seconds = (iso: string, s: number) => new Date(Date.parse(iso) + s * 1000).toISOString();

/** ledger-api is ledger's with nobody named (its team's queue); orphan-api is nobody's (the security queue). */
const inventory = () => [apiEntry({ ref: 'ledger-api', owner: ownedBy('ledger') }), apiEntry({ ref: 'orphan-api' })];

/** `here …` typed by `who` in the Teams channel `address`, at `at`. */
async function bindAs(store: Store, who: ActorKey | string, target: BindTarget, address: string, at = boundAt, platform = 'teams'): Promise<BindChannelResult> {
  const actor = typeof who === 'string' ? { email: who } : who;
  return bindChannel(store, fixedClock(at), admins, { actor, platform, target, address });
}

/** The team's target, as a binding by its lead reports it: the port names teams by id, the command by slug. */
async function teamTarget(store: Store, slug: string, lead: string): Promise<ChannelTarget> {
  const result = await bindAs(store, lead, { kind: 'team', slug }, `conv-${slug}`, boundAt, 'probe');
  if (!result.ok) throw new Error(`${lead} cannot bind ${slug}: ${result.code}`);
  return result.target;
}

/** One routing round at `at` for a Teams-only process, recording what the store told `route` of each message. */
async function routeOnTeams(store: Store, at: string) {
  const seen: Unrouted[] = [];
  const counts = await store.routeMessages({
    now: at,
    platforms: [teams],
    limit: 100,
    route: (message) => {
      seen.push(message);
      return routeMessage(message, [teams], []);
    },
  });
  // In a fixed order (the addressee's kind), so the contract does not depend on the order a store routes in.
  const told = seen.map((m) => ({ to: m.addressee.kind, boundOn: [...m.boundOn].sort() })).sort((a, b) => a.to.localeCompare(b.to));
  return { ...counts, seen: told };
}

/** bindChannel, boundChannel and claimHome; and routing, which is told where a message's channel is bound. */
export function describeChannelBindingContract(subject: ContractSubject): void {
  describe('bindChannel and boundChannel: one channel per target per platform', () => {
    it('when a team’s lead binds its channel, then it is bound to that team on that platform alone, and the audit chain records it', async () => {
      const store = await seeded(subject.store, inventory());
      const chain = await store.verifyAuditChain();
      const result = await bindAs(store, email('lena'), { kind: 'team', slug: 'payments' }, 'conv-payments');
      expect(result).toMatchObject({ ok: true, target: { kind: 'team', teamId: expect.any(Number) }, team: 'payments', previous: 'none' });
      const payments = result.ok ? result.target : security;
      expect(await store.boundChannel('teams', payments)).toBe('conv-payments');
      expect(await store.boundChannel('slack', payments)).toBeNull();
      expect(await store.boundChannel('teams', security)).toBeNull();
      const ledger = await teamTarget(store, 'ledger', email('leo'));
      expect(ledger).not.toEqual(payments);
      expect(await store.boundChannel('teams', ledger)).toBeNull();
      expect(await store.verifyAuditChain()).toMatchObject({ ok: true, events: chain.events + 2, brokenAt: null });
    });

    it('when the target is bound again to another channel, then that one replaces it; to the same channel, then nothing changes and nothing is recorded', async () => {
      const store = await seeded(subject.store, inventory());
      const payments = await teamTarget(store, 'payments', email('lena'));
      await bindAs(store, email('lena'), { kind: 'team', slug: 'payments' }, 'conv-old');
      expect(await bindAs(store, email('zed'), { kind: 'team', slug: 'payments' }, 'conv-new', plusDays(boundAt, 1))).toMatchObject({ ok: true, previous: 'other' });
      expect(await store.boundChannel('teams', payments)).toBe('conv-new');
      const before = await portView(store);
      expect(await bindAs(store, email('lena'), { kind: 'team', slug: 'PAYMENTS' }, 'conv-new', plusDays(boundAt, 2))).toMatchObject({ ok: true, previous: 'same' });
      expect(await portView(store)).toEqual(before);
      expect(await store.boundChannel('teams', payments)).toBe('conv-new');
    });

    it('when an admin binds the security channel and a team’s, then both are bound, even to one channel', async () => {
      const store = await seeded(subject.store, inventory());
      const ledger = await teamTarget(store, 'ledger', email('leo'));
      expect(await bindAs(store, email('zed'), { kind: 'security' }, 'conv-sec')).toMatchObject({ ok: true, target: security, team: null, previous: 'none' });
      expect(await bindAs(store, email('zed'), { kind: 'team', slug: 'ledger' }, 'conv-sec')).toMatchObject({ ok: true, target: ledger });
      expect(await store.boundChannel('teams', security)).toBe('conv-sec');
      expect(await store.boundChannel('teams', ledger)).toBe('conv-sec');
    });

    it('when the speaker is named by their chat account, then it is the person linked to it who binds', async () => {
      const store = await seeded(subject.store, inventory());
      const lena = { platform: 'teams', accountId: 'aad-lena' };
      expect(await bindAs(store, lena, { kind: 'team', slug: 'payments' }, 'conv-payments')).toMatchObject({ ok: false, code: 'unknown_person' });
      await store.linkChatAccount(await personIdOf(store, email('lena')), lena, null);
      expect(await bindAs(store, lena, { kind: 'team', slug: 'payments' }, 'conv-payments')).toMatchObject({ ok: true, team: 'payments' });
    });

    it.each<[string, string, BindTarget, Partial<BindChannelResult>]>([
      ['a member who is not the lead binds the team’s channel', 'ana', { kind: 'team', slug: 'payments' }, { ok: false, code: 'not_lead' }],
      ['a lead binds the security channel', 'lena', { kind: 'security' }, { ok: false, code: 'not_admin' }],
      ['someone Steward does not know binds', 'nobody', { kind: 'security' }, { ok: false, code: 'unknown_person' }],
      ['a lead mistypes the slug', 'lena', { kind: 'team', slug: 'paymets' }, { ok: false, code: 'unknown_team', suggestion: 'payments' }],
    ])('when %s, then it is refused, nothing is bound, and only the refusal is recorded', async (_, who, target, refusal) => {
      const store = await seeded(subject.store, inventory());
      const payments = await teamTarget(store, 'payments', email('lena'));
      const before = await portView(store);
      expect(await bindAs(store, email(who), target, 'conv-here')).toMatchObject(refusal);
      expect(withoutAudit(await portView(store))).toEqual(withoutAudit(before));
      expect((await store.verifyAuditChain()).events).toBe(before.chain.events + 1);
      expect(await store.boundChannel('teams', payments)).toBeNull();
      expect(await store.boundChannel('teams', security)).toBeNull();
    });

    it('when the lead has left, then they may not bind any more', async () => {
      const store = await seeded(subject.store, inventory());
      await store.markPersonLeft({ email: email('lena') }, boundAt, 'left the company');
      expect(await bindAs(store, email('lena'), { kind: 'team', slug: 'payments' }, 'conv-payments', plusDays(boundAt, 1))).toMatchObject({ ok: false, code: 'unknown_person' });
    });
  });

  describe('claimHome: the first tenant to install is home', () => {
    it('when a platform claims its home first, then it is recorded and returned; another tenant after it gets the first back, and nothing more is recorded', async () => {
      const store = await seeded(subject.store, []);
      const chain = await store.verifyAuditChain();
      expect(await store.claimHome('teams', 'tenant-a', boundAt)).toBe('tenant-a');
      expect((await store.verifyAuditChain()).events).toBe(chain.events + 1);
      const before = await portView(store);
      expect(await store.claimHome('teams', 'tenant-b', plusDays(boundAt, 1))).toBe('tenant-a');
      expect(await store.claimHome('teams', 'tenant-a', plusDays(boundAt, 1))).toBe('tenant-a');
      expect(await portView(store)).toEqual(before);
    });

    it('when another platform claims a home, then it has its own', async () => {
      const store = subject.store;
      await store.claimHome('teams', 'tenant-a', boundAt);
      expect(await store.claimHome('other', 'tenant-b', boundAt)).toBe('tenant-b');
      expect(await store.claimHome('teams', 'tenant-b', boundAt)).toBe('tenant-a');
    });

    it('when two tenants claim at once, then both are told the same home', async () => {
      const { store } = subject;
      const homes = await Promise.all([store.claimHome('teams', 'tenant-a', boundAt), store.claimHome('teams', 'tenant-b', boundAt)]);
      expect(homes[0]).toBe(homes[1]);
    });
  });

  describe('routeMessages: channels bound, and messages waiting for one', () => {
    /** The inventory imported and ticked: ledger’s queue for its channel, orphan-api for the security channel. */
    async function queued(store: Store): Promise<Store> {
      await seeded(store, inventory());
      await tickAt(store, importedAt);
      return store;
    }

    it('when a channel is bound to a message’s addressee, then routing is told the platforms it is bound on', async () => {
      const store = await queued(subject.store);
      await bindAs(store, email('leo'), { kind: 'team', slug: 'ledger' }, 'conv-ledger', importedAt);
      await bindAs(store, email('zed'), { kind: 'team', slug: 'ledger' }, 'C0LEDGER', importedAt, 'other');
      const round = await routeOnTeams(store, importedAt);
      expect(round.seen).toEqual([
        { to: 'security_channel', boundOn: [] },
        { to: 'team_channel', boundOn: ['other', 'teams'] },
      ]);
      expect(round).toMatchObject({ routed: 1, unroutable: 1 });
    });

    it('when a team whose inventory entry names no channel has one bound, then the tick puts its queue to that channel, and routing is told where', async () => {
      const store = await seeded(subject.store, [apiEntry({ ref: 'infra-api', owner: ownedBy('platform') })]);
      await bindAs(store, email('zed'), { kind: 'team', slug: 'platform' }, 'conv-platform', importedAt);
      await tickAt(store, importedAt);
      expect(await routeOnTeams(store, importedAt)).toEqual({ routed: 1, unroutable: 0, seen: [{ to: 'team_channel', boundOn: ['teams'] }] });
    });

    it('when no channel is bound yet, then the message waits, shown stuck with why, and is routed at the next round after its lead binds one', async () => {
      const store = await queued(subject.store);
      expect(await routeOnTeams(store, importedAt)).toMatchObject({ routed: 0, unroutable: 2 });
      const stuck = (await store.stuckMessages(plusDays(importedAt, 1), 10)).map((m) => [m.kind, m.reason, m.error]).sort();
      expect(stuck).toEqual([
        ['team_queue', 'no_platform', "team ledger's channel: no channel is bound to it on teams yet (`here team ledger` in the channel binds it)"],
        ['unowned_queue', 'no_platform', 'the security channel: no channel is bound to it on teams yet (`here security` in the channel binds it)'],
      ]);
      await bindAs(store, email('leo'), { kind: 'team', slug: 'ledger' }, 'conv-ledger', seconds(importedAt, 5));

      expect(await routeOnTeams(store, seconds(importedAt, 5))).toMatchObject({ routed: 1, unroutable: 0, seen: [{ to: 'team_channel', boundOn: ['teams'] }] });
      expect((await store.claimDeliveries({ now: seconds(importedAt, 5), platform: 'teams', owner: 'contract', leaseMs: 60_000, limit: 10 })).map((d) => d.addressee.kind)).toEqual(['team_channel']);
      expect((await store.stuckMessages(plusDays(importedAt, 1), 10)).map((m) => m.kind)).toEqual(['unowned_queue']);
    });

    it('when a message waits, then it is offered again once its wait is over (a minute at first, longer as it ages), and counted unroutable once', async () => {
      const store = await queued(subject.store);
      await routeOnTeams(store, importedAt);
      expect(await routeOnTeams(store, seconds(importedAt, 30))).toMatchObject({ routed: 0, unroutable: 0, seen: [] });
      expect(await routeOnTeams(store, seconds(importedAt, 60))).toMatchObject({ routed: 0, unroutable: 0, seen: [{ to: 'security_channel' }, { to: 'team_channel' }] });
      expect((await routeOnTeams(store, seconds(importedAt, 90))).seen).toEqual([]);
      expect((await routeOnTeams(store, seconds(importedAt, 120))).seen).toHaveLength(2);
      expect((await routeOnTeams(store, seconds(importedAt, 230))).seen).toEqual([]);
      expect((await routeOnTeams(store, seconds(importedAt, 240))).seen).toHaveLength(2);
      expect(await store.stuckMessages(plusDays(importedAt, 1), 10)).toHaveLength(2);
    });

    it('when what a waiting message asks is settled meanwhile, then it waits no more: a channel bound later does not get it, and it stays listed', async () => {
      const store = await queued(subject.store);
      await routeOnTeams(store, importedAt);
      expect(await claimAs(store, seconds(importedAt, 10), email('lia'), await itemIdOf(store, 'api', 'ledger-api'))).toMatchObject({ ok: true });
      await bindAs(store, email('leo'), { kind: 'team', slug: 'ledger' }, 'conv-ledger', seconds(importedAt, 20));
      expect(await routeOnTeams(store, seconds(importedAt, 20))).toMatchObject({ routed: 0, seen: [] });
      expect((await routeOnTeams(store, plusDays(importedAt, 1))).seen).toEqual([{ to: 'security_channel', boundOn: [] }]);
      expect((await store.stuckMessages(plusDays(importedAt, 1), 10)).map((m) => m.kind).sort()).toEqual(['team_queue', 'unowned_queue']);
    });

    it('when the security channel is bound while a message waits for it, then the next round routes it, and nothing else is woken early', async () => {
      const store = await queued(subject.store);
      await routeOnTeams(store, importedAt);
      await bindAs(store, email('zed'), { kind: 'security' }, 'conv-sec', seconds(importedAt, 10));
      expect(await routeOnTeams(store, seconds(importedAt, 10))).toMatchObject({ routed: 1, seen: [{ to: 'security_channel', boundOn: ['teams'] }] });
      expect(await store.boundChannel('teams', security)).toBe('conv-sec');
    });
  });
}
