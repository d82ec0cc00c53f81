import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEvidenceHtml } from '../../../adapters/evidence/evidence-html.js';
import { streamSink } from '../../../adapters/evidence/text-sink.js';
import { requestApproval } from '../../../src/approvals/approval-commands.js';
import { evidenceReport } from '../../../src/evidence/evidence-report.js';
import { fixedClock } from '../../../src/ports/clock.js';
import type { SqliteStore } from '../../../storage/sqlite-store.js';
import { apiEntry } from '../../support/entries.js';
import { evidenceScenario, recordsOf } from '../../support/evidence-scenario.js';
import { claim, importLoop, tick } from '../../support/loop.js';
import { decide, email, later, paymentsEntries, policy } from '../../support/payments-approvals-store.js';

/*
 * The HTML evidence report as an auditor sees it: written from a real database through the use cases, opened from
 * disk in headless Chromium (Debian's `chromium`), and read by what is visible on the page, not by its markup.
 */

const chromiumPath = '/usr/bin/chromium';
const browserMissing = !fs.existsSync(chromiumPath);
const browserRequired = process.env.STEWARD_REQUIRE_BROWSER === '1';
const skipReason = `${chromiumPath} is not installed (apt-get install chromium); set STEWARD_REQUIRE_BROWSER=1 to fail instead of skipping`;

