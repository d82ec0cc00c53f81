#!/usr/bin/env node
// `npm run teams:package [-- --out FILE]`: writes the Microsoft Teams app package an admin uploads (see
// adapters/teams/package-app.ts, or run it with --help). It reads MICROSOFT_APP_ID and STEWARD_PUBLIC_HOST. Like
// bin/steward.js it runs the build in dist/ (`npm install` makes it), and a missing build is told in one line.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = new URL('../dist/adapters/teams/package-app.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write(`steward teams:package: Steward is not built (no dist/ in ${root}): run \`npm install\` there first.\n`);
  process.exit(70);
}
const { runTeamsPackage } = await import(entry.href);
process.exitCode = runTeamsPackage(process.argv.slice(2), process.env, { root, cwd: process.cwd() }, {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
