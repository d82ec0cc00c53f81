// The baseline the import is measured against: the same CSV rows, read with the same reader, inserted with
// one prepared better-sqlite3 statement in one transaction. Run as its own process, like the import.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { readCsvRecords } from '../adapters/sources/csv/read-csv-records.js';
import { openSqliteStore } from '../storage/sqlite-store.js';

const [mode, dbFile, ...files] = process.argv.slice(2);
if (!dbFile || (mode !== 'bare' && mode !== 'schema')) throw new Error('usage: raw-insert-child bare|schema <db> <csv…>');
for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });

const started = performance.now();
let rows = 0;
if (mode === 'bare') {
  // A table with one text column per CSV column and nothing else: the least SQLite can do with these rows.
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.transaction(() => {
    for (const file of files) {
      const table = path.basename(file, '.csv').replace(/\W/g, '_');
      let insert: Database.Statement | undefined;
      for (const record of readCsvRecords(file)) {
        if (!('fields' in record)) continue;
        if (!insert) {
          db.exec(`CREATE TABLE ${table} (${record.fields.map((c) => `"${c}" TEXT`).join(', ')})`);
          insert = db.prepare(`INSERT INTO ${table} VALUES (${record.fields.map(() => '?').join(', ')})`);
          continue;
        }
        insert.run(record.fields);
        rows += 1;
      }
    }
  })();
  db.close();
} else {
  // Steward's own items table, with its keys and indexes, filled by one plain INSERT per row: what the
  // database itself costs for these rows, before any checking, owner resolution, history or audit.
  const store = openSqliteStore(dbFile);
  const db = store.db;
  db.prepare("INSERT INTO imports (source, format, actor, at) VALUES ('raw', 'csv', 'bench', '2026-01-01T00:00:00.000Z')").run();
  const api = db.prepare(
    `INSERT INTO items (kind, ref, name, purpose, sensitivity, exposure, auth_method, revocation_path, lifecycle, source, source_key, last_import_id, first_seen_at, last_seen_at)
     VALUES ('api', ?, ?, ?, ?, ?, ?, ?, ?, 'raw:apis', ?, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
  );
  const identity = db.prepare(
    `INSERT INTO items (kind, ref, name, identity_kind, provider, purpose, scopes, created_at, expires_at, last_rotated_at, last_used_at, recovery_procedure, status,
       source, source_key, last_import_id, first_seen_at, last_seen_at)
     VALUES ('identity', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'raw:identities', ?, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`,
  );
  db.transaction(() => {
    for (const file of files) {
      let header = true;
      for (const record of readCsvRecords(file)) {
        if (!('fields' in record)) continue;
        if (header) {
          header = false;
          continue;
        }
        const f = record.fields;
        if (f.length === 12) api.run(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[0]);
        else identity.run(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[0]);
        rows += 1;
      }
    }
  })();
  await store.close();
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({ rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
