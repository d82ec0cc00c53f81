import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import type { SqliteStore } from '../../storage/sqlite-store.js';
import { dumpTables } from './support/dump-tables.js';
import { apiEntry } from '../support/entries.js';
import { memoryStore } from '../support/import-into-memory.js';
import { importLoop, loopPolicy, ownedBy, plusDays, summarise, tick } from '../support/loop.js';
import { attestations, auditEvents, itemOf, lastAuditId, openQueue, outboxAt } from './support/loop-state.js';

const importedAt = '2026-11-02T09:00:00.000Z';
const askedAt = plusDays(importedAt, 7);
const leftAt = plusDays(askedAt, 1);
const policy = loopPolicy();

function personId(store: SqliteStore, name: string): number {
  const row = store.db.prepare<[string], { id: number }>('SELECT id FROM people WHERE email = ?').get(`${name}@acme.example`);
  if (!row) throw new Error(`no person ${name}`);
  return row.id;
}

/** Every person's chat accounts, by email: what the chat_accounts table holds. */
function chatAccounts(store: SqliteStore) {
  return store.db
    .prepare<[], { email: string; platform: string; account_id: string; address: string | null }>(
      'SELECT p.email, a.platform, a.account_id, a.address FROM chat_accounts a JOIN people p ON p.id = a.person_id ORDER BY p.email, a.platform',
    )
    .all();
}

async function directory(items = [apiEntry({ ref: 'checkout-api', sensitivity: 'restricted', owner: ownedBy('payments', 'ana', 'ben') })]): Promise<SqliteStore> {
  const store = memoryStore();
  await importLoop(store, importedAt, items);
  return store;
}

describe('chatPerson', () => {
  it('when the person is known, then their email, whether they are active, and their Slack account (none yet) are returned', async () => {
    const store = await directory();
    expect(await store.chatPerson(personId(store, 'ana'))).toEqual({ personId: personId(store, 'ana'), email: 'ana@acme.example', active: true, accounts: [] });
  });

  it('when there is no such person, then it is null', async () => {
    const store = await directory();
    expect(await store.chatPerson(99_999)).toBeNull();
  });
});

