import type { Activity } from 'botbuilder';
import { describe, expect, test } from 'vitest';
import { addressOf, channelAddress, parseAddress, referenceTo, serializeAddress, tenantOf, type TeamsAddress } from '../../../adapters/teams/teams-address.js';

/*
 * Teams addresses as the store keeps them (JSON in a chat account's address or a channel binding), and as they are
 * read off an activity: the tenant, the 1:1 chat, the channel a command was typed in.
 */

const serviceUrl = 'https://smba.trafficmanager.net/amer/';
const tenantId = '72f988bf-0000-4000-8000-0000000000aa';
const channel = '19:payments@thread.tacv2';

const personal: TeamsAddress = { serviceUrl, tenantId, conversationId: 'a:1-29:ana', userId: '29:ana' };
const rosterOnly: TeamsAddress = { serviceUrl, tenantId, conversationId: null, userId: '29:lia' };
const boundChannel: TeamsAddress = { serviceUrl, tenantId, conversationId: channel, userId: null };

/** An activity in Ana's 1:1 chat by default; `channelData` null for none. */
function activity(conversation: Partial<NonNullable<Activity['conversation']>>, channelData: unknown = { tenant: { id: tenantId } }, extra: Partial<Activity> = {}): Partial<Activity> {
  return { type: 'message', serviceUrl, conversation: { id: 'a:1-29:ana', conversationType: 'personal', tenantId, isGroup: false, name: '', ...conversation }, channelData, ...extra } as Partial<Activity>;
}

describe('serializeAddress and parseAddress', () => {
  test.each([
    ['a 1:1 chat', personal],
    ['a roster member with no chat yet', rosterOnly],
    ['a bound channel', boundChannel],
    ['a local fake connector (http)', { ...personal, serviceUrl: 'http://127.0.0.1:3978/amer/' }],
  ])('when %s is stored and read back, then it is the same address', (_case, address) => {
    expect(parseAddress(serializeAddress(address))).toEqual(address);
  });

  test('when the address object carries more than an address, then only the address is stored', () => {
    const stored = serializeAddress({ ...personal, token: 'secret' } as TeamsAddress);

    expect(JSON.parse(stored)).toEqual(personal);
  });

  test.each([
    ['nothing stored', null],
    ["a Slack DM channel id (another platform's address)", 'D0ANA'],
    ['a Slack channel id', 'C0PAYMENTS'],
    ['damaged JSON', serializeAddress(personal).slice(0, -5)],
    ['an empty text', ''],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a JSON string', '"a:1-29:ana"'],
    ['an empty object', '{}'],
    ['an address with a field more', JSON.stringify({ ...personal, extra: 1 })],
    ['an address with no tenant', JSON.stringify({ ...personal, tenantId: '' })],
    ['an address with no user field', JSON.stringify({ serviceUrl, tenantId, conversationId: 'a:1' })],
    ['a service URL that is no URL', JSON.stringify({ ...personal, serviceUrl: 'smba' })],
    ['a service URL of another scheme', JSON.stringify({ ...personal, serviceUrl: 'file:///etc/passwd' })],
    ['an empty conversation id', JSON.stringify({ ...personal, conversationId: '' })],
  ])('when the stored text is %s, then it is no Teams address: null', (_case, text) => {
    expect(parseAddress(text)).toBeNull();
  });
});

describe('tenantOf', () => {
  test.each([
    ['on the conversation and in channelData', activity({ tenantId }, { tenant: { id: tenantId } }), tenantId],
    ['on the conversation only', activity({ tenantId }, null), tenantId],
    ['in channelData only', activity({ tenantId: undefined }, { tenant: { id: 'tenant-from-channel-data' } }), 'tenant-from-channel-data'],
    ['different in the two: the conversation\'s', activity({ tenantId: 'tenant-a' }, { tenant: { id: 'tenant-b' } }), 'tenant-a'],
    ['nowhere', activity({ tenantId: undefined }, null), null],
    ['in channelData but not a string', activity({ tenantId: undefined }, { tenant: { id: 7 } }), null],
  ])('when the tenant is %s, then it is read from there', (_case, a, expected) => {
    expect(tenantOf(a)).toBe(expected);
  });
});

