import { Writable } from 'node:stream';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, evidenceCsvColumns, writeEvidenceCsv } from '../../../adapters/evidence/evidence-csv.js';
import { writeEvidenceJson } from '../../../adapters/evidence/evidence-json.js';
import type { EvidenceWriter } from '../../../adapters/evidence/evidence-writer.js';
import { streamSink } from '../../../adapters/evidence/text-sink.js';
import { evidenceReport } from '../../../src/evidence/evidence-report.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { evidenceScenario, recordsOf } from '../../support/evidence-scenario.js';
import { memoryStore } from '../../support/import-into-memory.js';

const year = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
const generatedAt = '2027-01-02T08:00:00.000Z';

/** A destination that keeps what it is given. */
function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk.toString('utf8')), done()) });
  return { stream, text: () => chunks.join('') };
}

async function exported(store: SqliteStore, writer: EvidenceWriter, period = year): Promise<{ text: string; count: number }> {
  const out = collector();
  const count = await writer(await evidenceReport(store, fixedClock(generatedAt), period), streamSink(out.stream));
  return { text: out.text(), count };
}

/** A reader's side of the formula guard: one leading apostrophe off any cell that has one. */
const unguard = (cell: string) => (cell.startsWith("'") ? cell.slice(1) : cell);

describe('CSV', () => {
  it('when read back with a CSV parser, then every row is its record, column by column', async () => {
    const store = await evidenceScenario();
    const { text, count } = await exported(store, writeEvidenceCsv);
    const records = await recordsOf(store, year);
    expect(count).toBe(records.length);
    expect(text.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(evidenceCsvColumns.map(([name]) => name));
    expect(rows.map((row) => row.map(unguard))).toEqual(records.map((r) => evidenceCsvColumns.map(([, cell]) => cell(r) ?? '')));
    // The JSON columns parse back to the record's own values.
    expect(rows.map((row) => JSON.parse(row[header?.indexOf('facts') ?? -1] ?? '') as unknown)).toEqual(records.map((r) => r.facts));
  });

  it('a note with quotes, commas or a line break stays in its cell; one that a spreadsheet would run as a formula is text', async () => {
    const store = await evidenceScenario();
    const { text } = await exported(store, writeEvidenceCsv);
    expect(text).toContain('"rotated last week, ""see ticket"", thanks"');
    expect(text).toContain('"replaced by\npayments-v2"');
    // lena's reason was "=risk accepted".
    expect(text).toContain(",'=risk accepted,");
    expect(text).not.toMatch(/,=risk/);
  });

  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ["'quoted", "''quoted"],
    ['plain, text', '"plain, text"'],
    ['ana@acme.example', 'ana@acme.example'],
    ['', ''],
  ])('the cell %j is written %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('an empty period is the header alone', async () => {
    const { text, count } = await exported(memoryStore(), writeEvidenceCsv);
    expect(count).toBe(0);
    expect(text).toBe(`${evidenceCsvColumns.map(([name]) => name).join(',')}\r\n`);
  });
});

describe('JSON', () => {
  it('is one object: the period, when it was made, the controls, the policies in force with their texts, the summary and the records', async () => {
    const store = await evidenceScenario();
    const { text, count } = await exported(store, writeEvidenceJson);
    const report = await evidenceReport(store, fixedClock(generatedAt), year);
    const json = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['period', 'generatedAt', 'controls', 'policies', 'summary', 'records']);
    expect(json).toEqual({
      period: year,
      generatedAt,
      controls: report.controls,
      policies: report.policies,
      summary: report.summary,
      records: JSON.parse(JSON.stringify(await recordsOf(store, year))) as unknown,
    });
    expect(count).toBe(11);
    expect(Object.values(json.policies as Record<string, string>).every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
  });

  it('an empty period is valid JSON with no records', async () => {
    const { text } = await exported(memoryStore(), writeEvidenceJson);
    expect(JSON.parse(text)).toMatchObject({ records: [], policies: {}, summary: { records: 0 } });
  });
});

describe('writing at the pace of the destination', () => {
  it('when the destination is slow, then the sink waits for it to drain, so no more than a chunk waits in memory', async () => {
    let most = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write: (_chunk, _encoding, done) => setImmediate(done),
    });
    const sink = streamSink(slow, 1024);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 2_000; i += 1) {
      await sink.write(line);
      most = Math.max(most, slow.writableLength);
    }
    await sink.flush();
    // 200,000 characters went through; a sink that ignored 'drain' would have queued them all.
    expect(most).toBeLessThanOrEqual(2 * 1024 + line.length);
  });
});
