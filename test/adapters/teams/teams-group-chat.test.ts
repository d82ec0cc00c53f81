import { afterEach, describe, expect, test } from 'vitest';
import { apiEntry } from '../../support/entries.js';
import { ownedBy, tick } from '../../support/loop.js';
import { deliveries } from '../../storage/support/loop-state.js';
import { member, startTeamsHarness, type TeamsHarness } from './teams-harness.js';
import { cardOf, executesIn } from './sent-cards.js';

/*
 * A person whose first words to Steward are in a group chat (no team, so no roster is read): Steward learns their
 * Teams user id there, and can open their 1:1 chat with it when a prompt is due.
 */

let harness: TeamsHarness;
afterEach(async () => harness?.close());

const tickAt = '2026-11-09T09:00:00.000Z';
const groupChat = '19:group-ana-leo@thread.v2';

describe('a person met first in a group chat', () => {
  test('when Ana mentions Steward in a group chat and a prompt is then due, then her 1:1 chat is created and the prompt reaches it', async () => {
    harness = await startTeamsHarness({ items: [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', owner: ownedBy('payments', 'ana', 'ben') })] });
    harness.fake.setMembers(groupChat, [member('ana'), member('leo')]);
    const inChannel = harness.inChannel('ana', groupChat, 'who ledger-api');
    const inGroup = { ...inChannel, conversation: { id: groupChat, conversationType: 'groupChat', tenantId: harness.fake.tenantId, isGroup: true, name: '' }, channelData: { tenant: { id: harness.fake.tenantId } } };

    expect((await harness.post(inGroup)).status).toBe(200);
    await tick(harness.store, harness.policy, tickAt);
    await harness.deliver();

    expect(deliveries(harness.store).filter((d) => d.platform === 'teams').map((d) => d.status)).toEqual(['sent']);
    expect(harness.fake.created[0]?.parameters).toMatchObject({ members: [{ id: '29:ana' }] });
    const created = harness.fake.created[0]?.id ?? '';
    expect(executesIn(cardOf(harness.fake.sent.find((s) => s.conversationId === created))).map((e) => e.verb)).toContain('attest.confirm');
  });
});
