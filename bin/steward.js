#!/usr/bin/env node
// Runs the JavaScript compiled from the TypeScript sources into dist/ (`npm install` builds it; so do `npm run build`
// and `npm test`), so a command starts without compiling anything. Loading is guarded: a missing build or dependency
// is told in one line, never as a stack trace.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/adapters/cli/main.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write(`steward: cannot start: Steward is not built (no dist/ in ${fileURLToPath(new URL('..', import.meta.url))}): run \`npm install\` there first.\n`);
  process.exit(70);
}
let main;
try {
  ({ main } = await import(entry.href));
} catch (error) {
  process.stderr.write(`steward: cannot start: ${error instanceof Error ? error.message : String(error)}\n(Run \`npm install\` in Steward's folder first.)\n`);
  process.exit(70);
}
process.exitCode = await main(process.argv.slice(2), process.env);
