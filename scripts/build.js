#!/usr/bin/env node
// Compiles the TypeScript sources (src/, adapters/, storage/) to dist/, which bin/steward.js runs: so a command
// starts without compiling anything. `npm install` and `npm ci` run it (the `prepare` script), `npm test` before the
// suite. With --if-stale it builds only when a source is newer than the last build (vitest's global setup, so a
// test never spawns an old build). The output is written beside dist/ and swapped in whole, so a removed source
// leaves no module behind and a failed build leaves the previous one as it was.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
/** Holds the time the build that made dist/ started: a source changed after it makes dist/ stale. */
const stamp = path.join(dist, '.built-at');
const inputs = ['src', 'adapters', 'storage', 'tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.js'];

/** The latest change under `entry`: files, and folders too (a removed file changes its folder). */
function latestChangeMs(entry) {
  const stats = fs.statSync(entry, { throwIfNoEntry: false });
  if (stats === undefined) return 0;
  if (!stats.isDirectory()) return stats.mtimeMs;
  let latest = stats.mtimeMs;
  for (const name of fs.readdirSync(entry)) latest = Math.max(latest, latestChangeMs(path.join(entry, name)));
  return latest;
}

function isStale() {
  const builtAt = fs.existsSync(stamp) ? Number(fs.readFileSync(stamp, 'utf8').trim()) : Number.NaN;
  if (!Number.isFinite(builtAt)) return true;
  return inputs.some((input) => latestChangeMs(path.join(root, input)) >= builtAt);
}

function typescriptCompiler() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const tsc = typescriptCompiler();
if (tsc === null) {
  // `npm install --omit=dev` runs this too, without the compiler: say what to do instead of tsc's errors.
  process.stderr.write(
    "steward: building needs Steward's dev dependencies (TypeScript): install with `npm ci` or `npm install` (not --omit=dev); `npm prune --omit=dev` may remove them once built.\n",
  );
  process.exit(1);
}

const startedAt = Date.now();
const partial = path.join(root, `dist.building-${process.pid}`);
const old = path.join(root, `dist.old-${process.pid}`);
fs.rmSync(partial, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', partial], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  fs.rmSync(partial, { recursive: true, force: true });
  process.stderr.write('steward: the build failed (see the errors above); dist/ was left as it was.\n');
  process.exit(compiled.status ?? 1);
}
fs.writeFileSync(path.join(partial, '.built-at'), `${startedAt}\n`);
// Another build may swap its own in meanwhile (two test runs at once): the last one in stays.
for (let attempt = 1; ; attempt += 1) {
  try {
    fs.renameSync(dist, old);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  try {
    fs.renameSync(partial, dist);
    break;
  } catch (error) {
    if ((error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') || attempt === 3) throw error;
  } finally {
    fs.rmSync(old, { recursive: true, force: true });
  }
}
