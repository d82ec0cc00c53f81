import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { splitCommandLine } from '../../../src/commands/split-command-line.js';
import { readmeBlockLines } from '../../support/readme-block.js';
import { removeTempDirs, runSteward, tempDir, type RunResult } from '../../support/run-steward.js';

afterAll(removeTempDirs);

const chromiumPath = '/usr/bin/chromium';
const canOpen = fs.existsSync(chromiumPath) || process.env.STEWARD_REQUIRE_BROWSER === '1';

/*
 * The README's digests, evidence and audit trail from the command line, run as written with the real binary, the
 * scratch files standing in the test's own folder. Each line exits 0; each says what the README promises; the HTML
 * it writes is then opened in headless Chromium (when Debian's is there: the browser test beside the writer
 * requires it in CI) and read as an auditor reads it.
 */
describe("the README's digests, evidence and audit trail from the command line, run as written", () => {
  test('when its commands are run in order, then the digest shows its changes, the evidence holds the answer and the decision, and the copy verifies', async () => {
    const lines = readmeBlockLines('### Digests, evidence and the audit trail from the command line');
    const dir = tempDir();
    const local = (file: string) => file.replace(/^\/tmp\//, `${dir}/`);
    let policy: string | undefined;
    let db: string | undefined;
    const ran: Array<{ command: string; result: RunResult }> = [];
    for (const { command } of lines) {
      const exported = /^export STEWARD_DB=(\S+) STEWARD_POLICY=(\S+)$/.exec(command);
      if (exported) {
        [, db, policy] = exported;
        continue;
      }
      if (command.startsWith('rm -f ')) continue;
      const words = splitCommandLine(command);
      if (words?.[0] !== 'npx' || words[1] !== 'steward' || db === undefined || policy === undefined) throw new Error(`the README's block has a line this test cannot run: ${command}`);
      const result = await runSteward(words.slice(2).map(local), { env: { STEWARD_DB: local(db), STEWARD_POLICY: policy } });
      ran.push({ command, result });
    }
    expect(ran.map(({ command, result }) => [command, result.code, result.stderr])).toEqual(ran.map(({ command }) => [command, 0, '']));

    const said = (start: string) => ran.find(({ command }) => command.startsWith(start))?.result.stdout ?? '';
    const exactly = (whole: string) => ran.find(({ command }) => command === whole)?.result.stdout ?? '';
    expect(exactly('npx steward digest')).toMatch(/^Steward digest — [\s\S]*The first digest: [\s\S]*Stored, and queued for the security channel/);
    const printed = said('npx steward digest --print');
    expect(printed).toMatch(/Answered on time since .* +1 of 1 \(100%\) +\(\+1\)/);
    expect(printed).toMatch(/Pending approvals +0 +\(no change\)/);
    expect(printed).not.toMatch(/Stored/);
    const head = /Audit trail head: (\d+:[0-9a-f]{64})/.exec(printed)?.[1];
    expect(head).toBeDefined();

    const csv = Papa.parse<Record<string, string>>(said('npx steward evidence --from 2026-01-01 --to 2099-12-31 --format csv'), { header: true, skipEmptyLines: true });
    expect(csv.data.map((r) => [r.type, r.item_ref, r.outcome, r.by, r.controls])).toEqual([
      ['attestation', 'payments-api', 'attested', 'alice.nguyen@northwind.example', 'GV.RR-02 ID.AM-02'],
      ['approval', 'partner-acme-client', 'approved', 'marta.kowalska@northwind.example', 'GV.RR-02 NHI7'],
    ]);
    expect(said('npx steward evidence --from 2026-01-01 --to 2099-12-31 --format html')).toMatch(/^Wrote 2 records .* to .*steward-evidence\.html\.\n$/);

    // The head the digest printed still holds: only the digest's own event and the decision came after it.
    expect(exactly('npx steward audit verify')).toMatch(/^The audit trail is intact: \d+ events[\s\S]*Head: \d+:[0-9a-f]{64}/);
    const kept = await runSteward(['audit', 'verify', '--expect-head', head ?? ''], { env: { STEWARD_DB: local(db ?? '') } });
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain(`The head kept (${head}) still holds`);
    expect(said('npx steward backup')).toMatch(/^Backed up .* to .*steward-evidence-copy\.db: 14 items, \d+ audit events, head \d+:[0-9a-f]{64}; the copy verifies/);
    expect(said('npx steward audit verify --db')).toMatch(/^The audit trail is intact/);

    if (!canOpen) return;
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(pathToFileURL(local('/tmp/steward-evidence.html')).href);
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Steward evidence report');
      const text = await page.locator('body').innerText();
      expect(text).toMatch(/How to read this report/);
      expect(text).toMatch(/GV\.RR-02 — Roles, responsibilities, and authorities/);
      expect(text).toMatch(/NHI7 — Long-Lived Secrets/);
      expect(text).toContain('partner-acme-client');
      expect(text).toContain('before the audit');
      expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(2);
    } finally {
      await browser.close();
    }
  });
});