describe('linkChatAccount: one chat account is one person, and one person has one account per platform', () => {
  it('when a person is linked, then their Slack id and DM channel are kept, and the Slack id names them as an actor', async () => {
    const store = await directory();
    await store.linkChatAccount(personId(store, 'ana'), { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    expect(await store.chatPerson(personId(store, 'ana'))).toMatchObject({ accounts: [{ platform: 'slack', accountId: 'U0ANA', address: 'D0ANA' }] });
    expect((await store.myItems({ platform: 'slack', accountId: 'U0ANA' }))?.person.email).toBe('ana@acme.example');
  });

  it('when the Slack id is found before the DM is opened, then the channel follows later, and relinking without one keeps it', async () => {
    const store = await directory();
    const ana = personId(store, 'ana');
    await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0ANA' }, null);
    expect(await store.chatPerson(ana)).toMatchObject({ accounts: [{ platform: 'slack', accountId: 'U0ANA', address: null }] });
    await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0ANA' }, null);
    expect(await store.chatPerson(ana)).toMatchObject({ accounts: [{ platform: 'slack', accountId: 'U0ANA', address: 'D0ANA' }] });
  });

  it('when a person gets another Slack account, then the old account’s DM channel goes with it', async () => {
    const store = await directory();
    const ana = personId(store, 'ana');
    await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0ANA2' }, null);
    expect(await store.chatPerson(ana)).toMatchObject({ accounts: [{ platform: 'slack', accountId: 'U0ANA2', address: null }] });
  });

  it('when a Slack id held by one person is linked to another, then the first lets go of it (and of its DM channel)', async () => {
    const store = await directory();
    await store.linkChatAccount(personId(store, 'ana'), { platform: 'slack', accountId: 'U0SHARED' }, 'D0ANA');
    await store.linkChatAccount(personId(store, 'ben'), { platform: 'slack', accountId: 'U0SHARED' }, 'D0BEN');
    expect(chatAccounts(store)).toEqual([{ email: 'ben@acme.example', platform: 'slack', account_id: 'U0SHARED', address: 'D0BEN' }]);
    expect((await store.myItems({ platform: 'slack', accountId: 'U0SHARED' }))?.person.email).toBe('ben@acme.example');
  });

  it('when the person does not exist, then it fails with NotFoundError and changes nothing', async () => {
    const store = await directory();
    await store.linkChatAccount(personId(store, 'ana'), { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    const before = dumpTables(store);
    await expect(store.linkChatAccount(99_999, { platform: 'slack', accountId: 'U0ANA' }, 'D0X')).rejects.toBeInstanceOf(NotFoundError);
    expect(dumpTables(store)).toEqual(before);
  });
});

describe('markPersonLeft: a deleted Slack account starts the leaver flow', () => {
  it('when the Slack account of a known person is deleted, then they are inactive and the audit trail says why', async () => {
    const store = await directory();
    await store.linkChatAccount(personId(store, 'ana'), { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    const before = lastAuditId(store);
    expect(await store.markPersonLeft({ platform: 'slack', accountId: 'U0ANA' }, leftAt, 'their Slack account was deactivated')).toEqual({ personId: personId(store, 'ana'), email: 'ana@acme.example' });
    expect(await store.chatPerson(personId(store, 'ana'))).toMatchObject({ active: false, accounts: [expect.objectContaining({ platform: 'slack', accountId: 'U0ANA' })] });
    expect(auditEvents(store, { after: before })).toEqual([
      { id: expect.any(Number), at: leftAt, actor: 'slack', action: 'person.deactivated', subject: 'ana@acme.example', details: { reason: 'their Slack account was deactivated', account: { platform: 'slack', accountId: 'U0ANA' } } },
    ]);
    expect((await store.verifyAuditChain()).ok).toBe(true);
  });

  it('when the next tick runs, then the leaver’s items go to their backup, who is asked, and the person is handled once', async () => {
    const store = await directory();
    await tick(store, policy, askedAt);
    await store.linkChatAccount(personId(store, 'ana'), { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    await store.markPersonLeft({ platform: 'slack', accountId: 'U0ANA' }, leftAt, 'their Slack account was deactivated');
    await tick(store, policy, leftAt);
    expect(itemOf(store, 'checkout-api')).toMatchObject({ accountable: 'ben@acme.example', backup: null });
    expect(attestations(store).map((a) => [a.person, a.reason, a.status, a.outcome])).toEqual([
      ['ana@acme.example', 'scheduled', 'closed', 'superseded'],
      ['ben@acme.example', 'owner_left', 'open', null],
    ]);
    expect(summarise(outboxAt(store, leftAt))).toEqual(['attestation_prompt → ben@acme.example: checkout-api']);
    await tick(store, policy, plusDays(leftAt, 1));
    expect(auditEvents(store, { action: 'person.left' })).toEqual([expect.objectContaining({ at: leftAt, subject: 'ana@acme.example', details: { items: 1 } })]);
  });

  it('when a leaver with no backup is found by email, then the next tick queues their item for the security channel', async () => {
    const store = await directory([apiEntry({ ref: 'fx-api', owner: ownedBy('payments', 'ana') })]);
    expect(await store.markPersonLeft({ email: 'Ana@Acme.example' }, leftAt, 'their Slack account was deactivated')).toMatchObject({ email: 'ana@acme.example' });
    await tick(store, policy, leftAt);
    expect(openQueue(store)).toEqual([expect.objectContaining({ ref: 'fx-api', queue: 'security', reason: 'owner_left', detail: 'ana@acme.example' })]);
  });

  it('when the same departure is reported again, then nothing more is written', async () => {
    const store = await directory();
    await store.markPersonLeft({ email: 'ana@acme.example' }, leftAt, 'their Slack account was deactivated');
    await tick(store, policy, leftAt);
    const before = dumpTables(store);
    expect(await store.markPersonLeft({ email: 'ana@acme.example' }, plusDays(leftAt, 1), 'their Slack account was deactivated')).toMatchObject({ email: 'ana@acme.example' });
    expect(dumpTables(store)).toEqual(before);
  });

  it('when the account is nobody Steward knows, then it is null and nothing is written', async () => {
    const store = await directory();
    const before = dumpTables(store);
    expect(await store.markPersonLeft({ platform: 'slack', accountId: 'U0STRANGER' }, leftAt, 'their Slack account was deactivated')).toBeNull();
    expect(await store.markPersonLeft({ platform: 'teams', accountId: 'aad-0' }, leftAt, 'their Teams account was deleted')).toBeNull();
    expect(dumpTables(store)).toEqual(before);
  });
});

describe('chatPersonBy: the person a chat account or an email names', () => {
  it('when asked by email (any case) or by a linked Slack id, then the same person is found; by an unknown key, nobody', async () => {
    const store = await directory();
    await store.linkChatAccount(personId(store, 'ana'), { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');

    const byEmail = await store.chatPersonBy({ email: 'Ana@Acme.example' });
    const bySlack = await store.chatPersonBy({ platform: 'slack', accountId: 'U0ANA' });

    expect(byEmail).toEqual({ personId: personId(store, 'ana'), email: 'ana@acme.example', active: true, accounts: [{ platform: 'slack', accountId: 'U0ANA', address: 'D0ANA' }] });
    expect(bySlack).toEqual(byEmail);
    expect(await store.chatPersonBy({ platform: 'slack', accountId: 'U0NOBODY' })).toBeNull();
    expect(await store.chatPersonBy({ email: 'nobody@acme.example' })).toBeNull();
  });
});

describe('linkChatAccount, on several platforms', () => {
  it('when a person has a Slack and a Teams account, then both are kept, each with its own address, and each names them', async () => {
    const store = await directory();
    const ana = personId(store, 'ana');

    await store.linkChatAccount(ana, { platform: 'slack', accountId: 'U0ANA' }, 'D0ANA');
    await store.linkChatAccount(ana, { platform: 'teams', accountId: 'aad-ana' }, '{"conversation":"a:1"}');

    expect((await store.chatPerson(ana))?.accounts).toEqual([
      { platform: 'slack', accountId: 'U0ANA', address: 'D0ANA' },
      { platform: 'teams', accountId: 'aad-ana', address: '{"conversation":"a:1"}' },
    ]);
    expect((await store.chatPersonBy({ platform: 'teams', accountId: 'aad-ana' }))?.personId).toBe(ana);
    expect(await store.chatPersonBy({ platform: 'teams', accountId: 'U0ANA' })).toBeNull();
  });
});
