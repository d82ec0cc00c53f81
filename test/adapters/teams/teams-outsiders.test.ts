import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy } from '../../support/loop.js';
import { auditEvents } from '../../storage/support/loop-state.js';
import { channelOf, member, personalConversation, startTeamsHarness, type TeamsHarness } from './teams-harness.js';

/*
 * Users who are in a conversation of Steward's tenant without being members of the organisation: a user of another
 * tenant (a shared channel, external access), whose Teams email is whatever their own tenant's admin wrote in it,
 * and an anonymous meeting participant. The conversation's tenant is Steward's, so the tenant check lets their
 * activities through; what Teams says of the user must refuse them, and never link them to someone's account.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const items = [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', owner: ownedBy('payments', 'ana', 'ben') })];
const otherTenant = 'ffffffff-0000-4000-8000-000000000bad';
/** A user of another tenant whose mail attribute says ana@acme.example (any admin of that tenant can write it). */
const mallory = member('mallory', { email: 'ana@acme.example', userPrincipalName: 'mallory@evil.example', tenantId: otherTenant });
const patLookalike = member('mal', { email: 'pat@acme.example', userPrincipalName: 'mal@evil.example', tenantId: otherTenant });

describe('a user of another tenant in a channel of Steward\'s tenant', () => {
  test('when they ask Steward something, then they are refused, shown nothing, and not linked to the person their email names', async () => {
    harness = await startTeamsHarness({ items, members: [member('ana'), member('ben'), mallory] });
    await harness.post(harness.installedBy('ana'));
    const before = await harness.store.chatPersonBy({ email: 'ana@acme.example' });

    expect((await harness.post(harness.inChannel('mallory', channelOf('general'), 'who ledger-api'))).status).toBe(200);

    const reply = harness.fake.sent.at(-1)?.activity.text ?? '';
    expect(reply).not.toContain('ben@acme.example');
    expect(reply).toMatch(/members of this organisation/);
    expect(await harness.store.chatPersonBy({ email: 'ana@acme.example' })).toEqual(before);
    expect(await harness.store.chatPersonBy({ platform: 'teams', accountId: mallory.aadObjectId })).toBeNull();
  });

  test('when one whose email names an admin types here security, then nothing is bound', async () => {
    harness = await startTeamsHarness({ items, members: [member('ana'), patLookalike] });

    await harness.post(harness.inChannel('mal', channelOf('general'), 'here security'));

    expect(await harness.store.boundChannel('teams', { kind: 'security' })).toBeNull();
    expect(auditEvents(harness.store, { action: 'channel.bound' })).toEqual([]);
  });

  test('when Steward is added to a team with them in it, then they are not linked to the person their email names', async () => {
    harness = await startTeamsHarness({ items, members: [member('ben'), mallory] });
    const added = harness.addedToTeam('ben');

    expect((await harness.post(added)).status).toBe(200);

    expect(await harness.store.chatPersonBy({ platform: 'teams', accountId: mallory.aadObjectId })).toBeNull();
    expect((await harness.store.chatPersonBy({ email: 'ana@acme.example' }))?.accounts).toEqual([]);
  });
});

describe('an anonymous participant', () => {
  test('when they ask Steward something, then they are refused and shown nothing', async () => {
    const anon = member('anon', { email: undefined, userPrincipalName: undefined, userRole: 'anonymous' });
    harness = await startTeamsHarness({ items, members: [member('ana'), anon] });

    await harness.post(harness.personal('anon', 'who ledger-api'));

    const reply = harness.fake.sent.filter((s) => s.conversationId === personalConversation('anon')).at(-1)?.activity.text ?? '';
    expect(reply).not.toContain('ana@acme.example');
  });
});
