import { describe, expect, it } from 'vitest';
import { periodTerms, rowsPerTable, writeEvidenceHtml } from '../../../adapters/evidence/evidence-html.js';
import { recordRow } from '../../../adapters/evidence/html-record-row.js';
import { isByAccountable, isOnTime } from '../../../adapters/evidence/html-summary.js';
import type { TextSink } from '../../../adapters/evidence/text-sink.js';
import { evidenceControls } from '../../../src/evidence/evidence-controls.js';
import type { EvidenceRecord } from '../../../src/evidence/evidence-record.js';
import type { EvidenceReport } from '../../../src/evidence/evidence-report.js';

/** A record as the export reads it; the HTML writer decides nothing about it. */
function record(id: number, over: Partial<EvidenceRecord> = {}): EvidenceRecord {
  return {
    type: 'attestation',
    id: `attestation:${id}`,
    at: '2026-03-04T09:15:00.000Z',
    item: { kind: 'identity', ref: 'ci-deployer', name: 'ci-deployer' },
    owner: { team: 'payments', accountable: 'ana@acme.example' },
    by: 'ana@acme.example',
    onBehalfOf: null,
    outcome: 'attested',
    kind: null,
    facts: { purpose: 'deploys', scopes: ['read', 'write'], expiresAt: '2026-12-01T00:00:00.000Z' },
    requestedBy: null,
    openedAt: '2026-03-01T09:00:00.000Z',
    dueAt: '2026-03-08T09:00:00.000Z',
    reason: null,
    policyVersion: '031ed6fedc57',
    votes: [],
    controls: ['GV.RR-02', 'ID.AM-02'],
    ...over,
  };
}

