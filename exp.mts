import fs from 'node:fs';
import { openSqliteStore } from './storage/sqlite-store.ts';
import { readCsvRecords } from './adapters/sources/csv/read-csv-records.ts';
const rows: string[][] = [];
for (const r of readCsvRecords('/tmp/b2/identities.csv')) if ('fields' in r) rows.push(r.fields as string[]);
rows.shift();
const factColumns = ['ref','name','purpose','sensitivity','exposure','auth_method','revocation_path','lifecycle','system','code_path','identity_kind','provider','scopes','created_at','expires_at','last_rotated_at','last_used_at','last_used_service','recovery_procedure','status'];
function fresh() { for (const f of ['/tmp/x.db','/tmp/x.db-wal','/tmp/x.db-shm']) fs.rmSync(f, { force: true }); const s = openSqliteStore('/tmp/x.db'); s.db.prepare("INSERT INTO imports (source, format, actor, at) VALUES ('a','b','c','d')").run(); return s; }
{
  const s = fresh(); const db = s.db;
  const ins = db.prepare(`INSERT INTO items (kind, ref, name, identity_kind, provider, purpose, scopes, created_at, expires_at, last_rotated_at, last_used_at, recovery_procedure, status, source, source_key, last_import_id, first_seen_at, last_seen_at) VALUES ('identity', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'raw:identities', ?, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
  const t = performance.now();
  db.transaction(() => { for (const f of rows) ins.run(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[0]); })();
  console.log('raw-style', ((performance.now() - t) / rows.length * 1000).toFixed(1)); s.db.close();
}
{
  const s = fresh(); const db = s.db;
  const ins = db.prepare(`INSERT INTO items (kind, ${factColumns.join(', ')}, owner_team_id, accountable_person_id, backup_person_id, approver_person_id, owned_since, source, source_key, last_import_id, first_seen_at, last_seen_at) VALUES (?, ${factColumns.map(() => '?').join(', ')}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`);
  const at = '2026-11-28T04:00:00.000Z';
  const t = performance.now();
  db.transaction(() => { for (const f of rows) { const facts = [f[0], f[1], f[4], null, null, null, null, null, null, null, f[2], f[3], JSON.stringify(f[5]!.split(' ')), f[6], f[7], f[8], f[9], null, f[10], f[11]]; ins.run('identity', ...facts, null, null, null, null, null, 'csv:/tmp/b2/identities.csv', f[0], 1, at, at); } })();
  console.log('ours, no owners', ((performance.now() - t) / rows.length * 1000).toFixed(1)); s.db.close();
}
