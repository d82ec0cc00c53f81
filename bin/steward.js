#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so there is no build step between a change and a run.
// Loading is guarded: a missing dependency is told in one line, never as a stack trace.
let main;
try {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../adapters/cli/main.ts'));
} catch (error) {
  process.stderr.write(`steward: cannot start: ${error instanceof Error ? error.message : String(error)}\n(Run \`npm install\` in Steward's folder first.)\n`);
  process.exit(70);
}
process.exitCode = await main(process.argv.slice(2), process.env);
