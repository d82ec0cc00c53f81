import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { ChatReply } from '../../../adapters/chat/chat-reply.js';
import { runChatCommand, type ChatCommandRequest } from '../../../adapters/chat/run-chat-command.js';
import { StoreWorker } from '../../../adapters/cli/store-worker.js';
import { fixedClock } from '../../../src/ports/clock.js';
import { openSqliteStore, type SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry } from '../../support/entries.js';
import { importLoop, loopPolicy, ownedBy } from '../../support/loop.js';
import { openAttestations, outbox } from '../../storage/support/loop-state.js';
import { holdWriteLock } from '../../storage/support/sqlite-faults.js';
import { recordingLogger } from '../../support/recording-logger.js';
import { useTempDir } from '../../support/temp-dir.js';

/*
 * The store worker: chat commands and ticks on their own thread and connection, so the main thread's event loop
 * (which acknowledges Slack) is never blocked by them. The main connection sees what the worker wrote (WAL).
 */

const dir = useTempDir('store-worker');
const importedAt = '2026-11-02T09:00:00.000Z';
const policy = loopPolicy();
let store: SqliteStore | undefined;
let worker: StoreWorker | undefined;
afterEach(async () => {
  await worker?.close();
  await store?.close();
});

/** A chat command as Slack hands it over: platform-neutral, rendered by the adapter that asked. */
const typed = (email: string, text: string): ChatCommandRequest => ({ platform: 'slack', speaker: { email }, text, invocation: '/steward' });
const textOf = (reply: ChatReply) => reply.parts.map((part) => part.text).join('\n');