describe('addressOf', () => {
  test('when a message comes from a 1:1 chat, then its address reaches the person there again', () => {
    expect(addressOf(activity({}), '29:ana')).toEqual(personal);
  });

  test.each([
    ['no service URL', activity({}, null, { serviceUrl: undefined })],
    ['no tenant', activity({ tenantId: undefined }, null)],
    ['no conversation id', activity({ id: '' })],
  ])('when the activity has %s, then there is no address', (_case, a) => {
    expect(addressOf(a, '29:ana')).toBeNull();
  });
});

describe('channelAddress', () => {
  const inChannel = (conversationId: string, channelData: unknown, conversationTenant: string | null = tenantId) =>
    activity({ id: conversationId, conversationType: 'channel', isGroup: true, tenantId: conversationTenant ?? undefined }, channelData);

  test.each([
    ['a new post: the channel from channelData', inChannel(channel, { tenant: { id: tenantId }, channel: { id: channel } }), channel],
    ['a reply in a thread: not the thread (;messageid=)', inChannel(`${channel};messageid=1699999999999`, { tenant: { id: tenantId }, channel: { id: channel } }), channel],
    ['a reply without channelData.channel: the id without ;messageid=', inChannel(`${channel};messageid=1699999999999`, { tenant: { id: tenantId } }), channel],
    ['channelData.channel naming another id than the conversation: channelData wins', inChannel('19:general@thread.tacv2;messageid=17', { tenant: { id: tenantId }, channel: { id: channel } }), channel],
    ['channelData.channel.id not a string: the conversation id', inChannel(`${channel};messageid=17`, { tenant: { id: tenantId }, channel: { id: 19 } }), channel],
    ['a group chat', activity({ id: '19:meeting_abc@thread.v2', conversationType: 'groupChat', isGroup: true }), '19:meeting_abc@thread.v2'],
  ])('when the command was typed in %s, then the channel is its address, with no user', (_case, a, conversationId) => {
    expect(channelAddress(a)).toEqual({ serviceUrl, tenantId, conversationId, userId: null });
  });

  test.each([
    ['a personal chat', activity({})],
    ['a conversation of no known type', activity({ conversationType: undefined })],
    ['a channel with no tenant', inChannel(channel, { channel: { id: channel } }, null)],
    ['a channel with no service URL', { ...inChannel(channel, { tenant: { id: tenantId }, channel: { id: channel } }), serviceUrl: undefined }],
  ])('when the command was typed in %s, then there is no channel to bind: null', (_case, a) => {
    expect(channelAddress(a)).toBeNull();
  });
});

describe('referenceTo', () => {
  test('when Steward continues a 1:1 chat, then the reference names the person and a personal conversation', () => {
    expect(referenceTo({ ...personal, conversationId: 'a:1-29:ana' }, '28:app')).toMatchObject({
      channelId: 'msteams',
      serviceUrl,
      conversation: { id: 'a:1-29:ana', tenantId, isGroup: false, conversationType: 'personal' },
      bot: { id: '28:app' },
      user: { id: '29:ana' },
    });
  });

  test('when Steward posts to a bound channel, then the reference is a channel conversation with no user', () => {
    const reference = referenceTo({ ...boundChannel, conversationId: channel }, '28:app');

    expect(reference).toMatchObject({ conversation: { id: channel, tenantId, isGroup: true, conversationType: 'channel' } });
    expect(reference).not.toHaveProperty('user');
  });

  test('when a channel bound from a reply in a thread is stored and read back, then Steward posts to the channel, not the thread', () => {
    const bound = channelAddress(activity({ id: `${channel};messageid=5`, conversationType: 'channel', isGroup: true }, { tenant: { id: tenantId }, channel: { id: channel } }));
    if (bound === null) throw new Error('no channel address');
    const read = parseAddress(serializeAddress(bound));
    if (read?.conversationId == null) throw new Error('the stored address was not read back');

    expect(referenceTo({ ...read, conversationId: read.conversationId }, '28:app').conversation).toMatchObject({ id: channel, conversationType: 'channel' });
  });
});
