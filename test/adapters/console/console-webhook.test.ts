import { describe, expect, it } from 'vitest';
import { webhookReach } from '../../../adapters/webhook/webhook-chat.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { outbox } from '../../storage/support/loop-state.js';
import { consoleTranscript } from '../../support/console-transcript.js';
import { identityEntry } from '../../support/entries.js';
import { memoryStore } from '../../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy } from '../../support/loop.js';

/*
 * The console beside the decision webhook (`serve` with STEWARD_WEBHOOK_URL and no chat credentials): a decision
 * made on the console is routed to the webhook, not settled nowhere, and the webhook's pump is told at once.
 */
describe('the console beside the decision webhook', () => {
  it('when a request is approved on the console, then its decision waits for the webhook, and the pumps are kicked', async () => {
    const at = '2026-11-02T09:00:00.000Z';
    const store = memoryStore();
    await importLoop(store, at, [identityEntry({ ref: 'ci-deployer', scopes: ['read'], owner: ownedBy('payments', 'ana') })]);
    let kicks = 0;
    await consoleTranscript(
      ['as ana@acme.example', 'request scope_change ci-deployer --scopes "read write" --reason "writes artefacts"', 'as lena@acme.example', 'decide 1 approve'],
      { store, clock: fixedClock(at), policy: loopPolicy(), otherPlatforms: [webhookReach], changed: () => (kicks += 1) },
    );
    const decision = outbox(store).find((m) => m.kind === 'approval_decision');
    expect(decision).toMatchObject({ to: 'webhook', platforms: ['webhook'], status: 'pending' });
    expect(kicks).toBeGreaterThan(0);
  });
});
