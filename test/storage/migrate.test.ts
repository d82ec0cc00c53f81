import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate, SchemaTooNewError } from '../../storage/migrate.js';
import { migrations } from '../../storage/migrations.js';
import { openSqliteStore, type SqliteStore } from '../../storage/sqlite-store.js';

let dir: string;
const opened: SqliteStore[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-migrate-'));
});
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(file = path.join(dir, 'steward.db')): SqliteStore {
  const store = openSqliteStore(file);
  opened.push(store);
  return store;
}

const versions = (db: Database.Database) => db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
const latest = migrations.at(-1)?.version ?? 0;

describe('migrations: the schema version', () => {
  it('when a fresh database is opened, then every migration is applied and its version recorded', () => {
    const store = open();
    expect(versions(store.db)).toEqual(migrations.map((m) => ({ version: m.version, name: m.name, applied_at: expect.any(String) })));
    expect(store.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'items'").get()).toEqual({ n: 1 });
  });

  it('when the database is opened again, then nothing is re-applied', async () => {
    const first = open();
    const before = versions(first.db);
    await first.close();
    const second = open();
    expect(versions(second.db)).toEqual(before);
  });

  it('when the database was made by a newer Steward, then opening it is refused with SchemaTooNewError', async () => {
    const file = path.join(dir, 'newer.db');
    const first = open(file);
    first.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(latest + 1, 'from the future', '2030-01-01T00:00:00Z');
    await first.close();
    let error: unknown;
    try {
      open(file);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error).toMatchObject({ found: latest + 1, known: latest });
    expect((error as Error).message).toMatch(/upgrade Steward/);
  });

  it('when a newer migration ships, then only it is applied to an existing database', () => {
    const db = new Database(':memory:');
    migrate(db, migrations, '2026-01-01T00:00:00.000Z');
    const next = { version: latest + 1, name: 'later', sql: 'CREATE TABLE later_things (id INTEGER PRIMARY KEY);' };
    expect(migrate(db, [...migrations, next], '2026-02-01T00:00:00.000Z')).toBe(latest + 1);
    expect(db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all()).toEqual([
      ...migrations.map((m) => ({ version: m.version, applied_at: '2026-01-01T00:00:00.000Z' })),
      { version: latest + 1, applied_at: '2026-02-01T00:00:00.000Z' },
    ]);
  });

  it('when a migration fails part-way, then none of it is kept and its version is not recorded', () => {
    const db = new Database(':memory:');
    migrate(db);
    const broken = { version: latest + 1, name: 'broken', sql: 'CREATE TABLE half_done (id INTEGER); CREATE TABLE items (id INTEGER);' };
    expect(() => migrate(db, [...migrations, broken])).toThrow(/already exists/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").all()).toEqual([]);
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: latest });
  });
});

