import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './fixtures.js';

/**
 * Vitest's global setup: the tests that spawn `steward` run bin/steward.js, which runs the build in dist/. A source
 * changed since the last build is built again first (`npm test` has just built it; `npx vitest run <file>` after an
 * edit has not), so no test ever runs an old build.
 */
export default function buildDist(): void {
  execFileSync(process.execPath, [path.join(projectRoot, 'scripts/build.js'), '--if-stale'], { cwd: projectRoot, stdio: 'inherit' });
}
