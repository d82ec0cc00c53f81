import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { createChartRenderer, type ChartRenderer } from '../../../adapters/charts/chart-renderer.js';
import { ChartThread } from '../../../adapters/charts/chart-thread.js';
import { digestChartPng } from '../../../adapters/charts/digest-chart-png.js';
import type { DigestChart } from '../../../src/digest/digest-view.js';
import { projectRoot } from '../../support/fixtures.js';
import { digestChart, firstDigest, twelveWeeks } from './support/digest-charts.js';
import { decodePng } from './support/png-pixels.js';

/*
 * The chart renderer: ECharts and resvg on a worker thread of their own, so the thread that acknowledges Slack never
 * draws. It gives the same bytes as drawing in place, takes charts in turn, survives a thread that dies, and never
 * holds the process open.
 */

let renderer: ChartRenderer | undefined;
let thread: ChartThread | undefined;
afterEach(async () => {
  await renderer?.close();
  await thread?.close();
  renderer = undefined;
  thread = undefined;
});

describe('createChartRenderer', () => {
  test('when a chart is drawn on the renderer’s thread, then its PNG is byte for byte the one drawn in place', async () => {
    renderer = createChartRenderer();

    const png = await renderer.png(digestChart(twelveWeeks));

    expect(Buffer.isBuffer(png)).toBe(true);
    expect(Buffer.compare(png, digestChartPng(digestChart(twelveWeeks)))).toBe(0);
    expect([decodePng(png).width, decodePng(png).height]).toEqual([720, 360]);
  });

  test('when several charts are asked for at once, then each gets its own PNG, drawn in turn on the one thread', async () => {
    renderer = createChartRenderer();
    const charts = [digestChart(twelveWeeks), digestChart(firstDigest), digestChart(twelveWeeks.slice(0, 6))];

    const pngs = await Promise.all(charts.map((chart) => renderer!.png(chart)));

    pngs.forEach((png, i) => expect(Buffer.compare(png, digestChartPng(charts[i]!))).toBe(0));
    expect(new Set(pngs.map((png) => png.toString('base64'))).size).toBe(3);
  });

  test('when a chart cannot be drawn, then its promise fails with the reason, and the next chart is drawn', async () => {
    renderer = createChartRenderer();
    const broken = { ...digestChart(firstDigest), points: null } as unknown as DigestChart;

    // The error crosses from the thread as its name and message.
    await expect(renderer.png(broken)).rejects.toMatchObject({ name: 'TypeError', message: expect.stringContaining('null') });
    expect(Buffer.compare(await renderer.png(digestChart(firstDigest)), digestChartPng(digestChart(firstDigest)))).toBe(0);
  });

  test('when the renderer is closed, then a chart still waiting fails, and a later one is refused with a plain error', async () => {
    renderer = createChartRenderer();
    const failure = (promise: Promise<Buffer>) => promise.then(() => null, (error: Error) => error.message);
    const drawing = failure(renderer.png(digestChart(twelveWeeks)));
    const waiting = failure(renderer.png(digestChart(firstDigest)));

    await renderer.close();

    expect(await drawing).toBe('the chart renderer is closed');
    expect(await waiting).toBe('the chart renderer is closed');
    await expect(renderer.png(digestChart(firstDigest))).rejects.toThrow('the chart renderer is closed');
  });
});

describe('ChartThread, when its thread dies', () => {
  const dying = pathToFileURL(path.join(projectRoot, 'test/adapters/charts/support/dying-chart-thread.ts'));
  const titled = (title: string) => digestChart(firstDigest, { title });

  test('when the thread exits while drawing, then that chart fails with the exit, and the charts after it are drawn on a new thread', async () => {
    thread = new ChartThread(dying);
    const before = thread.png(titled('before'));
    const died = thread.png(titled('die'));
    const after = thread.png(titled('after'));

    expect((await before).toString()).toBe('before');
    await expect(died).rejects.toThrow('the chart thread stopped (exit code 3)');
    expect((await after).toString()).toBe('after');
  });
});

describe('the chart renderer in a process of its own', () => {
  /** Runs `code`, given `createChartRenderer` from `rendererModule`, in a new Node process (under tsx for the sources); killed after 20 s. */
  function runNode(rendererModule: string, code: string, typescript: boolean) {
    // CommonJS around a dynamic import: Node 20 refuses --input-type=module beside --import.
    const script = `(async () => { const { createChartRenderer } = await import(${JSON.stringify(pathToFileURL(rendererModule).href)}); ${code} })();`;
    return spawnSync(process.execPath, [...(typescript ? ['--import', 'tsx'] : []), '-e', script], { cwd: projectRoot, encoding: 'utf8', timeout: 20_000 });
  }
  const chart = JSON.stringify(digestChart(twelveWeeks));
  // The main thread's CommonJS modules: resvg's native binding loads through them, so it is listed if drawn here.
  const drawWithoutClosing = `const png = await createChartRenderer().png(${chart}); process.stdout.write(JSON.stringify({ png: png.toString('base64'), resvgInMainThread: Object.keys(require.cache).some((file) => file.includes('@resvg')) }));`;

  test.each([
    ['the sources, under tsx (the tests, the bench)', 'adapters/charts/chart-renderer.ts', true],
    ['the build in dist/ (bin/steward.js)', 'dist/adapters/charts/chart-renderer.js', false],
  ])('when a process draws a chart from %s and never closes the renderer, then its thread is found, the main thread loads no renderer, and the process exits by itself with the same PNG', (_from, file, typescript) => {
    const run = runNode(path.join(projectRoot, file), drawWithoutClosing, typescript);

    expect(run.signal).toBeNull();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { png, resvgInMainThread } = JSON.parse(run.stdout) as { png: string; resvgInMainThread: boolean };
    expect(resvgInMainThread).toBe(false);
    expect(Buffer.compare(Buffer.from(png, 'base64'), digestChartPng(digestChart(twelveWeeks)))).toBe(0);
  });
});