describe('openSqliteStore: connection settings', () => {
  it('when a file database is opened, then it uses WAL and enforces foreign keys', () => {
    const store = open();
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => store.db.prepare("INSERT INTO team_members (team_id, person_id, source) VALUES (41, 42, 'x')").run()).toThrow(/FOREIGN KEY/);
  });

  it('when the folder for the database does not exist, then it is created', () => {
    const file = path.join(dir, 'data', 'nested', 'steward.db');
    open(file);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('when the store is closed twice, then the second close does nothing', async () => {
    const store = open();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});

describe('migration 5: chat accounts', () => {
  it('when a database kept Slack and Teams ids on people, then they become chat accounts with their DM channel, and the old columns are emptied', () => {
    const db = new Database(path.join(dir, 'steward.db'));
    migrate(db, migrations.filter((m) => m.version < 5));
    const seen = "'2026-11-02T09:00:00.000Z', '2026-11-02T09:00:00.000Z'";
    db.exec(`INSERT INTO people (email, slack_user_id, slack_dm_channel, first_seen_at, last_seen_at) VALUES ('ana@acme.example', 'U0ANA', 'D0ANA', ${seen})`);
    db.exec(`INSERT INTO people (email, slack_user_id, teams_user_id, first_seen_at, last_seen_at) VALUES ('ben@acme.example', 'U0BEN', 'aad-ben', ${seen})`);
    db.exec(`INSERT INTO people (email, first_seen_at, last_seen_at) VALUES ('cy@acme.example', ${seen})`);

    migrate(db);

    expect(db.prepare('SELECT p.email, a.platform, a.account_id, a.address FROM chat_accounts a JOIN people p ON p.id = a.person_id ORDER BY p.email, a.platform').all()).toEqual([
      { email: 'ana@acme.example', platform: 'slack', account_id: 'U0ANA', address: 'D0ANA' },
      { email: 'ben@acme.example', platform: 'slack', account_id: 'U0BEN', address: null },
      { email: 'ben@acme.example', platform: 'teams', account_id: 'aad-ben', address: null },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM people WHERE slack_user_id IS NOT NULL OR slack_dm_channel IS NOT NULL OR teams_user_id IS NOT NULL').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('migration 6: deliveries', () => {
  it('when a database kept delivery state on its outbox rows, then each delivered message becomes a sent delivery, its updates fold into it, and what was given up shows as stuck', async () => {
    const file = path.join(dir, 'steward.db');
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version < 6));
    const body = (text: string) => JSON.stringify({ kind: 'attestation_prompt', title: text, text, sections: [], actions: [] });
    const insert = db.prepare(
      `INSERT INTO outbox (id, created_at, dedupe_key, addressee, kind, body, status, attempts, next_attempt_at, last_error, platform, platform_message_id, platform_channel, sent_at, replaces_id)
       VALUES (@id, '2026-11-09T09:00:00.000Z', @key, '{"kind":"security_channel","channel":"#sec"}', 'unowned_queue', @body, @status, @attempts, '2026-11-09T09:00:00.000Z', @error, @platform, @ts, @channel, @sentAt, @replaces)`,
    );
    const row = { error: null, platform: null, ts: null, channel: null, sentAt: null, replaces: null, attempts: 1 };
    insert.run({ ...row, id: 1, key: 'sent', body: body('delivered'), status: 'sent', platform: 'slack', ts: '1.1', channel: 'C1', sentAt: '2026-11-09T09:01:00.000Z' });
    insert.run({ ...row, id: 2, key: 'updated', body: body('first'), status: 'sent', platform: 'slack', ts: '2.2', channel: 'C1', sentAt: '2026-11-09T09:01:00.000Z' });
    insert.run({ ...row, id: 3, key: 'update:2:1', body: body('resolved'), status: 'pending', attempts: 0, replaces: 2 });
    insert.run({ ...row, id: 4, key: 'failed', body: body('lost'), status: 'failed', attempts: 8, error: 'channel_not_found' });
    insert.run({ ...row, id: 5, key: 'waiting', body: body('waiting'), status: 'pending', attempts: 0 });
    db.close();

    const store = open(file);

    expect(store.db.prepare('SELECT message_id, platform, status, delivered_revision, platform_message_id FROM deliveries ORDER BY message_id').all()).toEqual([
      { message_id: 1, platform: 'slack', status: 'sent', delivered_revision: 1, platform_message_id: '1.1' },
      { message_id: 2, platform: 'slack', status: 'pending', delivered_revision: 1, platform_message_id: '2.2' },
    ]);
    expect(store.db.prepare("SELECT id, revision, json_extract(body, '$.title') AS title, routed_at IS NOT NULL AS routed FROM outbox ORDER BY id").all()).toEqual([
      { id: 1, revision: 1, title: 'delivered', routed: 1 },
      { id: 2, revision: 2, title: 'resolved', routed: 1 },
      { id: 4, revision: 1, title: 'lost', routed: 1 },
      { id: 5, revision: 1, title: 'waiting', routed: 0 },
    ]);
    expect((await store.claimDeliveries({ now: '2026-11-10T00:00:00.000Z', platform: 'slack', owner: 't', leaseMs: 1000, limit: 10 })).map((d) => [d.messageId, d.delivered])).toEqual([[2, { messageId: '2.2', channel: 'C1' }]]);
    expect(await store.stuckMessages('2026-11-09T08:00:00.000Z', 10)).toEqual([
      expect.objectContaining({ messageId: 4, reason: 'no_platform', error: 'given up before this version: channel_not_found' }),
    ]);
  });
});

describe('migration 7: search and list indexes', () => {
  it('when a database already holds items, then the trigram index is built from them, and unowned and team lists read the new indexes', async () => {
    const file = path.join(dir, 'steward.db');
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version < 7));
    const seen = "'2026-11-02T09:00:00.000Z', '2026-11-02T09:00:00.000Z'";
    db.exec(`INSERT INTO imports (id, source, format, actor, at) VALUES (1, 'csv', 'csv', 'test', '2026-11-02T09:00:00.000Z')`);
    db.exec(`INSERT INTO teams (id, slug, name, first_seen_at, last_seen_at) VALUES (1, 'payments', 'Payments', ${seen})`);
    db.exec(`INSERT INTO people (id, email, first_seen_at, last_seen_at) VALUES (1, 'ana@acme.example', ${seen})`);
    db.exec(`INSERT INTO items (kind, ref, name, owner_team_id, accountable_person_id, source, source_key, last_import_id, first_seen_at, last_seen_at) VALUES
      ('api', 'payments-api', 'Payments Gateway', 1, 1, 'csv', 'api:payments-api', 1, ${seen}),
      ('api', 'orphan-api', 'Orphan', NULL, NULL, 'csv', 'api:orphan-api', 1, ${seen})`);
    db.close();

    const store = open(file);

    expect(() => store.db.exec("INSERT INTO items_search (items_search, rank) VALUES ('integrity-check', 1)")).not.toThrow();
    expect((await store.searchItems({ text: 'gatew', match: 'substring', limit: 10 })).map((i) => i.ref)).toEqual(['payments-api']);
    expect((await store.listItems({ unowned: true, limit: 1 })).total).toBe(1);
    expect((await store.listItems({ team: 'payments', limit: 1 })).total).toBe(1);
    const indexes = store.db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('items_without_owner', 'items_owner_team', 'items_unowned_by_ref', 'items_team_by_ref', 'people_left') ORDER BY name").pluck().all();
    expect(indexes).toEqual(['items_team_by_ref', 'items_unowned_by_ref', 'people_left']);
  });
});

describe('migrations 8 and 9: unchanged items on re-import, item checks without temporary indexes', () => {
  const seen = "'2026-11-02T09:00:00.000Z', '2026-11-02T09:00:00.000Z'";
  function databaseAt(version: number): string {
    const file = path.join(dir, 'steward.db');
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version <= version));
    db.exec(`INSERT INTO imports (id, source, format, actor, at) VALUES (1, 'csv', 'csv', 'test', '2026-11-02T09:00:00.000Z')`);
    db.exec(`INSERT INTO items (kind, ref, name, identity_kind, provider, status, sensitivity, source, source_key, last_import_id, first_seen_at, last_seen_at) VALUES
      ('identity', 'ci-key', 'CI key', 'api_key', 'aws', 'active', 'internal', 'csv', 'ci-key', 1, ${seen})`);
    db.exec(`INSERT INTO item_links (item_id, relation, to_kind, to_ref) VALUES (1, 'serves', 'api', 'payments-api')`);
    db.close();
    return file;
  }

  it('when a database already holds items, then they keep every value, gain no fingerprint, and the file checks clean', () => {
    const store = open(databaseAt(7));
    expect(store.db.prepare('SELECT ref, sensitivity, status, import_fingerprint FROM items').all()).toEqual([{ ref: 'ci-key', sensitivity: 'internal', status: 'active', import_fingerprint: null }]);
    expect(store.db.prepare('SELECT relation FROM item_links').pluck().all()).toEqual(['serves']);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it.each([
    ['sensitivity', "UPDATE items SET sensitivity = 'secret'"],
    ['exposure', "UPDATE items SET exposure = 'everyone'"],
    ['lifecycle', "UPDATE items SET lifecycle = 'retired'"],
    ['identity_kind', "UPDATE items SET identity_kind = 'password'"],
    ['status', "UPDATE items SET status = 'Active'"],
    ['relation', "UPDATE item_links SET relation = 'owns'"],
  ])('when %s is set to a value outside its list, then the CHECK still refuses it', (_column, sql) => {
    const store = open(databaseAt(8));
    expect(() => store.db.exec(sql)).toThrow(/CHECK constraint failed/);
  });

  it('when the checks are rewritten, then items and links hold no IN list of three or more values, and a NULL still passes', () => {
    const store = open(databaseAt(8));
    const tables = store.db.prepare<[], string>("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name IN ('items', 'item_links')").pluck().all();
    expect(tables.join('\n')).not.toMatch(/IN \('[^)]*,[^)]*,/);
    expect(() => store.db.exec('UPDATE items SET sensitivity = NULL, exposure = NULL, lifecycle = NULL')).not.toThrow();
  });
});

describe('migration 10: channel bindings and platform homes', () => {
  const seen = "'2026-11-02T09:00:00.000Z', '2026-11-02T09:00:00.000Z'";
  const queuedAt = '2026-11-09T09:00:00.000Z';

  /** A database at version 9 with a team, its lead, and two messages: one not routed yet, one routed nowhere. */
  function databaseAt9(): string {
    const file = path.join(dir, 'steward.db');
    const db = new Database(file);
    migrate(db, migrations.filter((m) => m.version <= 9));
    db.exec(`INSERT INTO people (id, email, first_seen_at, last_seen_at) VALUES (1, 'lena@acme.example', ${seen})`);
    db.exec(`INSERT INTO teams (id, slug, name, lead_person_id, first_seen_at, last_seen_at) VALUES (1, 'payments', 'Payments', 1, ${seen})`);
    const insert = db.prepare<[number, string, string | null, string | null]>(
      `INSERT INTO outbox (id, created_at, dedupe_key, addressee, kind, body, status, next_attempt_at, routed_at, route_problem)
       VALUES (?, '${queuedAt}', ?, '{"kind":"team_channel","teamId":1,"team":"payments","channel":null}', 'team_queue', '{}', 'pending', '${queuedAt}', ?, ?)`,
    );
    insert.run(1, 'waiting', null, null);
    insert.run(2, 'nowhere', queuedAt, "team payments's channel: the inventory names no channel for the team");
    db.close();
    return file;
  }

  it('when a database holds messages, then one not routed yet is routed as before, and one routed nowhere stays as it was', async () => {
    const store = open(databaseAt9());
    const offered: number[] = [];
    const at = '2026-11-09T10:00:00.000Z';
    expect(await store.routeMessages({ now: at, platforms: [], limit: 10, route: (m) => (offered.push(m.messageId), { platforms: ['slack'] }) })).toEqual({ routed: 1, unroutable: 0 });
    expect(offered).toEqual([1]);
    expect(await store.stuckMessages(at, 10)).toEqual([expect.objectContaining({ messageId: 2, reason: 'no_platform' })]);
    expect(store.db.prepare('SELECT id, route_after FROM outbox ORDER BY id').all()).toEqual([
      { id: 1, route_after: null },
      { id: 2, route_after: null },
    ]);
  });

  it('when a binding is written, then its target must name its team, and each target has one channel per platform', () => {
    const store = open(databaseAt9());
    const bind = store.db.prepare<[string, number | null]>(`INSERT INTO channel_bindings (target, platform, team_id, address, bound_by, bound_at) VALUES (?, 'teams', ?, 'conv', 1, '${queuedAt}')`);
    expect(() => bind.run('team:1', 1)).not.toThrow();
    expect(() => bind.run('security', null)).not.toThrow();
    expect(() => bind.run('team:2', 1)).toThrow(/CHECK constraint failed/);
    expect(() => bind.run('security', 1)).toThrow(/CHECK constraint failed/);
    expect(() => bind.run('team:1', 1)).toThrow(/UNIQUE constraint failed/);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('when messages are routed, then new ones are read from an index that leaves the waiting ones out', () => {
    const store = open(databaseAt9());
    const plan = store.db
      .prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE routed_at IS NULL AND route_after IS NULL AND created_at <= '2027' ORDER BY id LIMIT 10")
      .all()
      .map((row) => row.detail);
    expect(plan.join('\n')).toMatch(/USING INDEX outbox_unrouted/);
    const waiting = store.db
      .prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE routed_at IS NULL AND route_after <= '2027' ORDER BY route_after, id LIMIT 10")
      .all()
      .map((row) => row.detail);
    expect(waiting.join('\n')).toMatch(/USING INDEX outbox_route_waiting/);
  });
});

describe('migration 11: a person\'s due items by index', () => {
  it('when the tick asks for a person\'s due items, then it seeks them by person and due time, not every item of theirs', () => {
    const store = openSqliteStore(':memory:');
    const plan = store.db
      .prepare<[], { detail: string }>(
        "EXPLAIN QUERY PLAN SELECT id FROM items i WHERE i.accountable_person_id = 7 AND i.next_check_at <= '2027-01-01' ORDER BY i.next_check_at, i.id LIMIT 100",
      )
      .all()
      .map((row) => row.detail)
      .join('\n');

    expect(plan).toMatch(/USING (COVERING )?INDEX items_accountable_due \(accountable_person_id=\? AND next_check_at<\?\)/);
  });
});
