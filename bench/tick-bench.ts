// The attestation loop's figures: a tick over a large inventory with a fixed number of items due, beside the
// same tick over an inventory ten times smaller, and the time to queue prompts in the outbox.
import fs from 'node:fs';
import { runTick } from '../src/attestation/run-tick.js';
import type { PlannedMessage } from '../src/messages/outgoing-message.js';
import { defaultPolicy } from '../src/policy/policy.js';
import { Outbox } from '../storage/outbox.js';
import { openSqliteStore } from '../storage/sqlite-store.js';

export interface TickFigures {
  readonly identities: number;
  readonly due: number;
  readonly tickMs: number;
  readonly idleTickMs: number;
  readonly attestationsOpened: number;
  readonly messages: number;
}

const notDue = '9999-12-31T00:00:00.000Z';
// A day after the bench's import (at the real clock's time): a tick before what a database has recorded is refused.
const dayMs = 86_400_000;
const dueSince = new Date(Date.now() - dayMs).toISOString();
export const tickAt = new Date(Date.now() + dayMs);

/**
 * Makes exactly the first `due` identities (by ref nhi-0 … nhi-<due-1>, the same rows in every inventory
 * the bench builds) due for their first attestation, and nothing else due at all, then times one tick.
 */
export async function timeTick(dbFile: string, due: number): Promise<TickFigures> {
  const store = openSqliteStore(dbFile);
  const { db } = store;
  db.transaction(() => {
    db.exec(`UPDATE items SET next_check_at = '${notDue}', next_attestation_at = '${notDue}'`);
    db.exec(`UPDATE people SET left_handled_at = '${dueSince}' WHERE left_handled_at IS NULL`);
    const mark = db.prepare(`UPDATE items SET next_check_at = ?, next_attestation_at = ? WHERE kind = 'identity' AND ref = ?`);
    for (let i = 0; i < due; i += 1) mark.run(dueSince, dueSince, `nhi-${i}`);
  })();
  const identities = (db.prepare(`SELECT count(*) AS n FROM items WHERE kind = 'identity'`).get() as { n: number }).n;
  // Start from a checkpointed database with a warm page cache, as a running server's would be, so the tick
  // does not pay for writing back the set-up above.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.prepare('SELECT count(*) FROM items WHERE next_check_at <= ?').get(tickAt.toISOString());

  const started = performance.now();
  const report = await runTick(store, defaultPolicy, tickAt);
  if (report.notBefore !== undefined) throw new Error(`the tick was refused: the database has records up to ${report.notBefore}`);
  const tickMs = performance.now() - started;

  db.pragma('wal_checkpoint(TRUNCATE)');
  const idleStarted = performance.now();
  const idle = await runTick(store, defaultPolicy, tickAt);
  const idleTickMs = performance.now() - idleStarted;
  if (idle.decisions.length !== 0) throw new Error(`the second tick at the same time decided ${idle.decisions.length} things`);

  await store.close();
  return {
    identities,
    due,
    tickMs,
    idleTickMs,
    attestationsOpened: report.decisions.filter((d) => d.type === 'open_attestation').length,
    messages: report.messages,
  };
}

/** `count` distinct one-item prompts, one per person, as a tick plans them. */
export function plannedPrompts(count: number): PlannedMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    dedupeKey: `attestation_prompt:person:${i}:${i}:1`,
    addressee: { kind: 'person', personId: i, email: `person${i}@example.com`, displayName: null },
    subjects: [`attestation:${i}`],
    message: {
      kind: 'attestation_prompt',
      title: '1 item to confirm',
      text: 'Please confirm each item below is still needed and its facts are right, or tell us what changed.',
      actions: [],
      sections: [
        {
          itemId: i,
          itemKind: 'identity',
          itemRef: `nhi-${i}`,
          itemName: `identity ${i}`,
          attestationId: i,
          facts: [
            { label: 'Purpose', value: 'Lets the billing job call the ledger API' },
            { label: 'Scopes', value: 'ledger:read, ledger:write' },
            { label: 'Expires', value: '2027-06-01' },
          ],
          actions: [{ id: 'attest.confirm', label: 'Confirm', value: String(i), style: 'primary' }],
        },
      ],
    },
  }));
}

/** Queues `count` distinct prompts through the outbox in one transaction, as a tick does. */
export function timeEnqueue(dbFile: string, count: number): number {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
  const store = openSqliteStore(dbFile);
  const outbox = new Outbox(store.db);
  const messages = plannedPrompts(count);
  const started = performance.now();
  store.db.transaction(() => {
    for (const message of messages) outbox.enqueue(message, tickAt.toISOString());
  })();
  const ms = performance.now() - started;
  store.db.close();
  return ms;
}