async function started(commandThreads?: number): Promise<{ store: SqliteStore; worker: StoreWorker; logs: Array<Record<string, unknown>> }> {
  const dbPath = path.join(dir.path, 'steward.db');
  store = openSqliteStore(dbPath);
  await importLoop(store, importedAt, [apiEntry({ ref: 'ledger-api', purpose: 'Keeps the ledger', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') }), apiEntry({ ref: 'orphan-api' })]);
  const { logger, records } = recordingLogger('debug');
  worker = new StoreWorker({ dbPath, policy, logger, ...(commandThreads === undefined ? {} : { commandThreads }) });
  return { store, worker, logs: records };
}

describe('StoreWorker', () => {
  test('when a chat command is run in the worker, then its answer is the one the chat surface gives', async () => {
    const { store, worker } = await started();

    const answer = await worker.chatCommand(typed('zed@acme.example', 'who ledger-api'), new Date(importedAt));

    expect(answer).toEqual(await runChatCommand({ store, clock: fixedClock(importedAt), policy }, typed('zed@acme.example', 'who ledger-api')));
    expect(answer).toMatchObject({ error: false, parts: [{ kind: 'preformatted', text: expect.stringMatching(/ledger-api[\s\S]*ana@acme\.example/) }] });
  });

  test('when a tick runs in the worker at a given time, then its decisions are written, and the main connection reads them', async () => {
    const { store, worker } = await started();

    const report = await worker.tick(new Date('2026-11-09T09:00:00.000Z'));

    expect(report).toMatchObject({ at: '2026-11-09T09:00:00.000Z', messages: 2 });
    expect(outbox(store).map((m) => m.kind).sort()).toEqual(['attestation_prompt', 'unowned_queue']);
    expect(await worker.tick(new Date('2026-11-09T09:00:00.000Z'))).toMatchObject({ messages: 0, decisions: 0 });
  });

  test('when an attest is typed, then the worker records it, and the main connection sees the attestation closed', async () => {
    const { store, worker } = await started();
    await worker.tick(new Date('2026-11-09T09:00:00.000Z'));

    const answer = await worker.chatCommand(typed('ana@acme.example', 'attest ledger-api'), new Date('2026-11-09T10:00:00.000Z'));

    expect(textOf(answer)).toMatch(/ledger-api: confirmed/);
    expect(openAttestations(store)).toEqual([]);
  });

  test('when jobs are sent together, then each gets its own answer, in order', async () => {
    const { worker } = await started();
    const answers = (await Promise.all(['who ledger-api', 'who orphan-api', 'unowned'].map((text) => worker.chatCommand(typed('zed@acme.example', text), new Date(importedAt))))).map(textOf);

    expect(answers[0]).toContain('ledger-api');
    expect(answers[1]).toContain('orphan-api');
    expect(answers[2]).toMatch(/Waiting for an owner/);
  });

  test('when the worker cannot open the database, then each job fails with that reason, never with an older thread’s exit', async () => {
    const { logger, records } = recordingLogger('debug');
    worker = new StoreWorker({ dbPath: dir.path, policy, logger });

    const first = await worker.tick(new Date(importedAt)).catch((error: Error) => error);
    const second = await worker.tick(new Date(importedAt)).catch((error: Error) => error);

    for (const failure of [first, second]) {
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toContain('cannot open the database');
    }
    expect(records.filter((r) => r.msg === 'the store worker failed; its jobs are failed and the next job starts a new one')).toHaveLength(2);
  });

  test('when the worker is closed, then a new job is refused with a plain error', async () => {
    const { worker } = await started();
    await worker.tick(new Date(importedAt));
    await worker.close();

    await expect(worker.tick(new Date(importedAt))).rejects.toThrow('the store worker is closed');
  });
});

describe('StoreWorker, when another connection holds the write lock past the busy timeout', () => {
  test('when a tick meets it, then the tick fails with SQLite\'s SQLITE_BUSY code across the thread, so the scheduler can tell a busy database from a bug', async () => {
    const { store, worker } = await started();
    const lock = holdWriteLock(store);
    try {
      await expect(worker.tick(new Date('2026-11-09T09:00:00.000Z'))).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      lock.release();
    }
  });
});

describe('StoreWorker, with chat commands on several threads', () => {
  /** Settles to what the promise gave, and says meanwhile whether it has. */
  function watched<T>(promise: Promise<T>): { readonly settled: () => boolean; readonly result: Promise<T> } {
    let settled = false;
    const result = promise.finally(() => {
      settled = true;
    });
    return { settled: () => settled, result };
  }

  test('when a command waits for the write lock, then a command sent after it is answered meanwhile on another thread, and the first is recorded once the lock is free', async () => {
    const { store, worker } = await started(2);
    await worker.tick(new Date('2026-11-09T09:00:00.000Z'));
    const lock = holdWriteLock(store);
    let attest: ReturnType<typeof watched<ChatReply>>;
    try {
      attest = watched(worker.chatCommand(typed('ana@acme.example', 'attest ledger-api'), new Date('2026-11-09T10:00:00.000Z')));
      const who = await worker.chatCommand(typed('zed@acme.example', 'who ledger-api'), new Date('2026-11-09T10:00:00.000Z'));

      expect(textOf(who)).toContain('ana@acme.example');
      expect(attest.settled()).toBe(false);
    } finally {
      lock.release();
    }
    expect(textOf(await attest.result)).toMatch(/ledger-api: confirmed/);
    expect(openAttestations(store)).toEqual([]);
  });

  test('when every thread is on a slow command, then the next command gets a thread of its own rather than waiting behind it', async () => {
    const { store, worker } = await started(1);
    await worker.tick(new Date('2026-11-09T09:00:00.000Z'));
    const lock = holdWriteLock(store);
    let attest: ReturnType<typeof watched<ChatReply>>;
    try {
      attest = watched(worker.chatCommand(typed('ana@acme.example', 'attest ledger-api'), new Date('2026-11-09T10:00:00.000Z')));
      const unowned = await worker.chatCommand(typed('zed@acme.example', 'unowned'), new Date('2026-11-09T10:00:00.000Z'));

      expect(textOf(unowned)).toMatch(/orphan-api/);
      expect(attest.settled()).toBe(false);
    } finally {
      lock.release();
    }
    expect(textOf(await attest.result)).toMatch(/ledger-api: confirmed/);
  });

  test('when two people claim the same unowned item at once, on two threads, then one becomes accountable and the other is told it is taken', async () => {
    const { store, worker } = await started(2);
    await worker.tick(new Date('2026-11-09T09:00:00.000Z'));
    const lock = holdWriteLock(store);
    let claims: Promise<ChatReply[]>;
    try {
      // Both wait for the write lock, then take turns through SQLite's single writer.
      claims = Promise.all(['ben', 'cy'].map((name) => worker!.chatCommand(typed(`${name}@acme.example`, 'claim orphan-api'), new Date('2026-11-09T10:00:00.000Z'))));
    } finally {
      lock.release();
    }
    const answers = (await claims).map(textOf);

    expect(answers.filter((text) => /orphan-api is yours now/.test(text))).toHaveLength(1);
    expect(answers.filter((text) => /orphan-api is not waiting for an owner \((ben|cy)@acme\.example is accountable\)/.test(text))).toHaveLength(1);
  });
});
