import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../../storage/sqlite-store.js';
import { evidenceScenario } from '../../support/evidence-scenario.js';
import { removeTempDirs, runSteward, tempDir } from '../../support/run-steward.js';

afterAll(removeTempDirs);

/*
 * `steward evidence` with the real binary (built by `npm run build`), against a database the scenario filled: CSV on
 * standard output, JSON into a file that appears whole, and refusals of an --out that cannot take it (exit 2).
 */

let dir = '';
let db = '';
beforeAll(async () => {
  dir = tempDir();
  db = path.join(dir, 'steward.db');
  const store = await evidenceScenario(openSqliteStore(db));
  await store.close();
});

describe('steward evidence', () => {
  test('when no --out is given, then the CSV goes to standard output, a row per record of the period', async () => {
    const result = await runSteward(['evidence', '--from', '2026-11-01', '--to', '2026-11-30', '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(result.stdout, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => `${r.id} ${r.controls}`)).toEqual([
      'approval:1 GV.RR-02 NHI5',
      'approval:2 GV.RR-01 GV.RR-02',
      'approval:3 GV.RR-02 NHI7',
      'attestation:1 GV.RR-02 ID.AM-02 NHI5 NHI7',
      'attestation:2 GV.RR-02 ID.AM-08 NHI1',
      'approval:5 GV.RR-02',
      'claim:1 GV.RR-02',
    ]);
  });

  test('when --format json --out names a new file, then the file holds the whole export and the command says how many records', async () => {
    const out = path.join(dir, 'exports', 'evidence-2026.json');
    fs.mkdirSync(path.dirname(out));
    const result = await runSteward(['evidence', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json', '--out', out, '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Wrote 11 records (from 2026-01-01T00:00:00.000Z up to 2027-01-01T00:00:00.000Z, UTC) to ${out}.\n`);
    const json = JSON.parse(fs.readFileSync(out, 'utf8')) as { records: unknown[]; policies: Record<string, string> };
    expect(json.records).toHaveLength(11);
    expect(Object.keys(json.policies)).toHaveLength(1);
    expect(fs.readdirSync(path.dirname(out))).toEqual(['evidence-2026.json']);

    const again = await runSteward(['evidence', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'json', '--out', out, '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists already; an export never replaces a file/);
  });

  test('when --out names a folder that does not exist, then it exits 2 naming the folder, and writes nothing', async () => {
    const missing = path.join(dir, 'no-such-folder');
    const result = await runSteward(['evidence', '--from', '2026-01-01', '--to', '2026-12-31', '--out', path.join(missing, 'e.csv'), '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`steward: --out: the folder ${missing} does not exist; create it first or name a file in another folder. Nothing was written.\n`);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(missing)).toBe(false);
  });

  test('when --format html --out names a new file, then it is one HTML page, with the audit trail\'s head as it was', async () => {
    const out = path.join(dir, 'evidence-2026.html');
    const result = await runSteward(['evidence', '--from', '2026-01-01', '--to', '2026-12-31', '--format', 'html', '--out', out, '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const head = /Head: (\d+:[0-9a-f]{64})/.exec((await runSteward(['audit', 'verify', '--db', db])).stdout)?.[1] ?? 'no head';
    expect(html).toContain(head.split(':')[1]);
  });

  test('when the period holds nothing, then the CSV is its header alone', async () => {
    const result = await runSteward(['evidence', '--from', '2025-01-01', '--to', '2025-12-31', '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\r\n')).toEqual([expect.stringMatching(/^type,id,at,controls,/), '']);
  });
});
