// How long a CLI command takes as a whole process, as a user or a CI job runs it: `steward who <ref>` against the
// bench database and `steward check` of a small catalog, through the built bin/steward.js; the same `who` through
// npx; and the same `who` run from the TypeScript sources through tsx, as bin/steward.js ran it before the build.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from './percentile.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin/steward.js');
/** A small Backstage catalog that passes the gate, as a CI job would check its own catalog-info.yaml. */
const catalog = path.join(root, 'test/fixtures/cli/check/clean.yaml');
/** bin/steward.js before it ran dist/: tsx registered, then the TypeScript entry imported (tsx's cache warm). */
const fromSources = `const { register } = await import('tsx/esm/api'); register(); const { main } = await import('./adapters/cli/main.ts'); process.exitCode = await main(process.argv.slice(1), process.env);`;

export interface StartFigures {
  readonly runs: number;
  readonly p50: number;
  readonly p90: number;
}

export interface CliStartFigures {
  readonly who: StartFigures;
  readonly check: StartFigures;
  readonly npxWho: StartFigures;
  readonly sourcesWho: StartFigures;
}

/** Runs `node …args` `runs` times after two unmeasured runs, each to its exit; the wall time of each. */
function timeProcess(command: string, args: readonly string[], runs: number): StartFigures {
  const once = () => {
    const started = performance.now();
    const run = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - started;
    // `who` and `check` exit 0 here; anything else means the figure times a failure.
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${String(run.status)}: ${run.stderr}`);
    return ms;
  };
  once();
  once();
  const times = Array.from({ length: runs }, once).sort((a, b) => a - b);
  return { runs, p50: percentile(times, 50), p90: percentile(times, 90) };
}

/** Times the CLI's start as whole processes; the build in dist/ is brought up to date first. */
export function timeCliStart(dbFile: string, ref: string, runs = 15): CliStartFigures {
  execFileSync(process.execPath, [path.join(root, 'scripts/build.js'), '--if-stale'], { cwd: root, stdio: 'inherit' });
  // The bench has just written gigabytes of databases: their pages are still being written back to disk, and a
  // process reading node_modules behind that waited for it (check's p50 was 0.27 s in one run, 0.35 s in the next).
  // Flushed first, a start-up is timed alone, as a user's or a CI job's would be.
  if (process.platform !== 'win32') execFileSync('sync');
  const who = ['who', ref, '--db', dbFile];
  return {
    who: timeProcess(process.execPath, [bin, ...who], runs),
    check: timeProcess(process.execPath, [bin, 'check', catalog], runs),
    npxWho: timeProcess('npx', ['steward', ...who], Math.min(runs, 5)),
    sourcesWho: timeProcess(process.execPath, ['--input-type=module', '-e', fromSources, ...who], Math.min(runs, 5)),
  };
}

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });

/** Before the build: every command compiled its TypeScript first (docs/benchmarks.md, 2026-11-28). */
const before = { who: '1.2–1.8 s', npx: '3 s' };
const budgetMs = 300;

export function cliStartTable(figures: CliStartFigures, ref: string): string[] {
  const times = (f: StartFigures) => `${fmt(f.p50)} / ${fmt(f.p90)} ms`;
  const within = (f: StartFigures) => `p50 < ${budgetMs} ms ${f.p50 < budgetMs ? '✓' : '✗'}`;
  return [
    '| measure | figure | target |',
    '|---|---|---|',
    `| \`node bin/steward.js who ${ref}\` (the bench database), whole process: p50 / p90 of ${figures.who.runs} | **${times(figures.who)}** | ${within(figures.who)} (was ${before.who}) |`,
    `| \`node bin/steward.js check\` of a small catalog (CI), whole process: p50 / p90 of ${figures.check.runs} | **${times(figures.check)}** | ${within(figures.check)} |`,
    `| the same \`who\` through \`npx steward\` (npm starts first): p50 / p90 of ${figures.npxWho.runs} | ${times(figures.npxWho)} | (was ${before.npx}) |`,
    `| the same \`who\` from the TypeScript sources through tsx, as before the build (tsx's cache warm): p50 / p90 of ${figures.sourcesWho.runs} | ${times(figures.sourcesWho)} | (for reference) |`,
  ];
}
