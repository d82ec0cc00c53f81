import { afterEach, describe, expect, it } from 'vitest';
import { webhookChat } from '../../../adapters/webhook/webhook-chat.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { outbox } from '../../storage/support/loop-state.js';
import { consoleTranscript } from '../../support/console-transcript.js';
import { identityEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy } from '../../support/loop.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../support/webhook-receiver.js';

/*
 * The console beside the decision webhook (`serve` with STEWARD_WEBHOOK_URL and no chat credentials): a decision
 * made on the console is routed to the webhook and POSTed by the console itself, at its own time — also after a
 * `tick --at` moved the console's clock ahead of the wall's, which the webhook's own pump knows nothing of.
 */
const secret = 'console-webhook-secret-0123456789abcdef';
let receiver: WebhookReceiver | null = null;
afterEach(async () => {
  await receiver?.close();
  receiver = null;
});

describe('the console beside the decision webhook', () => {
  it('when a request is approved on the console after tick --at, then the decision is POSTed at once, signed, and the pumps are kicked', async () => {
    const at = '2026-11-02T09:00:00.000Z';
    const store = memoryStore();
    await importLoop(store, at, [identityEntry({ ref: 'ci-deployer', scopes: ['read'], owner: ownedBy('payments', 'ana') })]);
    receiver = await startWebhookReceiver({ secret, now: () => new Date() });
    // Signed at the wall's time, as the receiver checks it; the console's clock is a week ahead by then.
    const webhook = webhookChat({ settings: { url: receiver.url, secret }, clock: { now: () => new Date() } });
    let kicks = 0;
    await consoleTranscript(
      ['tick --at +7d', 'as ana@acme.example', 'request scope_change ci-deployer --scopes "read write" --reason "writes artefacts"', 'as lena@acme.example', 'decide 1 approve'],
      { store, clock: fixedClock(at), policy: loopPolicy(), otherChats: [webhook], changed: () => (kicks += 1) },
    );
    expect(outbox(store).find((m) => m.kind === 'approval_decision')).toMatchObject({ to: 'webhook', platforms: ['webhook'], status: 'sent' });
    const [hook, ...more] = receiver.accepted();
    expect(more).toEqual([]);
    expect(hook?.headers['steward-event-id']).toBe('approval-1-approved');
    expect(kicks).toBeGreaterThan(0);
  });
});
