// The evidence export at scale: a million closed attestations made by bulk SQL, then `steward evidence` over periods
// holding 100,000, 500,000 and 1,000,000 of them, each export in a fresh process so its peak RSS is its own. Memory
// must stay flat as the period grows (records are read a page at a time and written as read).
// Alone: `npx tsx bench/evidence-bench.ts [--records N] [--out DIR]`; `npm run bench` runs it among the others.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultPolicy } from '../src/policy/policy.js';
import { policyText, policyVersion } from '../src/policy/policy-version.js';
import { openSqliteStore } from '../storage/sqlite-store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Attestations are 30 seconds apart from here: a million span 347 days, so a period's size is its length. */
const firstClosedAt = Date.parse('2026-01-01T00:00:00.000Z');
const spacingSeconds = 30;
const itemCount = 50_000;
const peopleCount = 1_000;

export interface EvidenceExportFigures {
  readonly records: number;
  readonly format: 'csv' | 'json';
  readonly seconds: number;
  /** The process's CPU time: what the export costs, whatever else the machine is running. */
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly megabytes: number;
}

export interface EvidenceBenchFigures {
  readonly buildSeconds: number;
  readonly exports: readonly EvidenceExportFigures[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A database with `records` closed attestations (attested by their item's accountable person, identities' facts
 * stored with each), over 50,000 identities owned by 1,000 people, one policy version with its text. Bulk SQL, as
 * the bench's other large inventories are made: the export is measured, not the making.
 */
export function buildEvidenceDatabase(dbFile: string, records: number): number {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${dbFile}${suffix}`, { force: true });
  const started = performance.now();
  const store = openSqliteStore(dbFile);
  const { db } = store;
  const at = iso(firstClosedAt - 86_400_000);
  const version = policyVersion(defaultPolicy);
  db.transaction(() => {
    db.prepare(`INSERT INTO imports (id, source, format, actor, at) VALUES (1, 'bench', 'bench', 'bench', ?)`).run(at);
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
       INSERT INTO people (id, email, display_name, source, last_import_id, first_seen_at, last_seen_at)
       SELECT i + 1, 'person' || i || '@bench.example', 'Person ' || i, 'bench', 1, ?, ? FROM n`,
    ).run(peopleCount, at, at);
    db.prepare(`INSERT INTO teams (id, slug, name, source, last_import_id, first_seen_at, last_seen_at) VALUES (1, 'platform', 'Platform', 'bench', 1, ?, ?)`).run(at, at);
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?)
       INSERT INTO items (id, kind, ref, name, purpose, identity_kind, provider, scopes, expires_at, status, owner_team_id, accountable_person_id,
                          owned_since, source, source_key, last_import_id, first_seen_at, last_seen_at)
       SELECT i + 1, 'identity', 'nhi-' || i, 'identity ' || i, 'Lets the billing job call the ledger API', 'service_account', 'aws',
              '["ledger:read","ledger:write"]', '2027-06-01T00:00:00.000Z', 'active', 1, (i % ?) + 1, ?, 'bench', 'nhi-' || i, 1, ?, ? FROM n`,
    ).run(itemCount, peopleCount, at, at, at);
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @records)
       INSERT INTO attestations (id, item_id, person_id, reason, opened_at, due_at, status, outcome, closed_at, answered_by, facts, policy_version)
       SELECT i + 1, (i % @items) + 1, ((i % @items) % @people) + 1, 'scheduled',
              strftime('%Y-%m-%dT%H:%M:%fZ', @first + i * @spacing - 86400, 'unixepoch'),
              strftime('%Y-%m-%dT%H:%M:%fZ', @first + i * @spacing + 6 * 86400, 'unixepoch'),
              'closed', 'attested', strftime('%Y-%m-%dT%H:%M:%fZ', @first + i * @spacing, 'unixepoch'), ((i % @items) % @people) + 1,
              '{"purpose":"Lets the billing job call the ledger API","scopes":["ledger:read","ledger:write"],"expiresAt":"2027-06-01T00:00:00.000Z","recoveryProcedure":"runbook://ledger/rotate","lastUsedAt":null,"linked":["serves api ledger-api"]}',
              @version
       FROM n`,
    ).run({ records, items: itemCount, people: peopleCount, first: firstClosedAt / 1000, spacing: spacingSeconds, version });
  })();
  void store.recordPolicyVersion(version, policyText(defaultPolicy), at);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return (performance.now() - started) / 1000;
}

function exportOnce(dbFile: string, records: number, format: 'csv' | 'json', outDir: string): EvidenceExportFigures {
  const from = iso(firstClosedAt);
  const to = iso(firstClosedAt + records * spacingSeconds * 1000);
  const out = path.join(outDir, `evidence-${records}.${format}`);
  const stdout = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench/evidence-child.ts'), dbFile, from, to, format, out], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const figures = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { code: number; seconds: number; cpuSeconds: number; maxRssMb: number; bytes: number };
  if (figures.code !== 0) throw new Error(`the evidence export of ${records} records failed with exit code ${figures.code}`);
  return { records, format, seconds: figures.seconds, cpuSeconds: figures.cpuSeconds, maxRssMb: figures.maxRssMb, megabytes: figures.bytes / 2 ** 20 };
}

/** Builds the database once, then exports each period in each format, each in a fresh process. */
export function timeEvidenceExports(outDir: string, records = 1_000_000): EvidenceBenchFigures {
  fs.mkdirSync(outDir, { recursive: true });
  const dbFile = path.join(outDir, 'evidence.db');
  const buildSeconds = buildEvidenceDatabase(dbFile, records);
  const periods = [records / 10, records / 2, records].map(Math.round);
  const exports = (['csv', 'json'] as const).flatMap((format) => periods.map((n) => exportOnce(dbFile, n, format, outDir)));
  return { buildSeconds, exports };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** The figures as docs/benchmarks.md shows them. */
export function evidenceSection(figures: EvidenceBenchFigures): string[] {
  const rss = figures.exports.map((e) => e.maxRssMb);
  const flat = Math.max(...rss) / Math.min(...rss);
  return [
    `Evidence: \`steward evidence --format csv|json --out FILE\` over periods holding 100,000, 500,000 and 1,000,000 closed attestations (50,000 identities, 1,000 owners; made by bulk SQL in ${fmt(figures.buildSeconds, 1)} s, \`bench/evidence-bench.ts\`), each export a whole process of its own (\`bench/evidence-child.ts\`).`,
    '',
    '| records | format | time | CPU | records/s (CPU) | file | peak RSS |',
    '|---|---|---|---|---|---|---|',
    ...figures.exports.map((e) => `| ${fmt(e.records)} | ${e.format} | ${fmt(e.seconds, 1)} s | ${fmt(e.cpuSeconds, 1)} s | ${fmt(e.records / e.cpuSeconds)} | ${fmt(e.megabytes)} MB | **${fmt(e.maxRssMb)} MB** |`),
    `| peak RSS, largest ÷ smallest | | | | | | **${fmt(flat, 2)}** (flat: ≤ 1.25 ${flat <= 1.25 ? '✓' : '✗'}) |`,
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { records: { type: 'string', default: '1000000' }, out: { type: 'string', default: path.join(root, 'bench/out/evidence') } } });
  const figures = timeEvidenceExports(values.out, Number(values.records));
  console.log(evidenceSection(figures).join('\n'));
}