const year = { from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' };
const generatedAt = '2027-01-02T08:00:00.000Z';
const database = 'data/steward.db';
const hostileNote = '<script>document.title = "pwned"; window.pwned = true;</script> rotated already';
const hostileName = '<img src="https://evil.example/x.png" onerror="window.pwned = true"> Legacy API';
/** The screenshot in docs/ is refreshed on demand (`STEWARD_UPDATE_SCREENSHOT=1`), so a test run leaves the tree as it was. */
const docsScreenshot = path.resolve(import.meta.dirname, '../../../docs/evidence-report.png');

/** The evidence scenario, then two pieces of hostile text: a rotation refused with a script as its reason, and an item named with markup, claimed. */
async function hostileScenario(): Promise<SqliteStore> {
  const store = await evidenceScenario();
  const itemId = await store.itemIdOf('identity', 'ci-deployer');
  const plan = await requestApproval(store, fixedClock(later(52)), policy, {
    actor: { email: email('cy') },
    itemId,
    request: { kind: 'rotation', trigger: 'owner', justification: null },
  });
  if (!plan.result.ok) throw new Error(`request refused: ${plan.result.text}`);
  const decided = await decide(store, 'lena', plan.result.id, { action: 'reject', reason: hostileNote }, later(53));
  if (!decided.result.ok) throw new Error(`decision refused: ${decided.result.text}`);
  await importLoop(store, later(54), [
    ...paymentsEntries(),
    apiEntry({ ref: 'orphan-api', sensitivity: 'internal', exposure: 'internal' }),
    apiEntry({ ref: 'legacy-api', name: hostileName, sensitivity: 'internal', exposure: 'internal' }),
  ]);
  // The tick puts the item nobody owns in the queue, where it can be claimed.
  await tick(store, policy, later(54));
  const legacy = await store.itemIdOf('api', 'legacy-api');
  if (legacy === null) throw new Error('legacy-api was not imported');
  const claimed = await claim(store, later(55), email('leo'), legacy);
  if (!claimed.ok) throw new Error(`claim refused: ${claimed.text}`);
  return store;
}

describe.skipIf(browserMissing && !browserRequired)(`the evidence report in Chromium${browserMissing && !browserRequired ? ` (skipped: ${skipReason})` : ''}`, () => {
  let dir = '';
  let browser: BrowserContext;
  let page: Page;
  let file = '';
  let written = 0;
  let store: SqliteStore;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    if (browserMissing) throw new Error(`STEWARD_REQUIRE_BROWSER=1, but ${chromiumPath} is not installed: apt-get install chromium`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-evidence-html-'));
    store = await hostileScenario();
    file = path.join(dir, 'evidence.html');
    const stream = fs.createWriteStream(file);
    written = await writeEvidenceHtml(await evidenceReport(store, fixedClock(generatedAt), year), streamSink(stream), { database });
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));

    // A fresh profile of its own: nothing of a previous run (cache, service workers) can answer for the file.
    browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
    });
    page = browser.pages()[0] ?? (await browser.newPage());
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  it('when opened from disk, then the title names the period and when and where it was made', async () => {
    await expect(page.title()).resolves.toBe('Steward evidence, 2026-01-01 to 2026-12-31 (UTC, both days included)');
    const heading = page.getByRole('heading', { level: 1 });
    expect(await heading.isVisible()).toBe(true);
    expect(await heading.innerText()).toBe('Steward evidence report');
    const header = await page.locator('header').innerText();
    expect(header).toContain('2026-01-01 to 2026-12-31 (UTC, both days included)');
    expect(header).toContain('Generated\n2027-01-02 08:00 UTC');
    expect(header).toContain(`Database\n${database}`);
    expect(await page.getByRole('heading', { name: 'How to read this report' }).isVisible()).toBe(true);
  });

  it('then each control has a visible section whose rows are its records, as many as the summary says', async () => {
    const records = await recordsOf(store, year);
    const summary = page.locator('table.summary');
    expect(await summary.isVisible()).toBe(true);
    for (const id of ['GV.RR-01', 'GV.RR-02', 'ID.AM-02', 'ID.AM-08', 'NHI1', 'NHI2', 'NHI5', 'NHI7']) {
      const expected = records.filter((r) => r.controls.includes(id as never)).length;
      const section = page.locator(`section[id="control-${id}"]`);
      const heading = section.getByRole('heading', { level: 2 });
      expect(await heading.isVisible()).toBe(true);
      expect(await heading.innerText()).toMatch(new RegExp(`^${id.replace('.', '\\.')} — `));
      expect(await section.locator('.control-meta').innerText()).toContain(`${expected} ${expected === 1 ? 'record' : 'records'}`);
      const rows = section.locator('table.records tbody tr');
      if (expected === 0) {
        expect(await rows.innerText()).toBe('No record in the period.');
      } else {
        expect(await rows.count()).toBe(expected);
        expect(await rows.first().isVisible()).toBe(true);
      }
      // The summary's row for the control says the same number.
      const summaryRow = summary.locator('tbody tr', { has: page.getByRole('link', { name: id, exact: true }) });
      expect(await summaryRow.locator('td.num').first().innerText()).toBe(String(expected));
    }
    expect(written).toBe(records.length);
    expect(await page.locator('section', { hasText: 'Policies in force' }).locator('details').count()).toBeGreaterThan(0);
  });

  it('when a note holds a script and an item is named with markup, then both read as text and neither runs', async () => {
    const note = page.locator('section[id="control-NHI7"] td', { hasText: 'rotated already' });
    expect(await note.innerText()).toContain(hostileNote);
    expect(await page.getByText(hostileName).first().isVisible()).toBe(true);
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { pwned?: boolean }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
  });

  it('then the charts are inline SVG drawn at a real size, with their titles', async () => {
    const figures = page.locator('.charts figure');
    expect(await figures.count()).toBe(2);
    for (const [index, title] of ['Records per control, by type', 'Attestations per control, by outcome'].entries()) {
      const figure = figures.nth(index);
      expect(await figure.getAttribute('aria-label')).toBe(title);
      const box = await figure.locator('svg').boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(150);
      expect(await figure.locator('svg text', { hasText: 'GV.RR-02' }).count()).toBe(1);
    }
  });

  it('then nothing but the file itself was requested, and nothing was logged as an error', async () => {
    const shot = await page.screenshot({ path: process.env.STEWARD_UPDATE_SCREENSHOT === '1' ? docsScreenshot : path.join(dir, 'evidence-report.png'), fullPage: true });
    expect(shot.byteLength).toBeGreaterThan(10_000);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('when printed, then the policies are on the paper, not folded away', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('details pre').first().isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('details pre').first().isVisible()).toBe(false);
  });
});
