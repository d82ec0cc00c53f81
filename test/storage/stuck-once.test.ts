import { describe, expect, it } from 'vitest';
import type { PlannedMessage } from '../../src/messages/outgoing-message.js';
import { routeOutbox } from '../../src/outbox/dispatch-outbox.js';
import type { PlatformReach } from '../../src/ports/chat.js';
import { fixedClock } from '../../src/ports/clock.js';
import { Outbox } from '../../storage/outbox.js';
import { memoryStore } from '../support/import-into-memory.js';

/*
 * `outbox --stuck` lists a message once: a person no platform could reach is one message given up, said by the
 * delivery that failed (where and why), not once more as "routed nowhere".
 */
const at = '2026-11-09T09:00:00.000Z';
const teams: PlatformReach = { platform: 'teams', people: 'anyone', teamChannels: 'bound', securityChannel: 'bound' };

const prompt: PlannedMessage = {
  dedupeKey: 'attestation_prompt:person:7:1',
  addressee: { kind: 'person', personId: 7, email: 'gone@acme.example', displayName: null },
  message: { kind: 'attestation_prompt', title: '1 item to confirm', text: 'Please confirm', sections: [], actions: [] },
  subjects: [],
};

describe('stuck messages are listed once', () => {
  it('when the only platform could not reach the person, then the message is stuck once, with the failure', async () => {
    const store = memoryStore();
    new Outbox(store.db).enqueue(prompt, at);
    await routeOutbox(store, fixedClock(at), [teams], ['teams']);
    const [held] = await store.claimDeliveries({ now: at, platform: 'teams', owner: 'test', leaseMs: 60_000, limit: 10 });
    await store.recordDelivery(held?.id ?? 0, 'test', { status: 'failed', reason: 'unreachable', error: 'Teams send: 404 ConversationNotFound' }, at);
    await routeOutbox(store, fixedClock(at), [teams], ['teams']);

    const stuck = await store.stuckMessages('2026-11-10T09:00:00.000Z', 10);
    expect(stuck.map((m) => [m.messageId, m.platform, m.reason, m.error])).toEqual([[1, 'teams', 'unreachable', 'Teams send: 404 ConversationNotFound']]);
  });
});