/** A year's report of `total` attested records (each evidencing GV.RR-02 and ID.AM-02), read from `records`. */
function attestedReport(total: number, records: EvidenceReport['records']): EvidenceReport {
  return {
    period: { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
    generatedAt: '2027-01-02T08:00:00.000Z',
    controls: evidenceControls,
    policies: { '031ed6fedc57': '{}' },
    summary: {
      records: total,
      byType: { attestation: total, approval: 0, exception: 0, transfer: 0, claim: 0 },
      outcomes: [{ type: 'attestation', outcome: 'attested', count: total }],
      byControl: { 'GV.RR-01': 0, 'GV.RR-02': total, 'ID.AM-02': total, 'ID.AM-08': 0, NHI1: 0, NHI2: 0, NHI5: 0, NHI7: 0 },
      withoutControl: 0,
      policyVersions: ['031ed6fedc57'],
    },
    records,
  };
}

describe('writeEvidenceHtml', () => {
  it('when a control has more records than a browser can list, then its table lists the first ones, says so, and every record is still counted', async () => {
    const total = rowsPerTable + 7;
    const report = attestedReport(total, async function* () {
      for (let i = 1; i <= total; i += 1) yield record(i);
    });
    let html = '';
    const sink: TextSink = { write: async (text) => void (html += text), flush: async () => {} };
    expect(await writeEvidenceHtml(report, sink)).toBe(total);
    const rows = (control: string) => {
      const section = html.slice(html.indexOf(`<h2 id="heading-${control}`), html.indexOf('</section>', html.indexOf(`<h2 id="heading-${control}`)));
      return [...section.matchAll(/<span class="sub">attestation:\d+<\/span>/g)].length;
    };
    expect(rows('GV.RR-02')).toBe(rowsPerTable);
    expect(html).toContain(`The first 10,000 of these 10,007 records are listed here`);
  });

  it('when the tables are written, then each row goes to the sink before the next record is read', async () => {
    const records = Array.from({ length: 50 }, (_, i) => record(i + 1));
    const events: string[] = [];
    const report = attestedReport(50, async function* () {
      for (const r of records) {
        events.push(`read ${r.id}`);
        yield r;
      }
    });
    const sink: TextSink = {
      write: async (text) => {
        for (const match of text.matchAll(/<span class="sub">(attestation:\d+)<\/span>/g)) events.push(`wrote ${match[1]}`);
        if (text.includes('Summary by control')) events.push('wrote summary');
      },
      flush: async () => {},
    };

    const count = await writeEvidenceHtml(report, sink);

    expect(count).toBe(50);
    // The figures are counted in a first walk; then the summary is written before any table's record is read.
    const summaryAt = events.indexOf('wrote summary');
    expect(events.slice(0, summaryAt).every((e) => e.startsWith('read'))).toBe(true);
    const tables = events.slice(summaryAt + 1);
    // Two controls with records: two walks, each row written before the next record is read.
    expect(tables).toEqual([0, 1].flatMap(() => records.flatMap((r) => [`read ${r.id}`, `wrote ${r.id}`])));
  });
});

describe('recordRow', () => {
  it('when a note, a name or a fact holds markup, then it is escaped, and facts read as words and dates', () => {
    const row = recordRow(
      record(1, {
        item: { kind: 'api', ref: 'legacy', name: '<img src=x onerror=alert(1)>' },
        reason: '<script>alert("x")</script>',
        facts: { recoveryProcedure: '<b>page</b> on-call', expiresAt: '2026-12-01T00:00:00.000Z', lastUsedAt: '2026-11-02T10:30:00.000Z' },
      }),
    );
    expect(row).not.toMatch(/<(script|img)[ >]|<b>page/);
    expect(row).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(row).toContain('&lt;img src=x onerror=alert(1)&gt;<br><span class="sub">API legacy</span>');
    expect(row).toContain('<b>recovery procedure</b> &lt;b&gt;page&lt;/b&gt; on-call');
    expect(row).toContain('<b>expires at</b> 2026-12-01');
    expect(row).toContain('<b>last used at</b> 2026-11-02 10:30 UTC');
  });

  it.each([
    ['answered before its due time', record(1), 'on time'],
    ['answered after its due time', record(1, { at: '2026-03-09T09:00:00.000Z' }), 'late (due 2026-03-08 09:00 UTC)'],
    ['expired with nobody answering', record(1, { by: null, outcome: 'expired' }), 'nobody answered'],
    ['answered by a stand-in', record(1, { by: 'ben@acme.example', onBehalfOf: 'ana@acme.example' }), 'for ana@acme.example'],
    [
      'decided by two approvers',
      record(1, {
        type: 'exception',
        outcome: 'approved',
        by: 'lena@acme.example',
        dueAt: null,
        votes: [
          { by: 'zed@acme.example', onBehalfOf: null, vote: 'approve', at: '2026-03-04T09:00:00.000Z', reason: null },
          { by: 'lena@acme.example', onBehalfOf: null, vote: 'approve', at: '2026-03-04T09:15:00.000Z', reason: '<i>risk</i> accepted' },
        ],
      }),
      'zed@acme.example approved</span><br><span class="sub">lena@acme.example approved: “&lt;i&gt;risk&lt;/i&gt; accepted”',
    ],
  ])('when %s, then the row says "%s"', (_case, r, words) => {
    expect(recordRow(r)).toContain(words);
  });
});

describe('on time and by the named owner', () => {
  it.each([
    [record(1), true, true],
    [record(1, { at: '2026-03-08T09:00:00.000Z' }), true, true],
    [record(1, { at: '2026-03-08T09:00:01.000Z' }), false, true],
    [record(1, { by: null, outcome: 'expired' }), false, false],
    [record(1, { by: 'ANA@acme.example' }), true, true],
    [record(1, { by: 'ben@acme.example', onBehalfOf: 'ana@acme.example' }), true, false],
    [record(1, { owner: { team: 'payments', accountable: null } }), true, false],
    [record(1, { dueAt: null }), false, true],
  ])('%#: on time %s, by the accountable person %s', (r, onTime, byAccountable) => {
    expect(isOnTime(r)).toBe(onTime);
    expect(isByAccountable(r)).toBe(byAccountable);
  });
});

describe('periodTerms', () => {
  it.each([
    ['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', '2026-01-01 to 2026-12-31 (UTC, both days included)', '2026-01-01', '2026-12-31'],
    ['2026-03-04T00:00:00.000Z', '2026-03-05T00:00:00.000Z', '2026-03-04 (UTC, the whole day)', '2026-03-04', '2026-03-04'],
    ['2026-03-04T09:30:00.000Z', '2026-03-05T00:00:00.000Z', '2026-03-04 09:30 UTC to 2026-03-05 00:00 UTC (excluded)', '2026-03-04T09:30:00.000Z', '2026-03-05T00:00:00.000Z'],
  ])('from %s to %s reads "%s" and is asked for again with --from %s --to %s', (from, to, words, asFrom, asTo) => {
    expect(periodTerms({ from, to })).toEqual({ words, from: asFrom, to: asTo });
  });
});
